// A machine on the LAN for discovery tests, run inside a lab host's namespace, in a process of its
// own so a test can kill it with SIGKILL (no mDNS goodbye, as a crash): a real Discovery publishing
// the advert given as JSON in argv[2], answering every query until it dies. Prints "published" once
// it runs.
import { Discovery } from '../../main/core/discovery/discovery.js'
import type { Advert } from '../../main/core/discovery/peer-info.js'

const advert = JSON.parse(process.argv[2] ?? 'null') as Advert | null
if (advert === null) throw new Error('usage: discovery-advertiser.ts ADVERT_JSON')
const discovery = new Discovery({ advert })
process.stdout.write('published\n')
// Stopped gracefully only on SIGTERM (the goodbye); SIGKILL is the test's crash.
process.once('SIGTERM', () => { void discovery.stop().then(() => process.exit(0)) })
// Keeps the process alive: Discovery's own timers are unref'd.
setInterval(() => {}, 60_000)
