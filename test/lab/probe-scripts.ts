// Tiny Node programs run inside lab namespaces with `node -e SCRIPT args...` (process.argv[1..]
// are the args). Each one bounds its own lifetime, so a lost peer never leaves it hanging, and
// reports on stdout in a line the caller can wait for or parse.

/**
 * TCP sink. Args: port, maxLifeMs. Prints "listening" when ready; for each connection counts
 * the bytes until the client half-closes, then answers "received <n> from <address>".
 */
export const SINK_SERVER = `
const net = require('node:net')
const [port, maxLifeMs] = process.argv.slice(1).map(Number)
setTimeout(() => process.exit(0), maxLifeMs).unref()
const server = net.createServer((s) => {
  let n = 0
  s.on('data', (d) => { n += d.length })
  s.on('end', () => s.end('received ' + n + ' from ' + s.remoteAddress + '\\n'))
  s.on('error', () => {})
})
server.listen(port, '0.0.0.0', () => console.log('listening'))
setInterval(() => {}, 1 << 30)
`

export interface PushReport {
  readonly ok: boolean
  readonly bytes?: number
  /** From connect to the sink's answer, i.e. until the last byte arrived. */
  readonly ms?: number
  readonly reply?: string
  readonly error?: string
}

/**
 * TCP pusher. Args: ip, port, bytes, timeoutMs. Sends `bytes` zero bytes (respecting
 * backpressure), half-closes, waits for the sink's answer and prints a PushReport as JSON.
 * With bytes = 0 it is a connectivity check.
 */
export const PUSH_CLIENT = `
const net = require('node:net')
const [ip, portS, bytesS, timeoutS] = process.argv.slice(1)
const total = Number(bytesS)
const report = (r, code) => { process.stdout.write(JSON.stringify(r) + '\\n', () => process.exit(code)) }
setTimeout(() => report({ ok: false, error: 'timeout' }, 2), Number(timeoutS))
const chunk = Buffer.alloc(64 * 1024)
let start = 0
let reply = ''
const s = net.connect(Number(portS), ip, () => {
  start = performance.now()
  let left = total
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, chunk.length)
      left -= n
      if (!s.write(n === chunk.length ? chunk : chunk.subarray(0, n))) { s.once('drain', pump); return }
    }
    s.end()
  }
  pump()
})
s.on('data', (d) => { reply += d })
s.on('end', () => report({ ok: true, bytes: total, ms: performance.now() - start, reply: reply.trim() }, 0))
s.on('error', (e) => report({ ok: false, error: e.code || e.message }, 1))
`

/**
 * Multicast receiver. Args: group, port, interfaceIp, timeoutMs. Joins the group on the
 * interface, prints "ready", then "got <message> from <address>" for the first datagram and
 * exits 0; exits 3 on timeout.
 */
export const MCAST_RECEIVER = `
const dgram = require('node:dgram')
const [group, portS, iface, timeoutS] = process.argv.slice(1)
setTimeout(() => { console.log('timeout'); process.exit(3) }, Number(timeoutS))
const sock = dgram.createSocket({ type: 'udp4', reuseAddr: true })
sock.on('message', (msg, rinfo) => { process.stdout.write('got ' + msg + ' from ' + rinfo.address + '\\n', () => process.exit(0)) })
sock.bind(Number(portS), () => { sock.addMembership(group, iface); console.log('ready') })
`

/** Multicast sender. Args: group, port, count, intervalMs, message. Sends `count` datagrams. */
export const MCAST_SENDER = `
const dgram = require('node:dgram')
const [group, portS, countS, intervalS, message] = process.argv.slice(1)
const sock = dgram.createSocket('udp4')
let sent = 0
sock.bind(0, () => {
  sock.setMulticastTTL(1)
  const tick = () => {
    sock.send(message, Number(portS), group, (err) => {
      if (err) { console.error(err.message); process.exit(1) }
      if (++sent >= Number(countS)) { console.log('sent ' + sent); sock.close() } else setTimeout(tick, Number(intervalS))
    })
  }
  tick()
})
`

export function parsePushReport (stdout: string): PushReport {
  const line = stdout.trim().split('\n').pop() ?? ''
  try {
    const parsed: unknown = JSON.parse(line)
    if (typeof parsed === 'object' && parsed !== null && 'ok' in parsed && typeof parsed.ok === 'boolean') {
      return parsed as PushReport
    }
  } catch { /* fall through */ }
  return { ok: false, error: `unparseable output: ${stdout.slice(0, 200)}` }
}

/** Megabits per second of a push, from its byte count and duration. */
export function mbitPerSec (r: PushReport): number {
  if (r.bytes === undefined || r.ms === undefined || r.ms <= 0) return NaN
  return (r.bytes * 8) / (r.ms * 1000)
}
