import { describe, expect, it } from 'vitest'
import { NotificationTracker, finishedKey } from '../../../main/electron/notification-model.js'
import { HASH_A, HASH_B, MiB, appState, distribution, member, offer, watchedFolder } from './app-state-fixture.js'

const originRow = member({ id: 'o'.repeat(32), name: 'desk-01', self: true, origin: true, state: 'verified', verified: true, verifiedBytes: 16 * MiB })
const lab = (c: string, verified: boolean) => member({ id: c.repeat(32), name: `lab-${c}`, state: verified ? 'verified' : 'downloading', verified, verifiedBytes: verified ? 16 * MiB : 0 })

describe('notification model', () => {
  it('notifies each incoming offer once, and leads to the Incoming view', () => {
    const t = new NotificationTracker()
    const one = appState({ offers: [offer({ offerId: 'o1', name: 'ubuntu.iso' })] })
    const [first, ...rest] = t.next(one)
    expect(rest).toEqual([])
    expect(first).toMatchObject({ key: 'offer:o1', target: { view: 'incoming' }, title: 'lab-07 wants to send you a file' })
    expect(first?.body).toContain('ubuntu.iso (2.6 GB) from lab-07 · 9f3a·c21e')
    expect(t.next(one)).toEqual([])
    // A second offer stacks: it gets its own notice.
    const two = appState({ offers: [offer({ offerId: 'o1', name: 'ubuntu.iso' }), offer({ offerId: 'o2', name: 'b.iso' })] })
    expect(t.next(two).map(i => i.key)).toEqual(['offer:o2'])
  })

  it('notifies a recipient when its copy is verified, once', () => {
    const t = new NotificationTracker()
    const receiving = distribution({ infoHash: HASH_A, name: 'data.bin', role: 'recipient', state: 'downloading', path: '/home/me/Downloads/Swarmdrop/data.bin' })
    expect(t.next(appState({ distributions: [receiving] }))).toEqual([])
    const done = { ...receiving, state: 'verified' as const }
    const intents = t.next(appState({ distributions: [done] }))
    expect(intents).toHaveLength(1)
    expect(intents[0]).toMatchObject({ title: 'data.bin arrived', target: { view: 'distribution', infoHash: HASH_A } })
    expect(intents[0]?.body).toContain('/home/me/Downloads/Swarmdrop/data.bin')
    expect(t.next(appState({ distributions: [done] }))).toEqual([])
  })

  it('notifies the origin only when every recipient is verified', () => {
    const t = new NotificationTracker()
    const partly = distribution({ infoHash: HASH_B, name: 'big.iso', members: [originRow, lab('a', true), lab('b', false)] })
    expect(t.next(appState({ distributions: [partly] }))).toEqual([])
    const all = { ...partly, members: [originRow, lab('a', true), lab('b', true)] }
    const intents = t.next(appState({ distributions: [all] }))
    expect(intents.map(i => i.title)).toEqual(['big.iso delivered'])
    expect(intents[0]?.body).toBe('big.iso is on all 2 machines you sent it to, verified.')
  })

  it('does not announce what had finished before the app started', () => {
    const t = new NotificationTracker()
    const old = distribution({ infoHash: HASH_B, name: 'old.iso', members: [originRow, lab('a', true)] })
    expect(t.next(appState({ distributions: [old] }))).toEqual([])
  })

  it('tells the sender once when a machine it sends to fails or runs out of space, and not of what failed before it started', () => {
    const t = new NotificationTracker()
    const going = distribution({ infoHash: HASH_B, name: 'big.iso', members: [originRow, lab('a', false), lab('b', false)] })
    expect(t.next(appState({ distributions: [going] }))).toEqual([])
    const failed = { ...going, members: [originRow, { ...lab('a', false), state: 'failed' as const, reason: 'the downloads folder is read-only' }, { ...lab('b', false), state: 'no-space' as const }] }
    const intents = t.next(appState({ distributions: [failed] }))
    expect(intents.map(i => i.title)).toEqual(['lab-a could not take big.iso', 'lab-b is out of space for big.iso'])
    expect(intents[0]).toMatchObject({ body: 'The downloads folder is read-only. The other machines go on.', target: { view: 'distribution', infoHash: HASH_B } })
    expect(t.next(appState({ distributions: [failed] }))).toEqual([])
    // Started with the machine failed already: old news; one out of space still needs someone.
    const fresh = new NotificationTracker()
    expect(fresh.next(appState({ distributions: [failed] })).map(i => i.title)).toEqual(['lab-b is out of space for big.iso'])
  })

  it('has no finished key for an origin with no recipients yet', () => {
    expect(finishedKey(distribution({ infoHash: HASH_A, name: 'x', members: [originRow] }))).toBeNull()
  })
})

describe('notification when the engine process is given up on (issue 13)', () => {
  it('notifies once, with the sentence the window shows, and not while it only restarts', () => {
    const t = new NotificationTracker()
    const message = 'The engine stopped 5 times in a row soon after starting (last: exit code 1), so Swarmdrop stopped restarting it: try again once that is mended, or quit and open Swarmdrop again.'
    expect(t.next(appState({ engine: { status: 'running', message: 'The engine runs.' } }))).toEqual([])
    expect(t.next(appState({ engine: { status: 'restarting', message: 'The engine stopped unexpectedly (exit code 1); restarting it, and transfers resume once it is back.' } }))).toEqual([])
    expect(t.next(appState({ engine: { status: 'failed', message } }))).toEqual([{ key: 'engine-failed', title: 'Swarmdrop’s engine stopped', body: message }])
    expect(t.next(appState({ engine: { status: 'failed', message } }))).toEqual([])
  })

  it('tells of a sender\'s withdrawal once, not of one made before the app started', () => {
    const t = new NotificationTracker()
    const old = { id: 'n1', at: '2026-12-07T16:00:00.000Z', text: 'lab-01 withdrew its offer of old.iso' }
    const fresh = { id: 'n2', at: '2026-12-07T16:05:00.000Z', text: 'lab-01 withdrew ubuntu.iso before it finished here; the 1.2 GB received were deleted' }
    expect(t.next(appState({ notices: [old] }))).toEqual([])
    expect(t.next(appState({ notices: [old, fresh] }))).toEqual([{ key: `notice:n2:${fresh.at}`, title: 'A transfer was withdrawn', body: fresh.text }])
    expect(t.next(appState({ notices: [old, fresh] }))).toEqual([])
  })
})

describe('notifications in the failure states the window learned in session 29', () => {
  const senderId = '9f3ac21e'.padEnd(32, '0')

  it('does not invite accepting an offer into a folder that refuses it', () => {
    const t = new NotificationTracker()
    const readOnly = offer({ offerId: 'o1', name: 'b.iso', destination: { dir: '/dl', freeBytes: 5e9, fits: true, problem: '/dl is on a read-only file system' } })
    const tooBig = offer({ offerId: 'o2', name: 'c.iso', destination: { dir: '/dl', freeBytes: 1e9, fits: false } })
    const bodies = t.next(appState({ offers: [readOnly, tooBig] })).map(i => i.body)
    expect(bodies[0]).toBe('b.iso (2.6 GB) from lab-07 · 9f3a·c21e. It cannot be saved in /dl: /dl is on a read-only file system. Open Swarmdrop to choose another folder or decline.')
    expect(bodies[1]).toBe('c.iso (2.6 GB) from lab-07 · 9f3a·c21e. /dl has too little free space for it (1.0 GB free). Open Swarmdrop to choose another folder or decline.')
  })

  it('says the sender of an offer is away, as the card does', () => {
    const t = new NotificationTracker()
    const away = { id: senderId, fingerprint: '9f3a·c21e', name: 'lab-07', platform: 'linux', address: '10.0.0.7', online: false, trusted: false, lastSeen: '2026-12-07T10:00:00.000Z' }
    const [intent] = t.next(appState({ machines: [away], offers: [offer({ offerId: 'o1', name: 'b.iso' })] }))
    expect(intent?.body).toBe('b.iso (2.6 GB) from lab-07 · 9f3a·c21e. lab-07 is not on the network now: accepting starts the download when it is back. Open Swarmdrop to accept or decline.')
  })

  it('tells of a download here that failed once, not one that failed before the app started', () => {
    const t = new NotificationTracker()
    const receiving = distribution({ infoHash: HASH_A, name: 'data.bin', role: 'recipient', state: 'downloading' })
    const old = distribution({ infoHash: HASH_B, name: 'old.bin', role: 'recipient', state: 'failed', reason: 'the sender is gone' })
    expect(t.next(appState({ distributions: [receiving, old] }))).toEqual([])
    const failed = { ...receiving, state: 'failed' as const, reason: 'the downloads folder /dl was deleted while data.bin arrived' }
    expect(t.next(appState({ distributions: [failed, old] }))).toEqual([{
      key: `failed:${HASH_A}:${failed.reason}`,
      title: 'data.bin failed',
      body: 'The downloads folder /dl was deleted while data.bin arrived.',
      target: { view: 'distribution', infoHash: HASH_A }
    }])
    expect(t.next(appState({ distributions: [failed, old] }))).toEqual([])
  })

  it('tells once that a download waits for space, even as it flips back and forth', () => {
    const t = new NotificationTracker()
    const reason = 'no room for more files in /dl: its file system has 0 free file entries (inodes) for 3 files still to create, though 66.9 MB are free; it resumes by itself once files are deleted there'
    const full = distribution({ infoHash: HASH_A, name: 'many', role: 'recipient', state: 'no-space', reason })
    const intents = t.next(appState({ distributions: [full] }))
    expect(intents.map(i => [i.title, i.body])).toEqual([['many is on hold: out of space', `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`]])
    expect(t.next(appState({ distributions: [{ ...full, state: 'downloading' }] }))).toEqual([])
    expect(t.next(appState({ distributions: [full] }))).toEqual([])
  })

  it('tells once that a watched folder cannot send, again only for another reason', () => {
    const t = new NotificationTracker()
    const gone = watchedFolder({ state: 'error', reason: 'cannot read /srv/renders: no such folder' })
    expect(t.next(appState({ channels: [gone] })).map(i => [i.title, i.body])).toEqual([['Watched folder renders cannot send', 'Cannot read /srv/renders: no such folder.']])
    expect(t.next(appState({ channels: [gone] }))).toEqual([])
    expect(t.next(appState({ channels: [watchedFolder({ state: 'watching' })] }))).toEqual([])
    expect(t.next(appState({ channels: [{ ...gone, reason: 'the group lab no longer exists: nothing is sent' }] }))).toHaveLength(1)
  })

  it('tells of a withdrawal after the engine restarted, though its notice ids start again', () => {
    const t = new NotificationTracker()
    t.next(appState())
    const before = { id: 'n1', at: '2026-12-07T16:00:00.000Z', text: 'lab-01 withdrew a.iso before it finished here; the 1 GB received were deleted' }
    expect(t.next(appState({ notices: [before] }))).toHaveLength(1)
    const after = { id: 'n1', at: '2026-12-07T16:30:00.000Z', text: 'lab-01 withdrew b.iso before it finished here; the 2 GB received were deleted' }
    expect(t.next(appState({ notices: [after] })).map(i => i.body)).toEqual([after.text])
  })
})
