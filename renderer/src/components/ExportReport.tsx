// "Export report": who received this distribution, with each machine's signed receipt, saved as
// JSON (the file `swarmdrop report --verify` checks) or CSV. The browser's download does the
// saving, in the desktop app (a save dialog) and in the web UI alike.
import type { Distribution } from '../../../preload/api.js'
import { reportCsv } from '../../../preload/api.js'
import { useUi } from '../store/context.js'

type Kind = 'json' | 'csv'

/** A file name from the distribution's: letters, digits, dots and dashes only. */
export function reportFileName (dist: Pick<Distribution, 'name' | 'infoHash'>, kind: Kind): string {
  const base = dist.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[.-]+/, '').slice(0, 80) || dist.infoHash.slice(0, 12)
  return `${base}-report.${kind}`
}

function save (name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  // The download has its own copy once started; give it a moment before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function ExportReport ({ dist }: { readonly dist: Distribution }) {
  const report = useUi(s => s.report)
  const exportAs = async (kind: Kind): Promise<void> => {
    // A failure is shown by the store, like every command's.
    const r = await report(dist.infoHash)
    if (!r.ok) return
    if (kind === 'json') save(reportFileName(dist, kind), `${JSON.stringify(r.value, null, 2)}\n`, 'application/json')
    else save(reportFileName(dist, kind), reportCsv(r.value), 'text/csv')
  }
  return (
    <>
      <button type="button" className="button" data-testid="export-report" title="Who received it, with each machine's signed receipt (JSON)" onClick={() => { void exportAs('json') }}>
        Export report
      </button>
      <button type="button" className="button" data-testid="export-report-csv" title="The same report as CSV, one row per machine" onClick={() => { void exportAs('csv') }}>
        CSV
      </button>
    </>
  )
}
