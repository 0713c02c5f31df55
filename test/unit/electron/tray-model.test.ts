import { describe, expect, it } from 'vitest'
import {
  MAX_MENU_DISTRIBUTIONS, currentProblems, distributionLine, distributionPercent, menuSignature,
  trayIconFile, trayIconState, trayMenu, trayTooltip
} from '../../../main/electron/tray-model.js'
import { HASH_A, HASH_B, MiB, appState, distribution, member, offer, watchedFolder } from './app-state-fixture.js'

const none = new Set<string>()

describe('tray icon state', () => {
  it('is idle when nothing moves and nothing waits', () => {
    expect(trayIconState(appState(), none)).toBe('idle')
    // A seeding origin that serves nobody right now is not "transferring".
    expect(trayIconState(appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso' })] }), none)).toBe('idle')
  })

  it('is transferring while hashing, receiving or moving bytes', () => {
    expect(trayIconState(appState({ hashing: [{ jobId: 'j1', path: '/x', name: 'x', bytesDone: 1, bytesTotal: 9 }] }), none)).toBe('transferring')
    expect(trayIconState(appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a', role: 'recipient', state: 'downloading' })] }), none)).toBe('transferring')
    expect(trayIconState(appState({ rates: { upload: 5_000_000, download: 0 } }), none)).toBe('transferring')
  })

  it('asks for attention while an offer waits, above everything else', () => {
    const s = appState({
      offers: [offer({ offerId: 'o1', name: 'b.iso' })],
      rates: { upload: 1, download: 1 },
      distributions: [distribution({ infoHash: HASH_A, name: 'a', state: 'failed' })]
    })
    expect(trayIconState(s, none)).toBe('attention')
  })

  it('shows an error until the failure is seen, and a full disk for as long as it lasts', () => {
    const failed = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a', state: 'failed' })] })
    expect(trayIconState(failed, none)).toBe('error')
    expect(trayIconState(failed, new Set(currentProblems(failed)))).toBe('idle')
    const full = appState({ distributions: [distribution({ infoHash: HASH_B, name: 'b', role: 'recipient', state: 'no-space' })] })
    expect(trayIconState(full, new Set([`${HASH_B}:no-space`]))).toBe('error')
  })

  it('shows an error, and says so, while a machine receiving from this one is out of space', () => {
    const lab = member({ id: 'b'.repeat(32), name: 'lab-01', state: 'no-space' })
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a', members: [lab] })] })
    expect(trayIconState(s, none)).toBe('error')
    expect(trayTooltip(s).split('\n')).toEqual(['Swarmdrop — ↑ 0 B/s  ↓ 0 B/s', '1 machine out of space'])
  })

  it('names an icon file per platform size, state and panel theme', () => {
    expect(trayIconFile('linux', 'attention', 'dark')).toBe('tray-attention-dark-32.png')
    expect(trayIconFile('win32', 'idle', 'light')).toBe('tray-idle-light-16.png')
    expect(trayIconFile('darwin', 'error', 'dark')).toBe('tray-error-dark-16.png')
  })
})

describe('tray tooltip', () => {
  it('gives both rates in human units', () => {
    expect(trayTooltip(appState({ rates: { upload: 118_000_000, download: 0 } }))).toBe('Swarmdrop — ↑ 118 MB/s  ↓ 0 B/s')
  })

  it('mentions waiting offers and paused seeding', () => {
    const text = trayTooltip(appState({ offers: [offer({ offerId: 'o1', name: 'a' }), offer({ offerId: 'o2', name: 'b' })], seedingPaused: true }))
    expect(text.split('\n')).toEqual(['Swarmdrop — ↑ 0 B/s  ↓ 0 B/s', '2 offers wait for an answer', 'Seeding paused'])
  })
})

describe('distribution progress', () => {
  const origin = member({ id: 'o'.repeat(32), name: 'desk-01', self: true, origin: true, state: 'verified', verified: true, verifiedBytes: 16 * MiB })

  it("is the recipients' share of the bytes for the origin", () => {
    const d = distribution({
      infoHash: HASH_A,
      name: 'ubuntu-24.04-server-amd64.iso',
      members: [
        origin,
        member({ id: 'a'.repeat(32), name: 'lab-01', state: 'verified', verified: true, verifiedBytes: 16 * MiB }),
        member({ id: 'b'.repeat(32), name: 'lab-02', verifiedBytes: 8 * MiB }),
        member({ id: 'c'.repeat(32), name: 'lab-03', verifiedBytes: 0 })
      ]
    })
    expect(distributionPercent(d)).toBe(50)
    expect(distributionLine(d)).toBe('ubuntu-24.04-server…iso — 50%, 1 of 3 recipients verified')
  })

  it("is this machine's own copy for a recipient, floored so 100% means complete", () => {
    const d = distribution({
      infoHash: HASH_B,
      name: 'data.bin',
      role: 'recipient',
      state: 'paused',
      members: [{ ...origin, self: false }, member({ id: 'd'.repeat(32), name: 'desk-02', self: true, verifiedBytes: 16 * MiB - 1 })]
    })
    expect(distributionPercent(d)).toBe(99)
    expect(distributionLine(d)).toBe('data.bin — 99%, 0 of 1 recipient verified (paused)')
  })
})

describe('tray menu', () => {
  it('lists Open, each active distribution, Pause all and Quit', () => {
    const s = appState({
      distributions: [
        distribution({ infoHash: HASH_A, name: 'a.iso' }),
        distribution({ infoHash: HASH_B, name: 'old.iso', state: 'failed' })
      ]
    })
    const items = trayMenu(s)
    expect(items.map(i => i.kind)).toEqual(['open', 'separator', 'distribution', 'separator', 'pause-all', 'separator', 'quit'])
    expect(items.find(i => i.kind === 'distribution')).toMatchObject({ infoHash: HASH_A })
  })

  it('offers Resume all while seeding is paused, and says when nothing is active', () => {
    const items = trayMenu(appState({ seedingPaused: true }))
    expect(items).toContainEqual({ kind: 'resume-all', label: 'Resume all' })
    expect(items).toContainEqual({ kind: 'note', label: 'No active distributions' })
  })

  it('caps the distribution lines and counts the rest', () => {
    const many = Array.from({ length: MAX_MENU_DISTRIBUTIONS + 3 }, (_, i) =>
      distribution({ infoHash: i.toString(16).padStart(40, '0'), name: `file-${i}.bin` }))
    const items = trayMenu(appState({ distributions: many }))
    expect(items.filter(i => i.kind === 'distribution')).toHaveLength(MAX_MENU_DISTRIBUTIONS)
    expect(items).toContainEqual({ kind: 'note', label: 'and 3 more…' })
  })

  it('has the same signature while its text is the same, and a new one when it changes', () => {
    const d = distribution({ infoHash: HASH_A, name: 'a.iso' })
    const first = menuSignature(trayMenu(appState({ distributions: [d], rates: { upload: 1, download: 0 } })))
    // Rates live in the tooltip, not the menu: no rebuild for them.
    expect(menuSignature(trayMenu(appState({ distributions: [d], rates: { upload: 9e6, download: 5 } })))).toBe(first)
    expect(menuSignature(trayMenu(appState({ distributions: [d], seedingPaused: true })))).not.toBe(first)
  })
})

describe('tray while the engine process is down (issue 13)', () => {
  const restarting = { status: 'restarting', message: 'The engine stopped unexpectedly (ended by SIGKILL); restarting it, and transfers resume once it is back.' } as const
  const failed = { status: 'failed', message: 'The engine stopped 5 times in a row soon after starting (last: exit code 1), so Swarmdrop stopped restarting it: try again once that is mended, or quit and open Swarmdrop again.' } as const

  it('says so in the tooltip, with the sentence the window shows, instead of rates that are old', () => {
    const s = appState({ engine: restarting, rates: { upload: 5_000_000, download: 0 } })
    expect(trayTooltip(s)).toBe(`Swarmdrop — engine restarting…\n${restarting.message}`)
    expect(trayTooltip(appState({ engine: failed }))).toBe(`Swarmdrop — engine stopped\n${failed.message}`)
    expect(trayTooltip(appState({ engine: { status: 'running', message: 'The engine runs.' } }))).toMatch(/^Swarmdrop — ↑/)
  })

  it('shows the error icon above an offer, and a line in the menu', () => {
    expect(trayIconState(appState({ engine: restarting, offers: [offer({ offerId: 'o1', name: 'b.iso' })] }), none)).toBe('error')
    expect(trayIconState(appState({ engine: failed }), none)).toBe('error')
    expect(trayMenu(appState({ engine: restarting }))).toContainEqual({ kind: 'note', label: 'The engine is restarting…' })
    const menu = trayMenu(appState({ engine: failed }))
    const at = menu.findIndex(i => i.kind === 'note' && i.label === 'The engine stopped')
    expect(at).toBeGreaterThan(0)
    expect(menu[at + 1]).toEqual({ kind: 'restart-engine', label: 'Start the engine again' })
    // Only once it is given up on: while the shell restarts it by itself there is nothing to ask.
    expect(trayMenu(appState({ engine: { status: 'restarting', message: 'The engine stopped unexpectedly (ended by SIGKILL); restarting it, and transfers resume once it is back.' } })).some(i => i.kind === 'restart-engine')).toBe(false)
    expect(trayMenu(appState({ engine: { status: 'running', message: 'The engine runs.' } })).filter(i => i.kind === 'note')).toEqual([{ kind: 'note', label: 'No active distributions' }])
  })
})

describe('tray in the failure states the window learned in session 29', () => {
  const originSelf = member({ id: 'o'.repeat(32), name: 'desk-01', self: true, origin: true, state: 'verified', verified: true, verifiedBytes: 16 * MiB })
  const sender = member({ id: 's'.repeat(32), name: 'lab-07', origin: true, state: 'verified', verified: true, verifiedBytes: 16 * MiB })
  const me = member({ id: 'm'.repeat(32), name: 'desk-01', self: true, verifiedBytes: 4 * MiB })
  const since = '2026-12-07T10:00:00.000Z'

  it('says which machines it lost contact with, without calling it an error', () => {
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', members: [originSelf, member({ id: 'b'.repeat(32), name: 'lab-01', state: 'lost', lostSince: since, verifiedBytes: 8 * MiB })] })] })
    expect(trayIconState(s, none)).toBe('idle')
    expect(trayTooltip(s).split('\n')).toEqual(['Swarmdrop — ↑ 0 B/s  ↓ 0 B/s', 'Lost contact with 1 machine'])
    expect(trayMenu(s)).toContainEqual({ kind: 'distribution', label: 'a.iso — 50%, 0 of 1 recipient verified, 1 lost contact', infoHash: HASH_A })
  })

  it('does not show a download as transferring while its only source is away', () => {
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', role: 'recipient', state: 'downloading', members: [{ ...sender, state: 'lost', lostSince: since }, { ...me, waitsForSource: true }] })] })
    expect(trayIconState(s, none)).toBe('idle')
    expect(trayTooltip(s).split('\n').slice(1)).toEqual(['Lost contact with 1 machine', '1 download on hold until a machine that is away returns'])
    expect(trayMenu(s)).toContainEqual({ kind: 'distribution', label: 'a.iso — 25%, 0 of 1 recipient verified (on hold: a machine is away)', infoHash: HASH_A })
  })

  it('says this machine is out of space, in words true of file entries (inodes) too', () => {
    const reason = 'no room for more files in /dl: its file system has 0 free file entries (inodes) for 3 files still to create, though 66.9 MB are free; it resumes by itself once files are deleted there'
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', role: 'recipient', state: 'no-space', reason, members: [sender, { ...me, state: 'no-space' }] })] })
    expect(trayIconState(s, none)).toBe('error')
    expect(trayTooltip(s).split('\n')[1]).toBe('1 download on hold: out of space here')
    expect(trayMenu(s)).toContainEqual({ kind: 'distribution', label: 'a.iso — 25%, 0 of 1 recipient verified (out of space)', infoHash: HASH_A })
  })

  it('says what failed while the icon is red for it, and no more once seen', () => {
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', role: 'recipient', state: 'failed', reason: 'the downloads folder /dl was deleted' })] })
    expect(trayTooltip(s, none).split('\n')[1]).toBe('a.iso failed — open Swarmdrop for why')
    expect(trayTooltip(s, new Set(currentProblems(s)))).toBe('Swarmdrop — ↑ 0 B/s  ↓ 0 B/s')
  })

  it("shows a recipient's failure on the sender until seen, in the icon, the tooltip and the line", () => {
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', members: [originSelf, member({ id: 'b'.repeat(32), name: 'lab-01', state: 'failed', reason: 'cannot write a.iso: /dl is on a read-only file system' })] })] })
    expect(trayIconState(s, none)).toBe('error')
    expect(trayTooltip(s).split('\n')[1]).toBe('a.iso will not reach 1 machine — open Swarmdrop for why')
    expect(trayMenu(s)).toContainEqual({ kind: 'distribution', label: 'a.iso — 0%, 0 of 1 recipient verified, 1 failed', infoHash: HASH_A })
    expect(trayIconState(s, new Set(currentProblems(s)))).toBe('idle')
  })

  it('shows a watched folder that cannot send, with its reason', () => {
    const s = appState({ channels: [watchedFolder({ state: 'error', reason: 'cannot read /srv/renders: no such folder' })] })
    expect(trayIconState(s, none)).toBe('error')
    expect(trayTooltip(s).split('\n')[1]).toBe('Watched folder renders: cannot read /srv/renders: no such folder')
    expect(trayIconState(appState({ channels: [watchedFolder({ state: 'watching' })] }), none)).toBe('idle')
  })

  it('stays calm about a machine waiting to come back on the network', () => {
    const s = appState({ distributions: [distribution({ infoHash: HASH_A, name: 'a.iso', members: [originSelf, member({ id: 'b'.repeat(32), name: 'lab-01', state: 'waiting', waitingSince: since })] })] })
    expect(trayIconState(s, none)).toBe('idle')
    expect(trayTooltip(s)).toBe('Swarmdrop — ↑ 0 B/s  ↓ 0 B/s')
  })
})
