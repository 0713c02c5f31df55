// `swarmdrop status` on a recipient of a watched folder: the channel's batches under one heading
// (the batch still arriving in full, failed ones by name, the finished ones counted), not a block
// per batch; other distributions keep their own block.
import { describe, expect, it } from 'vitest'
import type { Distribution } from '../../../common/api.js'
import { statusText } from '../../../main/agent/cli/commands/status.js'
import { distribution, member } from '../electron/app-state-fixture.js'

const MiB = 1024 * 1024
const SENDER = member({ id: '01'.repeat(16), name: 'lab-01', origin: true, state: 'verified', verified: true })
const self = (verifiedBytes: number) => member({ id: '07'.repeat(16), name: 'lab-07', self: true, verifiedBytes, verified: verifiedBytes === MiB })

function batch (n: number, over: Partial<Distribution> = {}): Distribution {
  return distribution({
    infoHash: n.toString(16).padStart(40, '0'),
    name: 'segments',
    role: 'recipient',
    isFolder: true,
    totalLength: MiB,
    state: 'verified',
    channel: '0123456789abcdef',
    path: '/home/lab/Downloads/segments',
    createdAt: new Date(Date.UTC(2026, 11, 4, 8, 0, n)).toISOString(),
    members: [SENDER, self(MiB)],
    ...over
  })
}

describe('swarmdrop status, a received channel', () => {
  it('prints 250 batches as one channel block and a plain file as its own', () => {
    const batches = Array.from({ length: 248 }, (_, i) => batch(i + 1))
    const failed = batch(249, { state: 'failed', reason: 'hash mismatch' })
    const arriving = batch(250, { state: 'downloading', members: [SENDER, self(MiB / 2)] })
    const iso = distribution({ infoHash: 'f'.repeat(40), name: 'ubuntu.iso', role: 'recipient', members: [SENDER, self(0)] })
    const text = statusText([...batches, failed, arriving, iso], Date.parse('2026-12-04T09:00:00Z'))
    const lines = text.trimEnd().split('\n')
    expect(lines.filter(l => l.includes('channel from lab-01'))).toEqual(['segments/  channel from lab-01: 250 batches, 1 arriving, 262 MB'])
    // The heading, the arriving batch (headline, totals, 2 machines), the failed one, the count: then the ISO.
    expect(lines.length).toBeLessThan(15)
    expect(lines[1]).toMatch(/^ {2}batch 250 +recipient +downloading/)
    expect(lines.filter(l => /^ {2}batch 249 +recipient +failed/.test(l))).toHaveLength(1)
    expect(text).toContain('(hash mismatch)')
    expect(text).toContain('… and 248 earlier batches, done')
    expect(lines.filter(l => l.startsWith('ubuntu.iso'))).toHaveLength(1)
  })

  it('keeps two senders of the same channel id apart', () => {
    const other = member({ id: '02'.repeat(16), name: 'lab-02', origin: true, state: 'verified', verified: true })
    const text = statusText([batch(1), batch(2, { members: [other, self(MiB)], path: '/home/lab/Downloads/segments (2)' })], 0)
    expect(text).toContain('segments/  channel from lab-01: 1 batch')
    expect(text).toContain('segments (2)/  channel from lab-02: 1 batch')
  })

  it('heads the batches a watched folder sent from here too', () => {
    const origin = (n: number) => batch(n, { role: 'origin', state: 'seeding', path: '/srv/segments', members: [member({ id: '07'.repeat(16), name: 'lab-07', self: true, origin: true, state: 'verified', verified: true })] })
    const text = statusText([origin(1), origin(2), origin(3)], 0)
    expect(text.split('\n')[0]).toBe('segments/  channel sent from here: 3 batches, 3.1 MB')
    expect(text).toContain('… and 2 earlier batches, done')
  })
})
