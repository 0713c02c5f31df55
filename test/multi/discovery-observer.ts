// The observing machine of discovery tests, run inside a lab host's namespace: a real Discovery
// (its advert as JSON in argv[2], its options as JSON in argv[3]) whose state a test reads and
// drives over pipes. Every stdout line is one JSON object with `at` (Date.now() here):
//   {"kind":"ready"}                                once it runs
//   {"kind":"event","event":"up"|"down"|"update","peer":{...}}   each Discovery event
//   {"kind":"suspected","count":N}                  each change of suspectedCount (checked every 10 ms)
//   {"kind":"reply","cmd":"...",...}                one per command line on stdin:
//     suspect ID          Discovery.suspect(ID); the reply's `at` is the call's, and its count right after
//     direct PEER_JSON    Discovery.setDirect (a machine added by address)
//     drop-direct ID      Discovery.dropDirect
//     refresh             Discovery.refresh (ask the LAN now)
//     list                the listed peers and suspectedCount
//     get ID              get(ID), departedPeer(ID) (null when none) and suspectedCount
// It stops (with its goodbye) and exits when stdin ends or on SIGTERM.
import { createInterface } from 'node:readline'
import { Discovery, type DiscoveryOptions } from '../../main/core/discovery/discovery.js'
import type { Advert, Peer } from '../../main/core/discovery/peer-info.js'

const advert = JSON.parse(process.argv[2] ?? 'null') as Advert | null
if (advert === null) throw new Error('usage: discovery-observer.ts ADVERT_JSON [OPTIONS_JSON]')
const options = JSON.parse(process.argv[3] ?? '{}') as Omit<DiscoveryOptions, 'advert'>

const print = (line: Record<string, unknown>): void => { process.stdout.write(`${JSON.stringify({ ...line, at: Date.now() })}\n`) }

const discovery = new Discovery({ ...options, advert })
for (const event of ['up', 'down', 'update'] as const) {
  discovery.on(event, (peer: Peer) => print({ kind: 'event', event, peer }))
}

let suspected = discovery.suspectedCount
const watch = setInterval(() => {
  if (discovery.suspectedCount === suspected) return
  suspected = discovery.suspectedCount
  print({ kind: 'suspected', count: suspected })
}, 10)

function command (line: string): void {
  const space = line.indexOf(' ')
  const cmd = space < 0 ? line : line.slice(0, space)
  const arg = space < 0 ? '' : line.slice(space + 1).trim()
  switch (cmd) {
    case 'suspect': {
      const at = Date.now()
      discovery.suspect(arg)
      // Reported here, so the watch above announces only later changes.
      suspected = discovery.suspectedCount
      process.stdout.write(`${JSON.stringify({ kind: 'reply', cmd, id: arg, suspectedCount: suspected, at })}\n`)
      return
    }
    case 'direct': {
      const peer = JSON.parse(arg) as Peer
      discovery.setDirect(peer)
      print({ kind: 'reply', cmd, id: peer.id })
      return
    }
    case 'drop-direct':
      discovery.dropDirect(arg)
      print({ kind: 'reply', cmd, id: arg })
      return
    case 'refresh':
      discovery.refresh()
      print({ kind: 'reply', cmd })
      return
    case 'list':
      print({ kind: 'reply', cmd, peers: discovery.list(), suspectedCount: discovery.suspectedCount })
      return
    case 'get':
      print({ kind: 'reply', cmd, id: arg, peer: discovery.get(arg) ?? null, departed: discovery.departedPeer(arg) ?? null, suspectedCount: discovery.suspectedCount })
      return
    default:
      print({ kind: 'reply', cmd, error: `unknown command: ${line}` })
  }
}

createInterface({ input: process.stdin }).on('line', line => {
  if (line.trim() === '') return
  try {
    command(line.trim())
  } catch (err) {
    print({ kind: 'reply', cmd: line.split(' ')[0], error: String(err) })
  }
})

let stopping = false
function stop (): void {
  if (stopping) return
  stopping = true
  clearInterval(watch)
  void discovery.stop().then(() => process.exit(0))
}
process.stdin.once('end', stop)
process.once('SIGTERM', stop)

print({ kind: 'ready' })
