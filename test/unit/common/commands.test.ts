// parseCommand is the gate every UI request passes: valid commands come through unchanged, every
// malformed one is refused with a message naming the field, and nothing a page sends makes it throw.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCommand, parseSettingsPatch } from '../../../common/commands.js'

const IH = 'a'.repeat(40)
const ID = '0123456789abcdef0123456789abcdef'

function refused (raw: unknown): string {
  const r = parseCommand(raw)
  if (r.ok) throw new Error(`accepted ${JSON.stringify(raw)}`)
  expect(r.error.code).toBe('bad-request')
  return r.error.message
}

describe('parseCommand accepts every command variant', () => {
  const valid: unknown[] = [
    { type: 'create', path: '/srv/iso/ubuntu.iso' },
    { type: 'offer', infoHash: IH, to: [ID] },
    { type: 'accept', offerId: '3f2c1d-aa', downloadsDir: '/data/in', alwaysTrust: true },
    { type: 'accept', offerId: 'x' },
    { type: 'decline', offerId: 'abc-123' },
    { type: 'pause' },
    { type: 'pause', infoHash: IH },
    { type: 'resume' },
    { type: 'resume', infoHash: IH },
    { type: 'open-folder', infoHash: IH },
    { type: 'choose-folder' },
    { type: 'update-settings', patch: { name: 'lab-07', accept: 'trusted', uploadLimit: 0, downloadLimit: 1_000_000, startAtLogin: true, startHidden: false, downloadsDir: '/dl' } },
    { type: 'trust', id: ID },
    { type: 'untrust', id: ID },
    { type: 'browse' },
    { type: 'browse', path: '/srv/images' },
    { type: 'group-add', name: 'lab', ids: [ID] },
    { type: 'group-set', name: 'Render_farm.2', ids: [] },
    { type: 'group-remove', name: 'lab' },
    { type: 'group-remove', name: 'lab-03', ids: [ID] }
  ]
  for (const raw of valid) {
    it(JSON.stringify(raw).slice(0, 80), () => {
      const r = parseCommand(raw)
      expect(r).toEqual({ ok: true, value: raw })
    })
  }

  it('trims a name and removes duplicate recipients', () => {
    expect(parseCommand({ type: 'update-settings', patch: { name: '  lab-07 ' } })).toEqual({ ok: true, value: { type: 'update-settings', patch: { name: 'lab-07' } } })
    expect(parseCommand({ type: 'offer', infoHash: IH, to: [ID, ID] })).toEqual({ ok: true, value: { type: 'offer', infoHash: IH, to: [ID] } })
  })
})

describe('parseCommand refuses malformed commands, naming the field', () => {
  it('refuses non-objects, unknown types and missing types', () => {
    expect(refused(null)).toMatch(/object/)
    expect(refused([{ type: 'pause' }])).toMatch(/object/)
    expect(refused('pause')).toMatch(/object/)
    expect(refused({ type: 'format-disk' })).toMatch(/unknown command type "format-disk"/)
    expect(refused({})).toMatch(/needs a type/)
  })

  it('refuses extra fields', () => {
    expect(refused({ type: 'pause', all: true })).toMatch(/pause takes no field "all"/)
    expect(refused({ type: 'choose-folder', path: '/' })).toMatch(/no field "path"/)
    expect(refused({ type: 'create', path: '/a', __proto__x: 1 })).toMatch(/no field/)
  })

  it('checks infohashes, device ids and offer ids', () => {
    expect(refused({ type: 'offer', infoHash: IH.toUpperCase(), to: [ID] })).toMatch(/infoHash/)
    expect(refused({ type: 'open-folder', infoHash: 'a'.repeat(39) })).toMatch(/infoHash/)
    expect(refused({ type: 'pause', infoHash: 42 })).toMatch(/infoHash/)
    expect(refused({ type: 'offer', infoHash: IH, to: [ID, 'lab-07'] })).toMatch(/to\[1\]/)
    expect(refused({ type: 'trust', id: ID.slice(1) })).toMatch(/^id must be a device id/)
    expect(refused({ type: 'accept', offerId: '../../etc' })).toMatch(/offerId/)
    expect(refused({ type: 'decline', offerId: 'x'.repeat(65) })).toMatch(/offerId/)
  })

  it('bounds the recipient list', () => {
    expect(refused({ type: 'offer', infoHash: IH, to: [] })).toMatch(/1 to 1000/)
    const many = Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(32, '0'))
    expect(refused({ type: 'offer', infoHash: IH, to: many })).toMatch(/1 to 1000/)
    expect(refused({ type: 'offer', infoHash: IH, to: ID })).toMatch(/list/)
  })

  it('bounds paths', () => {
    expect(refused({ type: 'create', path: '' })).toMatch(/path/)
    expect(refused({ type: 'create', path: 'x'.repeat(4097) })).toMatch(/path/)
    expect(refused({ type: 'create', path: '/a\0b' })).toMatch(/NUL/)
    expect(refused({ type: 'browse', path: '' })).toMatch(/path/)
    expect(refused({ type: 'browse', path: 7 })).toMatch(/path/)
    expect(refused({ type: 'browse', path: '/a\0b' })).toMatch(/NUL/)
    expect(refused({ type: 'browse', path: '/a', depth: 3 })).toMatch(/no field/)
    expect(refused({ type: 'accept', offerId: 'x', downloadsDir: 7 })).toMatch(/downloadsDir/)
    expect(refused({ type: 'accept', offerId: 'x', alwaysTrust: 'yes' })).toMatch(/alwaysTrust/)
  })

  it('types and ranges every setting', () => {
    const patch = (p: unknown): string => refused({ type: 'update-settings', patch: p })
    expect(patch(undefined)).toMatch(/patch must be an object/)
    expect(patch({})).toMatch(/at least one/)
    expect(patch({ name: '' })).toMatch(/patch\.name/)
    expect(patch({ name: 'x'.repeat(65) })).toMatch(/patch\.name/)
    expect(patch({ name: 'a\nb' })).toMatch(/patch\.name/)
    expect(patch({ accept: 'everyone' })).toMatch(/patch\.accept/)
    expect(patch({ uploadLimit: -1 })).toMatch(/patch\.uploadLimit/)
    expect(patch({ downloadLimit: 1.5 })).toMatch(/patch\.downloadLimit/)
    expect(patch({ downloadLimit: Number.POSITIVE_INFINITY })).toMatch(/patch\.downloadLimit/)
    expect(patch({ startAtLogin: 'true' })).toMatch(/patch\.startAtLogin/)
    expect(patch({ btPort: 1 })).toMatch(/unknown setting "btPort"/)
  })

  it('names a setting as its caller does: the CLI checks its flags as a patch', () => {
    const asFlag = (setting: string): string => `--${setting}`
    expect(parseSettingsPatch({ accept: 'everyone' }, asFlag)).toEqual({ ok: false, error: { code: 'bad-request', message: '--accept must be one of ask, trusted, all' } })
    expect(parseSettingsPatch({ name: 'a\nb' }, asFlag)).toMatchObject({ ok: false, error: { message: '--name must be 1 to 64 printable characters' } })
    expect(parseSettingsPatch({ name: ' lab-07 ', accept: 'all' }, asFlag)).toEqual({ ok: true, value: { name: 'lab-07', accept: 'all' } })
  })
})

describe('offer and send: one shape, each its own fields', () => {
  it('checks what goes and to whom, and refuses the other command\'s field', () => {
    expect(parseCommand({ type: 'send', path: '/srv/a.iso', to: [ID, ID] })).toEqual({ ok: true, value: { type: 'send', path: '/srv/a.iso', to: [ID] } })
    expect(refused({ type: 'send', infoHash: IH, to: [ID] })).toMatch(/send takes no field "infoHash"/)
    expect(refused({ type: 'offer', path: '/srv/a.iso', to: [ID] })).toMatch(/offer takes no field "path"/)
    expect(refused({ type: 'send', path: '', to: [ID] })).toMatch(/^path must be a path/)
    expect(refused({ type: 'send', path: 'a\0b', to: [ID] })).toMatch(/NUL/)
    expect(refused({ type: 'offer', infoHash: 'x', to: [ID] })).toMatch(/^infoHash must be an infohash/)
    expect(refused({ type: 'send', path: '/a', to: ['lab-07'] })).toMatch(/to\[0\]/)
    expect(refused({ type: 'stop', now: true })).toMatch(/stop takes no field "now"/)
    expect(parseCommand({ type: 'stop' })).toEqual({ ok: true, value: { type: 'stop' } })
    expect(parseCommand({ type: 'restart-engine' })).toEqual({ ok: true, value: { type: 'restart-engine' } })
    expect(refused({ type: 'restart-engine', force: true })).toMatch(/restart-engine takes no field "force"/)
  })
})

describe('parseCommand checks group commands', () => {
  it('takes only safe group names: no comma, space or @, 32 characters at most', () => {
    for (const name of ['', '@lab', 'lab,03', 'lab 03', '-lab', '.lab', 'a'.repeat(33), 'läb', 7, null]) {
      expect(refused({ type: 'group-add', name, ids: [ID] })).toMatch(/^name must be a group name/)
    }
    expect(parseCommand({ type: 'group-add', name: 'a'.repeat(32), ids: [ID] }).ok).toBe(true)
  })

  it('takes device ids only, each once, and bounds their count', () => {
    expect(refused({ type: 'group-add', name: 'lab', ids: [] })).toMatch(/^ids must be a list of 1 to 1000/)
    expect(refused({ type: 'group-add', name: 'lab', ids: ['lab-01'] })).toMatch(/^ids\[0\] must be a device id/)
    expect(refused({ type: 'group-add', name: 'lab', ids: [ID.toUpperCase()] })).toMatch(/^ids\[0\] must be a device id/)
    expect(refused({ type: 'group-set', name: 'lab', ids: new Array(1001).fill(ID) })).toMatch(/^ids must be a list of 0 to 1000/)
    expect(refused({ type: 'group-remove', name: 'lab', ids: [] })).toMatch(/^ids must be a list of 1 to 1000/)
    expect(refused({ type: 'group-set', name: 'lab', ids: [ID], rename: 'x' })).toMatch(/takes no field "rename"/)
    expect(parseCommand({ type: 'group-add', name: 'lab', ids: [ID, ID] })).toEqual({ ok: true, value: { type: 'group-add', name: 'lab', ids: [ID] } })
  })
})

describe('parseCommand on arbitrary input', () => {
  it('never throws and answers only with an ApiResult', () => {
    const types = fc.constantFrom('create', 'offer', 'send', 'stop', 'accept', 'decline', 'pause', 'resume', 'open-folder', 'choose-folder', 'update-settings', 'trust', 'untrust', 'browse',
      'group-add', 'group-remove', 'group-set', 'pair', 'unpair', 'report', 'prune-history', 'watch-add', 'watch-remove', 'restart-engine', 'remove')
    const shaped = fc.record({ type: types }, { requiredKeys: [] }).chain(base => fc.dictionary(fc.string({ maxLength: 12, unit: "binary" }), fc.anything()).map(extra => ({ ...extra, ...base })))
    // The fields the commands do take, with hostile or near-miss values: what a page holding the socket would try.
    const value = fc.oneof(fc.anything(), fc.string({ unit: 'binary' }), fc.constantFrom(ID, ID.toUpperCase(), 'lab', 'lab\u202e', '../x', '/srv/x', '10.1.2.3', 'host:1', -1, 0, 65536, 1e309, '2026-12-01', 'x'.repeat(5000)), fc.array(fc.constantFrom(ID, 'lab', 7, null)))
    const fields = fc.record({ type: types, name: value, ids: value, host: value, port: value, id: value, infoHash: value, since: value, before: value, path: value, group: value, settleSeconds: value, mirrorDeletes: value, channel: value, to: value, deleteFiles: value }, { requiredKeys: ['type'] })
    fc.assert(fc.property(fc.oneof(fc.anything(), shaped, fields, fc.jsonValue()), raw => {
      const r = parseCommand(raw)
      expect(typeof r.ok).toBe('boolean')
      if (r.ok) expect(parseCommand(r.value)).toEqual(r)
      else {
        expect(typeof r.error.code).toBe('string')
        expect(r.error.message.length).toBeGreaterThan(0)
        expect(r.error.message).not.toMatch(/\n/)
      }
    }), { numRuns: 10_000 })
  })
})
