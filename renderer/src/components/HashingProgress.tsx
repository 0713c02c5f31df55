// Step one of sending: the dropped file is read and hashed before it can be offered. Big files take
// a while, so the bar shows how far it is.
import type { HashingJob } from '../../../preload/api.js'
import { formatBytes } from '../format/format.js'
import { useUi } from '../store/context.js'
import { ProgressBar } from './ProgressBar.js'

const NONE: readonly HashingJob[] = []

export function HashingProgress () {
  const jobs = useUi(s => s.app?.hashing ?? NONE)
  const submitting = useUi(s => s.submitting)
  if (jobs.length === 0 && submitting === null) return null
  return (
    <section className="card hashing" aria-label="Preparing files" data-testid="hashing">
      {submitting !== null && jobs.length === 0 && (
        <p>Handing <strong>{submitting}</strong> to Swarmdrop…</p>
      )}
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
