// What crosses between the desktop shell and its engine process is validated on arrival: a
// command is the contract's, a state has the contract's shape (piece maps as bytes, which only a
// structured-clone channel keeps), a result is an ApiResult; anything else is refused with a reason.
import { describe, expect, it } from 'vitest'
import { API_VERSION } from '../../../common/api.js'
import { launchArgs, parseHostMessage, parseLaunchArgs, parseShellMessage } from '../../../common/engine-host-messages.js'
import { appState, distribution } from '../electron/app-state-fixture.js'

const HASH = 'ab'.repeat(20)

describe('engine host messages', () => {
  it('takes a command only as the contract has it, with a request id', () => {
    expect(parseShellMessage({ kind: 'command', id: 7, command: { type: 'pause', infoHash: HASH } })).toEqual({ ok: true, value: { kind: 'command', id: 7, command: { type: 'pause', infoHash: HASH } } })
    expect(parseShellMessage({ kind: 'command', id: 7, command: { type: 'trust', id: 'lab-01' } })).toEqual({ ok: false, error: { code: 'bad-request', message: 'id must be a device id (32 lowercase hex digits)' } })
    expect(parseShellMessage({ kind: 'command', id: 0, command: { type: 'pause' } })).toMatchObject({ ok: false, error: { code: 'bad-message' } })
    expect(parseShellMessage({ kind: 'stop' })).toEqual({ ok: true, value: { kind: 'stop' } })
    expect(parseShellMessage({ kind: 'exec', cmd: 'rm' })).toMatchObject({ ok: false, error: { code: 'bad-message' } })
    expect(parseShellMessage('stop')).toMatchObject({ ok: false })
  })

  it('takes a state with piece maps as bytes, and refuses one that went through JSON', () => {
    const state = appState({ distributions: [distribution({ infoHash: HASH, name: 'a.iso' })] })
    expect(parseHostMessage({ kind: 'state', state })).toEqual({ ok: true, value: { kind: 'state', state } })
    const viaJson: unknown = JSON.parse(JSON.stringify(state))
    expect(parseHostMessage({ kind: 'state', state: viaJson })).toEqual({ ok: false, error: { code: 'bad-message', message: 'state.distributions[].pieces must hold byte arrays (is the channel structured-clone?)' } })
    expect(parseHostMessage({ kind: 'ready', state: { ...state, apiVersion: API_VERSION + 1 } })).toMatchObject({ ok: false, error: { message: `state is of API version ${API_VERSION + 1}, this shell speaks ${API_VERSION}` } })
    expect(parseHostMessage({ kind: 'state', state: { ...state, machines: null } })).toMatchObject({ ok: false, error: { message: 'state.machines must be a list' } })
  })

  it('takes results, warnings and failures only in their shapes', () => {
    expect(parseHostMessage({ kind: 'result', id: 3, result: { ok: true, value: {} } })).toMatchObject({ ok: true })
    expect(parseHostMessage({ kind: 'result', id: 3, result: { ok: false, error: { code: 'x', message: 'y' } } })).toMatchObject({ ok: true })
    expect(parseHostMessage({ kind: 'result', id: 3, result: { ok: false } })).toMatchObject({ ok: false })
    expect(parseHostMessage({ kind: 'result', id: 3, result: { ok: true } })).toMatchObject({ ok: false })
    expect(parseHostMessage({ kind: 'warning', message: 42 })).toMatchObject({ ok: false })
    expect(parseHostMessage({ kind: 'start-failed', error: { code: 'bad-settings', message: 'no' } })).toEqual({ ok: true, value: { kind: 'start-failed', error: { code: 'bad-settings', message: 'no' } } })
  })

  it('carries the launch on the command line and back', () => {
    const launch = { dataDir: '/home/lab/.config/Swarmdrop/device', settings: { btPort: 0, name: 'desk 01' } }
    expect(parseLaunchArgs(launchArgs(launch))).toEqual({ ok: true, value: launch })
    expect(parseLaunchArgs(launchArgs({ dataDir: '/d' }))).toEqual({ ok: true, value: { dataDir: '/d' } })
    expect(parseLaunchArgs([])).toEqual({ ok: false, error: { code: 'usage', message: 'the engine host needs --data-dir <folder>' } })
    expect(parseLaunchArgs(['--data-dir', '/d', '--settings', '[1]'])).toMatchObject({ ok: false, error: { message: '--settings must be a JSON object' } })
    expect(parseLaunchArgs(['--data-dir', '/d', '--verbose'])).toMatchObject({ ok: false })
  })
})
