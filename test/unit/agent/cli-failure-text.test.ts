// What the command line says when things go wrong, in the window's words: a full disk at the end
// of `send --wait`, the status totals counted as the window's figures, one line per change in the
// agent's log and in a piped `send --wait`, a recipient that is away, this machine or too short an
// id prefix, a negative number for a flag, and an empty history read from which data folder.
import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { Machine, MemberRow, SelfDevice } from '../../../common/api.js'
import { parse, intFlag } from '../../../main/agent/cli/args.js'
import { emptyHistoryText } from '../../../main/agent/cli/commands/report.js'
import { sendUsage } from '../../../main/agent/cli/commands/send.js'
import { peerLine } from '../../../main/agent/cli/commands/devices.js'
import { statusText, totalsLine } from '../../../main/agent/cli/commands/status.js'
import { attachEventLog } from '../../../main/agent/cli/event-log.js'
import { UsageError } from '../../../main/agent/cli/exit-codes.js'
import { chooseRecipient, matchMachines, noRecipientMessage } from '../../../main/agent/cli/recipient-match.js'
import { outcomeOf, outcomeText, summaryLine } from '../../../main/agent/cli/send-outcome.js'
import { stateChanges } from '../../../main/agent/cli/state-changes.js'
import type { NodeEvents } from '../../../main/core/node/events.js'
import { distribution, member } from '../electron/app-state-fixture.js'

const FULL = 'not enough space in /dl: 25.7 MB more needed (0 B free); it resumes by itself once space is freed'
const ORIGIN = member({ id: '00'.repeat(16), name: 'sender', self: true, origin: true, state: 'verified', verified: true })

function machine (name: string, id: string, online: boolean, lastSeen = '2026-12-07T19:00:00.000Z'): Machine {
  return { id, fingerprint: `${id.slice(0, 4)}·${id.slice(4, 8)}`, name, platform: 'linux', address: '10.0.0.9', online, trusted: false, lastSeen }
}

function usageErrorOf (f: () => unknown): string {
  try {
    f()
  } catch (err) {
    if (err instanceof UsageError) return err.message
    throw err
  }
  throw new Error('no usage error')
}

describe('send --wait when a disk filled', () => {
  it('reports the machine out of space, not merely not done in time, with the reason once', () => {
    const o = outcomeOf({ id: 'x', row: member({ id: 'x'.repeat(32), name: 'lab-03', state: 'no-space', reason: FULL }), sha256: undefined }, undefined)
    expect(o).toMatchObject({ status: 'no-space', reason: FULL })
    expect(outcomeText(o)).toBe(`out of space, not done in time (${FULL})`)
    expect(outcomeText(o).match(/resumes by itself/g)).toHaveLength(1)
    expect(summaryLine([o, { name: 'lab-01', id: 'y', status: 'verified' }])).toBe('1 of 2 machines verified (1 out of space)')
  })
})

describe('the totals line of swarmdrop status', () => {
  it('counts declined, failed, out of space and lost apart, as the window\'s figures do', () => {
    const d = distribution({
      infoHash: 'a'.repeat(40),
      name: 'img',
      members: [
        ORIGIN,
        member({ id: '01'.repeat(16), name: 'lab-01', state: 'declined' }),
        member({ id: '02'.repeat(16), name: 'lab-02', state: 'failed', reason: 'hash mismatch' }),
        member({ id: '03'.repeat(16), name: 'lab-03', state: 'no-space', reason: FULL }),
        member({ id: '04'.repeat(16), name: 'lab-04', state: 'lost' }),
        member({ id: '05'.repeat(16), name: 'lab-05', state: 'verified', verified: true })
      ]
    })
    expect(totalsLine(d)).toBe('1 of 5 recipients verified, 1 failed, 1 declined, 1 out of space, waiting, 1 lost contact')
  })

  it('heads a recipient whose disk is full "out of space", as the window does, with the reason', () => {
    const d = distribution({ infoHash: 'c'.repeat(40), name: 'full.bin', role: 'recipient', state: 'no-space', reason: FULL, members: [member({ id: '00'.repeat(16), name: 'sender', origin: true, state: 'verified', verified: true }), member({ id: '03'.repeat(16), name: 'lab-03', self: true, state: 'no-space', reason: FULL })] })
    const head = statusText([d], Date.now()).split('\n')[0] ?? ''
    expect(head).toMatch(/^full\.bin +recipient +out of space +16\.8 MB/)
    expect(head).not.toContain('no-space')
    expect(head).toContain(`(${FULL})`)
  })

  it('says nothing of refusals when a machine only declined', () => {
    const d = distribution({ infoHash: 'b'.repeat(40), name: 'img', members: [ORIGIN, member({ id: '01'.repeat(16), name: 'lab-01', state: 'declined' })] })
    expect(totalsLine(d)).toBe('0 of 1 recipient verified, 1 declined')
  })
})

describe("the agent's log for people", () => {
  it('prints a recipient\'s state once per change, in the window\'s words', () => {
    const node = new EventEmitter<NodeEvents>()
    let out = ''
    attachEventLog(node, false, s => { out += s })
    const update = (state: 'downloading' | 'lost' | 'verified', reason?: string): void => {
      node.emit('recipient-update', { infoHash: 'a'.repeat(40), name: 'big.bin', recipient: { id: 'c'.repeat(32), name: 'lab-02', address: '10.0.0.8', state, verifiedPieces: 0, verifiedBytes: 0, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '', ...(reason === undefined ? {} : { reason }) } })
    }
    update('downloading'); update('downloading'); update('downloading')
    update('lost'); update('lost')
    update('downloading'); update('verified'); update('verified')
    const lines = out.trim().split('\n').map(l => l.replace(/^.*? {2}/, ''))
    expect(lines).toEqual(['big.bin → lab-02: receiving', 'big.bin → lab-02: lost contact', 'big.bin → lab-02: receiving', 'big.bin → lab-02: ✓ verified'])
  })

  it('--json still prints every update', () => {
    const node = new EventEmitter<NodeEvents>()
    let out = ''
    attachEventLog(node, true, s => { out += s })
    for (let i = 0; i < 3; i++) node.emit('recipient-update', { infoHash: 'a'.repeat(40), name: 'big.bin', recipient: { id: 'c'.repeat(32), name: 'lab-02', address: '', state: 'downloading', verifiedPieces: i, verifiedBytes: i, downloadSpeed: 0, uploadedBytes: 0, hashFailures: 0, updatedAt: '' } })
    expect(out.trim().split('\n')).toHaveLength(3)
  })
})

describe('send --wait into a log or a pipe', () => {
  it('prints a line when a machine\'s state or reason changes, and not while it only ages', () => {
    const said = new Map<string, string>()
    const now = Date.parse('2026-12-07T19:00:10Z')
    const a = member({ id: '01'.repeat(16), name: 'lab-01', state: 'downloading' })
    const b = member({ id: '02'.repeat(16), name: 'lab-02', state: 'downloading' })
    expect(stateChanges([a, b], said, now)).toEqual(['lab-01: receiving', 'lab-02: receiving'])
    expect(stateChanges([{ ...a, verifiedBytes: 5 }, b], said, now)).toEqual([])
    const lost: MemberRow = { ...b, state: 'lost', lostSince: '2026-12-07T19:00:05Z' }
    expect(stateChanges([a, lost], said, now)).toEqual(['lab-02: lost contact 0:05 ago, resumes when it returns'])
    expect(stateChanges([a, lost], said, now + 5000)).toEqual([])
    const full: MemberRow = { ...a, state: 'no-space', reason: FULL }
    expect(stateChanges([full, lost], said, now)).toEqual([`lab-01: out of space (${FULL})`])
  })
})

describe('send --to a machine that is away, or not there', () => {
  const self: SelfDevice = { id: 'ba73360c'.padEnd(32, '0'), fingerprint: 'ba73·360c', name: 'sender', platform: 'linux', version: '1' }
  const online = [machine('lab-01', '054ba5c5'.padEnd(32, '1'), true), machine('lab-02', '45e59c73'.padEnd(32, '2'), true)]
  const away = machine('lab-03', 'b924605c'.padEnd(32, '3'), false, '2026-12-07T19:00:00.000Z')

  it('takes a known machine that is away (it waits for the file, as a group\'s member does), by name or id prefix', () => {
    expect(chooseRecipient('LAB-03', online, [...online, away], self)).toEqual({ id: away.id })
    expect(chooseRecipient('b924', online, [...online, away], self)).toEqual({ id: away.id })
    // One on the network comes first; two away by one name are told apart by id prefix.
    expect(chooseRecipient('lab-01', online, [...online, away], self)).toEqual({ id: online[0]?.id })
    const twin = machine('lab-03', 'c0ffee00'.padEnd(32, '4'), false, '2026-12-07T18:00:00.000Z')
    expect(chooseRecipient('lab-03', online, [...online, away, twin], self)).toEqual({ error: 'send: "lab-03" matches lab-03 (b924·605c), lab-03 (c0ff·ee00); use an id prefix' })
    expect(chooseRecipient('nobody', online, [...online, away], self)).toEqual({ error: 'send: unknown recipient "nobody"; machines found: lab-01, lab-02' })
  })

  it('says this machine is this machine', () => {
    expect(noRecipientMessage('sender', online, self)).toBe('send: "sender" is this machine; it has the file already. Machines found: lab-01, lab-02')
  })

  it('says an id prefix is too short, and an unknown name is unknown', () => {
    expect(matchMachines(online, '05')).toEqual([])
    expect(noRecipientMessage('05', online, self)).toBe('send: "05" is too short for an id prefix (at least 4 hex digits) and no machine has that name; machines found: lab-01, lab-02')
    expect(noRecipientMessage('nobody', online, self)).toBe('send: unknown recipient "nobody"; machines found: lab-01, lab-02')
    expect(matchMachines(online, '054b·a5c5').map(m => m.name)).toEqual(['lab-01'])
  })
})

describe('numbers a person types wrong', () => {
  it('a negative --timeout is out of range, not "an option"', () => {
    expect(usageErrorOf(() => intFlag(parse(sendUsage, ['f', '--timeout', '-5']), 'timeout', 1, 2592000))).toBe('--timeout must be a whole number from 1 to 2592000, not "-5"')
    expect(usageErrorOf(() => intFlag(parse(sendUsage, ['f', '--timeout', '0']), 'timeout', 1, 2592000))).toBe('--timeout must be a whole number from 1 to 2592000, not "0"')
    expect(usageErrorOf(() => parse(sendUsage, ['f', '--to', '--all']))).toContain('option --to needs a value, not the option --all')
  })
})

describe('an empty report', () => {
  it('names the data folder it read when no agent runs', () => {
    expect(emptyHistoryText('/home/me/.local/share/swarmdrop', false)).toContain('Nothing in the history of /home/me/.local/share/swarmdrop (no agent runs for it)')
    expect(emptyHistoryText('/x', true)).toBe('Nothing in the history yet. Distributions appear here once sent or received.\n')
  })
})

describe('machines that cannot be told apart', () => {
  const self: SelfDevice = { id: 'ba73360c'.padEnd(32, '0'), fingerprint: 'ba73·360c', name: 'sender', platform: 'linux', version: '1' }
  const twin: Machine = { ...machine('lab-a', '7e4f6ec2'.padEnd(32, '1'), true), twinAddresses: ['10.0.0.10', '10.0.0.11'], twinProblem: 'lab-a (7e4f·6ec2) answers from 10.0.0.10 and 10.0.0.11, each holding its device key' }

  it('send --to an id two machines answer for is refused with why, by name or by id prefix', () => {
    expect(chooseRecipient('lab-a', [twin], [twin], self)).toEqual({ error: `send: ${twin.twinProblem ?? ''}` })
    expect(chooseRecipient('7e4f6e', [twin], [twin], self)).toEqual({ error: `send: ${twin.twinProblem ?? ''}` })
  })

  it('peers shows a twin under its row and a shared name beside it', () => {
    expect(peerLine(twin)).toBe(`lab-a                7e4f·6ec2  10.0.0.9        linux    2 machines hold this id\n  ! ${twin.twinProblem ?? ''}\n`)
    const shared: Machine = { ...machine('lab-b', '12345678'.padEnd(32, '2'), true), sharedName: true }
    expect(peerLine(shared)).toBe('lab-b                1234·5678  10.0.0.9        linux    name shared: use its id\n')
  })
})
