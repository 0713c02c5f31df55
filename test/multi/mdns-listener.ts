// A listener on a lab host that counts the mDNS queries for _swarmdrop._tcp.local on the wire: how
// much a LAN of agents (and a command's own device) asks who is there.
import type { ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { LabFixture } from './lab-fixture.js'

/**
 * Runs inside the listener's namespace: prints the time of each mDNS query asking for our service
 * (a plain question; header QR bit clear). Parses only what it needs of the packet.
 */
function listenerScript (lifetimeMs: number): string {
  return `
const dgram = require('node:dgram')
const s = dgram.createSocket({ type: 'udp4', reuseAddr: true })
function names (buf) {
  const qd = buf.readUInt16BE(4); let o = 12; const out = []
  for (let q = 0; q < qd && o < buf.length; q++) {
    const labels = []
    while (o < buf.length && buf[o] !== 0) { const n = buf[o]; if (n >= 0xc0) { o += 1; break } labels.push(buf.subarray(o + 1, o + 1 + n).toString('latin1')); o += 1 + n }
    o += 5 // the terminating zero, type, class
    out.push(labels.join('.').toLowerCase())
  }
  return out
}
s.on('message', (buf) => {
  if (buf.length < 12 || (buf[2] & 0x80) !== 0) return
  if (names(buf).includes('_swarmdrop._tcp.local')) console.log('query ' + Date.now())
})
s.bind(5353, () => { s.addMembership('224.0.0.251'); console.log('listening') })
setTimeout(() => process.exit(0), ${lifetimeMs})
`
}

export interface QueryListener {
  /** The times (ms since the epoch) of the queries heard so far. */
  readonly queries: readonly number[]
  stop (): void
}

/** Starts the listener on host `i` of the lab; resolves once it listens. It exits by itself after `lifetimeMs`. */
export async function startQueryListener (fx: LabFixture, i: number, lifetimeMs: number): Promise<QueryListener> {
  const queries: number[] = []
  const child: ChildProcess = fx.lab.spawn(fx.host(i), process.execPath, ['-e', listenerScript(lifetimeMs)])
  if (child.stdout === null) throw new Error('listener spawned without stdout')
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('the mDNS listener did not start within 10 s')), 10_000)
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', line => {
      if (line === 'listening') { clearTimeout(t); resolve() }
      const m = /^query (\d+)$/.exec(line)
      if (m) queries.push(Number(m[1]))
    })
  })
  return { queries, stop: () => { child.kill() } }
}
