// Typed reading of the summary that `swarmdrop send --wait --json` prints as its last stdout line.

export interface SendRecipient {
  readonly name: string
  readonly id: string
  readonly status: string
  readonly sha256?: string
  readonly reason?: string
}

export interface SendSummary {
  readonly ok: boolean
  readonly name: string
  readonly bytes: number
  readonly sha256: string
  readonly seconds: number
  readonly originUploadedBytes: number
  readonly recipients: readonly SendRecipient[]
}

function isObject (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function parseRecipient (v: unknown): SendRecipient | string {
  if (!isObject(v)) return 'a recipient is not an object'
  const { name, id, status, sha256, reason } = v
  if (typeof name !== 'string' || typeof id !== 'string' || typeof status !== 'string') return 'a recipient lacks name, id or status'
  return {
    name,
    id,
    status,
    ...(typeof sha256 === 'string' ? { sha256 } : {}),
    ...(typeof reason === 'string' ? { reason } : {})
  }
}

/** The summary from send's stdout, or an Error saying why it is not there. */
export function parseSendSummary (stdout: string): SendSummary | Error {
  const last = stdout.trim().split('\n').pop()?.trim() ?? ''
  if (last === '') return new Error('send printed nothing on stdout')
  let parsed: unknown
  try { parsed = JSON.parse(last) } catch { return new Error(`send's last stdout line is not JSON: ${last.slice(0, 300)}`) }
  if (!isObject(parsed)) return new Error(`send's summary is not an object: ${last.slice(0, 300)}`)
  const { ok, name, bytes, sha256, seconds, originUploadedBytes, recipients } = parsed
  if (typeof ok !== 'boolean' || typeof name !== 'string' || typeof bytes !== 'number' || typeof sha256 !== 'string' ||
    typeof seconds !== 'number' || typeof originUploadedBytes !== 'number' || !Array.isArray(recipients)) {
    return new Error(`send's summary lacks a field: ${last.slice(0, 300)}`)
  }
  const parsedRecipients: SendRecipient[] = []
  for (const r of recipients) {
    const one = parseRecipient(r)
    if (typeof one === 'string') return new Error(`send's summary: ${one}: ${last.slice(0, 300)}`)
    parsedRecipients.push(one)
  }
  return { ok, name, bytes, sha256, seconds, originUploadedBytes, recipients: parsedRecipients }
}
