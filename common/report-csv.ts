// A FleetReport as CSV (RFC 4180): a header, then one row per machine of each distribution. Shared
// by the CLI (`report --csv`) and the app's export, so both write the same columns.
import type { FleetReport } from './api.js'

export const REPORT_CSV_COLUMNS = [
  'infoHash', 'name', 'sha256', 'size', 'kind', 'files', 'createdAt', 'sentAt', 'originId', 'originName', 'originUploadedBytes',
  'machineId', 'machineName', 'state', 'acceptedAt', 'verifiedAt', 'bytes', 'badPieces', 'reason',
  'receiptVerifiedAt', 'receiptPublicKey', 'receiptSignature'
] as const

/**
 * One field: quoted when it holds a comma, quote or line break. Text from other machines (names,
 * reasons) that a spreadsheet would run as a formula (= + - @ first) is prefixed with an apostrophe.
 */
function field (v: string | number | null, text = false): string {
  let s = v === null ? '' : String(v)
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function reportCsv (report: FleetReport): string {
  const rows = report.distributions.flatMap(d => d.machines.map(m => [
    field(d.infoHash), field(d.name, true), field(d.sha256), field(d.totalLength), field(d.isFolder === null ? null : d.isFolder ? 'folder' : 'file'), field(d.fileCount), field(d.createdAt), field(d.sentAt),
    field(d.origin.id), field(d.origin.name, true), field(d.originUploadedBytes),
    field(m.id), field(m.name, true), field(m.state), field(m.acceptedAt), field(m.verifiedAt), field(m.bytes), field(m.badPieces),
    field(m.reason ?? null, true), field(m.receipt?.verifiedAt ?? null), field(m.receipt?.publicKey ?? null), field(m.receipt?.signature ?? null)
  ].join(',')))
  return [REPORT_CSV_COLUMNS.join(','), ...rows].map(r => `${r}\r\n`).join('')
}
