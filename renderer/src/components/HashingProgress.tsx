// Step one of sending: in the web UI a chosen file is uploaded to the agent first (bytes, rate, a
// bar and Cancel), then every file is read and hashed before it can be offered. Big files take a
// while, so each bar shows how far it is.
import type { HashingJob } from '../../../preload/api.js'
import { formatBytes, formatRate } from '../format/format.js'
import { useUi } from '../store/context.js'
import type { Submitting } from '../store/app-store.js'
import { ProgressBar } from './ProgressBar.js'
import { useNow } from './use-now.js'

const NONE: readonly HashingJob[] = []

function Upload ({ up }: { readonly up: Submitting }) {
  const cancel = useUi(s => s.cancelUpload)
  const now = useNow(500)
  if (up.bytesSent === null || up.bytesTotal === null) {
    return <p>Handing <strong>{up.name}</strong> to Swarmdrop…</p>
  }
  const seconds = (now - up.startedAt) / 1000
  const rate = seconds > 0.5 ? up.bytesSent / seconds : null
  return (
    <div className="hashing-job" data-testid="upload">
      <p>
        Uploading <strong>{up.name}</strong> to the agent — <span data-testid="upload-bytes">{formatBytes(up.bytesSent)} of {formatBytes(up.bytesTotal)}</span>
        {rate !== null && <> · {formatRate(rate)}</>}. The agent keeps a copy in its data folder.
      </p>
      <div className="upload-row">
        <ProgressBar fraction={up.bytesTotal > 0 ? up.bytesSent / up.bytesTotal : 0} label={`Uploading ${up.name}`} />
        <button type="button" className="button" data-testid="upload-cancel" onClick={cancel}>Cancel upload</button>
      </div>
    </div>
  )
}

export function HashingProgress () {
  const jobs = useUi(s => s.app?.hashing ?? NONE)
  const submitting = useUi(s => s.submitting)
  if (jobs.length === 0 && submitting === null) return null
  return (
    <section className="card hashing" aria-label="Preparing files" data-testid="hashing">
      {submitting !== null && <Upload up={submitting} />}
      {jobs.map(job => (
        <div key={job.jobId} className="hashing-job">
          <p>
            Checking <strong>{job.name}</strong> — {formatBytes(job.bytesDone)} of {formatBytes(job.bytesTotal)}.
            {' '}It can be sent once every piece is hashed.
          </p>
          <ProgressBar fraction={job.bytesTotal > 0 ? job.bytesDone / job.bytesTotal : 0} label={`Hashing ${job.name}`} />
        </div>
      ))}
    </section>
  )
}
