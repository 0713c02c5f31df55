// The desktop app's IPC path without Electron: the preload's SwarmdropApi (preload/ipc-bridge.ts)
// talks through a channel that copies every message the way IPC does (structured clone) to the
// main process's request handlers (main/electron/command-router.ts) over a real AppService and
// SwarmNode. Only the native dialog and file manager are replaced, by recorders: they need a
// desktop. Runs inside a lab namespace (the node announces itself by mDNS) and prints JSON lines.
// Args: data dir, file to share, folder the "dialog" picks, maxLifeMs.
import { basename } from 'node:path'
import { readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import type { AppState } from '../../common/api.js'
import { IPC_STATE } from '../../common/ipc.js'
import { AppService } from '../../main/core/app/app-service.js'
import { SwarmNode } from '../../main/core/node/swarm-node.js'
import { requestHandlers, type DesktopActions } from '../../main/electron/command-router.js'
import { createIpcApi, type IpcTransport } from '../../preload/ipc-bridge.js'

const [dataDir = '', filePath = '', pickedDir = '', life = '30000'] = process.argv.slice(2)
const print = (o: unknown): void => { process.stdout.write(JSON.stringify(o) + '\n') }
setTimeout(() => { print({ step: 'timeout' }); process.exit(2) }, Number(life)).unref()

const started = await SwarmNode.start({ dataDir, overrides: { btPort: 0, controlPort: 0, name: 'desk-probe' } })
if (!started.ok) {
  print({ step: 'start', ok: false, error: started.error })
  process.exit(1)
}
const node = started.value
const service = new AppService(node, { shell: 'electron', throttleMs: 50 })

const shown: string[] = []
const desktop: DesktopActions = {
  chooseFolder: async () => pickedDir,
  showInFolder: path => { shown.push(path) }
}
const handlers = requestHandlers(service, desktop)
const transport: IpcTransport = {
  invoke: async (channel, payload) => {
    const handler = handlers[channel]
    if (!handler) throw new Error(`No handler registered for '${channel}'`)
    return structuredClone(await handler(structuredClone(payload)))
  },
  on: (channel, listener) => channel === IPC_STATE ? service.subscribe(s => listener(structuredClone(s))) : () => {}
}
// What webUtils.getPathForFile knows in the app: the path of each file the OS handed the page.
const osFiles = new Map<File, string>()
const api = createIpcApi(transport, file => osFiles.get(file) ?? '')

const waitFor = (test: (s: AppState) => boolean): Promise<AppState> => new Promise(resolve => {
  const stop = api.subscribe(s => {
    if (!test(s)) return
    stop()
    resolve(s)
  })
})

const first = await api.getState()
print({ step: 'state', ok: first.ok, selfId: first.ok ? first.value.self.id : null, nodeId: node.identity.id, shell: api.shell })

const bytes = readFileSync(filePath)
const dropped = new File([bytes], basename(filePath))
osFiles.set(dropped, filePath)
const made = new File([bytes], 'made-in-page.bin')
const two = await api.createFromFiles([dropped, dropped])
const none = await api.createFromFiles([made])
print({ step: 'refused-files', two: two.ok ? null : two.error, none: none.ok ? null : none.error })

const created = await api.createFromFiles([dropped])
print({ step: 'created', ok: created.ok, jobId: created.ok ? created.value.jobId : null })
const withDist = await waitFor(s => s.distributions.some(d => d.name === basename(filePath)))
const dist = withDist.distributions.find(d => d.name === basename(filePath))
print({ step: 'distribution', sha256: dist?.sha256, expected: createHash('sha256').update(bytes).digest('hex'), isUint8: dist?.pieces.local instanceof Uint8Array })

const chosen = await api.chooseFolder()
print({ step: 'choose-folder', value: chosen.ok ? chosen.value : chosen.error })
const opened = await api.openFolder(dist?.infoHash ?? '')
print({ step: 'open-folder', value: opened.ok ? opened.value : opened.error, shown, distPath: dist?.path })
const unknown = await api.openFolder('0'.repeat(40))
print({ step: 'open-unknown', ok: unknown.ok, code: unknown.ok ? null : unknown.error.code, shownAfter: shown.length })

const junk = await transport.invoke('swarmdrop:command', { type: 'format-disk', path: '/' })
print({ step: 'junk', value: junk })

const renamed = await api.updateSettings({ name: 'desk-renamed' })
const afterRename = await waitFor(s => s.self.name === 'desk-renamed')
print({ step: 'rename', ok: renamed.ok, name: afterRename.self.name })

const paused = await api.pause()
const pausedState = await waitFor(s => s.seedingPaused)
const resumed = await api.resume()
const resumedState = await waitFor(s => !s.seedingPaused)
print({ step: 'pause-all', paused: paused.ok && pausedState.seedingPaused, resumed: resumed.ok && !resumedState.seedingPaused })

// A second device on this machine (the desktop app beside a running agent) whose ports are taken
// by the first: without anyPortIfTaken it fails with port-in-use; with it, it takes free ports.
const busy = { btPort: node.info().btPort, controlPort: node.controlPort }
const strict = await SwarmNode.start({ dataDir: `${dataDir}-second`, overrides: { ...busy, name: 'second' } })
const lenient = await SwarmNode.start({ dataDir: `${dataDir}-second`, overrides: { ...busy, name: 'second' }, anyPortIfTaken: true })
print({
  step: 'ports-taken',
  strict: strict.ok ? 'started' : strict.error.code,
  lenient: lenient.ok ? { bt: lenient.value.info().btPort, control: lenient.value.controlPort } : lenient.error.code,
  busy
})
if (strict.ok) await strict.value.stop()
if (lenient.ok) await lenient.value.stop()

service.close()
await node.stop()
print({ step: 'done' })
process.exit(0)
