// Both front ends come from one mapping: every SwarmdropApi method that is a command reaches the
// engine as the same Command through the desktop preload (IPC) and through the web UI's bridge
// (WebSocket), that Command is the one api-commands.ts names, and the contract parser accepts it.
// The case table is typed over every command method, so a new API method without a case here
// (or without a mapping) does not compile.
import { afterEach, describe, expect, it } from 'vitest'
import type { Command, SwarmdropApi } from '../../../common/api.js'
import { parseCommand } from '../../../common/commands.js'
import { IPC_COMMAND } from '../../../common/ipc.js'
import { encodeServerFrame, parseCommandFrame } from '../../../common/wire.js'
import { API_COMMANDS, type CommandMethod } from '../../../preload/api-commands.js'
import { createIpcApi } from '../../../preload/ipc-bridge.js'
import { connectWebBridge } from '../../../preload/web-bridge.js'
import { appState } from '../../../renderer/src/test/fixtures.js'

const HASH = 'ab'.repeat(20)
const ID = 'c'.repeat(32)

/** Calls of every command method, some with and some without their optional arguments. */
const CASES: { readonly [M in CommandMethod]: ReadonlyArray<Parameters<SwarmdropApi[M]>> } = {
  createFromPath: [['/srv/images/ubuntu.iso']],
  browse: [[], ['/srv']],
  offer: [[HASH, [ID]]],
  accept: [['o1'], ['o2', { alwaysTrust: true }], ['o3', { downloadsDir: '/data/in', alwaysTrust: false }]],
  decline: [['o4']],
  pause: [[], [HASH]],
  resume: [[], [HASH]],
  openFolder: [[HASH]],
  remove: [[HASH], [HASH, { deleteFiles: true }], [HASH, { deleteFiles: false }]],
  chooseFolder: [[]],
  updateSettings: [[{ name: 'lab-07', uploadLimit: 1_000_000 }]],
  trust: [[ID]],
  untrust: [[ID]],
  report: [[], [HASH]],
  setGroup: [['lab', [ID]]],
  deleteGroup: [['lab']],
  pair: [['10.1.2.30'], ['build-07.example', 47700]],
  unpair: [[ID]],
  watchFolder: [['/srv/segments', { group: 'lab' }], ['/srv/out', { ids: [ID], settleSeconds: 5, mirrorDeletes: true }]],
  unwatchFolder: [['/srv/segments']],
  restartEngine: [[]]
}

type Call = (api: SwarmdropApi) => Promise<unknown>
const calls: Array<{ readonly label: string; readonly call: Call; readonly expected: Command }> = []
for (const [method, argLists] of Object.entries(CASES) as Array<[CommandMethod, ReadonlyArray<readonly unknown[]>]>) {
  for (const args of argLists) {
    calls.push({
      label: `${method}(${args.map(a => JSON.stringify(a)).join(', ')})`,
      call: api => (api[method] as (...a: unknown[]) => Promise<unknown>)(...args),
      expected: (API_COMMANDS[method] as (...a: unknown[]) => Command)(...args)
    })
  }
}

/** What the desktop preload puts on the command channel for one call. */
async function throughIpc (call: Call): Promise<unknown[]> {
  const sent: unknown[] = []
  const api = createIpcApi({
    invoke: async (channel, payload) => {
      if (channel === IPC_COMMAND) sent.push(payload)
      return { ok: true, value: null }
    },
    on: () => () => {}
  }, () => '')
  await call(api)
  return sent
}

class AnsweringSocket {
  static last: AnsweringSocket | undefined
  readyState = 0
  readonly commands: unknown[] = []
  onopen: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { readonly data: unknown }) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  constructor (readonly url: string) {
    AnsweringSocket.last = this
    queueMicrotask(() => {
      this.readyState = 1
      this.onopen?.({})
      this.onmessage?.({ data: encodeServerFrame({ kind: 'state', state: appState({ shell: 'web' }) }) })
    })
  }

  /** The agent's side: decode the command frame, keep the command, answer it. */
  send (data: string): void {
    const frame = parseCommandFrame(data)
    if (!frame.result.ok || frame.id === undefined) throw new Error(`not a command frame: ${data}`)
    this.commands.push(frame.result.value)
    const id = frame.id
    queueMicrotask(() => this.onmessage?.({ data: encodeServerFrame({ kind: 'reply', id, result: { ok: true, value: null } }) }))
  }

  close (): void { this.readyState = 3 }
}

const g = globalThis as unknown as { WebSocket?: unknown }
const saved = g.WebSocket
afterEach(() => { g.WebSocket = saved })

/** What the web UI's bridge sends over its socket for one call. */
async function throughWeb (call: Call): Promise<unknown[]> {
  g.WebSocket = AnsweringSocket
  const bridge = await connectWebBridge({ search: '?token=t', host: '127.0.0.1:1', protocol: 'http:' })
  if (!bridge.ok) throw new Error(bridge.error.message)
  await call(bridge.value)
  const socket = AnsweringSocket.last
  socket?.close()
  return socket?.commands ?? []
}

describe('both bridges are built from one mapping', () => {
  it('has a case for every command method of the API', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(API_COMMANDS).sort())
  })

  for (const { label, call, expected } of calls) {
    it(`${label} reaches the engine as the same valid command through IPC and WebSocket`, async () => {
      const ipc = await throughIpc(call)
      const web = await throughWeb(call)
      expect(ipc).toEqual([expected])
      expect(web).toEqual([expected])
      expect(parseCommand(expected)).toEqual({ ok: true, value: expected })
    })
  }

  it('shares a dropped file through the same create command in both shells', async () => {
    const ipcApi = createIpcApi({
      invoke: async (_channel, payload) => ({ ok: true, value: payload }),
      on: () => () => {}
    }, file => `/home/lab/${file.name}`)
    expect(await ipcApi.createFromFiles([new File(['x'], 'a.iso')])).toEqual({ ok: true, value: { type: 'create', path: '/home/lab/a.iso' } })
    expect(await ipcApi.createFromFiles([])).toMatchObject({ ok: false, error: { code: 'bad-request' } })
  })
})
