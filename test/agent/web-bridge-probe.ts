// Runs the browser-side web bridge (preload/web-bridge.ts) under Node inside a lab namespace,
// against a real agent's UI, and prints what happened as JSON lines for agent-ui.test.ts.
// Node 20 has fetch and File but no global WebSocket: the `ws` client stands in for the
// browser's, with the same onopen/onmessage/onclose interface.
// Args: UI url (with ?token=), path of a file to share, maxLifeMs. Between its steps it asks for
// the agent to be restarted ("restart-me") and goes on when stdin says "restarted".
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import WebSocket from 'ws'
import { connectWebBridge } from '../../preload/web-bridge.js'

const [urlText, filePath, life] = process.argv.slice(2)
const print = (o: unknown): void => { process.stdout.write(JSON.stringify(o) + '\n') }
setTimeout(() => { print({ step: 'timeout' }); process.exit(2) }, Number(life)).unref()

;(globalThis as unknown as { WebSocket: unknown }).WebSocket = WebSocket
const url = new URL(urlText ?? '')
const path = filePath ?? ''

const noToken = await connectWebBridge({ search: '', host: url.host, protocol: url.protocol })
print({ step: 'without-token', ok: noToken.ok, code: noToken.ok ? undefined : noToken.error.code })

const bridge = await connectWebBridge({ search: url.search, host: url.host, protocol: url.protocol })
if (!bridge.ok) {
  print({ step: 'connected', ok: false, error: bridge.error })
  process.exit(1)
}
const api = bridge.value
const first = await api.getState()
print({ step: 'connected', ok: first.ok, selfId: first.ok ? first.value.self.id : undefined, shell: api.shell })

const bytes = readFileSync(path)
const file = new File([bytes], basename(path))
const two = await api.createFromFiles([file, file])
print({ step: 'two-files', ok: two.ok, code: two.ok ? undefined : two.error.code, message: two.ok ? undefined : two.error.message })
const chosen = await api.chooseFolder()
print({ step: 'choose-folder', ok: chosen.ok, code: chosen.ok ? undefined : chosen.error.code })
// The agent's engine runs in the agent itself: there is no engine process to start again.
const restarted = await api.restartEngine()
print({ step: 'restart-engine', ok: restarted.ok, code: restarted.ok ? undefined : restarted.error.code })

const created = await api.createFromFiles([file])
print({ step: 'created', ok: created.ok, jobId: created.ok ? created.value.jobId : undefined, error: created.ok ? undefined : created.error })

await new Promise<void>(resolve => {
  const stop = api.subscribe(s => {
    const d = s.distributions.find(x => x.name === basename(path))
    if (!d) return
    print({ step: 'distribution', sha256: d.sha256, path: d.path, state: d.state, holders: d.pieces.holders.length, local: [...new Set(d.pieces.local)] })
    stop()
    resolve()
  })
})

// The agent restarts (same data directory, so the same port and token): the bridge reconnects.
print({ step: 'restart-me' })
await new Promise<void>(resolve => createInterface({ input: process.stdin }).on('line', l => { if (l === 'restarted') resolve() }))
const renamed = new Promise<string>(resolve => {
  const stop = api.subscribe(s => { if (s.self.name === 'after-restart') { stop(); resolve(s.self.name) } })
})
let attempts = 0
let last: Awaited<ReturnType<typeof api.updateSettings>> | undefined
while (attempts < 60) {
  attempts++
  last = await api.updateSettings({ name: 'after-restart' })
  if (last.ok || last.error.code !== 'disconnected') break
  await new Promise(resolve => setTimeout(resolve, 500))
}
print({ step: 'after-restart', ok: last?.ok, name: last?.ok ? last.value.name : undefined, error: last?.ok ? undefined : last?.error })
print({ step: 'state-after-restart', name: await renamed })
process.exit(0)
