// A `send` with no agent running starts a device of its own, which asks the LAN who is there every
// second at first, so the recipients named are found at once. Once they are chosen it must go back
// to asking as seldom as an agent: each query draws an answer from every machine, which every
// machine decodes, and asking each second through a whole transfer cost every host of a swarm CPU
// the transfer needed. A listener on a third host counts the queries on the wire while the send
// waits on an offer that nobody answers.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isOfferReceived } from './agent-events.js'
import { labFixture } from './lab-fixture.js'
import { startQueryListener, type QueryListener } from './mdns-listener.js'

const RECIPIENT = 0
const LISTENER = 1
const SENDER = 2
/** The send's device asks every second for this long after its start (session.ts, EAGER_DISCOVERY_MS). */
const EAGER_MS = 15_000

const fx = labFixture(3, 'mdnscalm')
let listener: QueryListener | undefined

beforeAll(async () => {
  listener = await startQueryListener(fx, LISTENER, 90_000)
}, 30_000)

afterAll(() => { listener?.stop() })

describe('a send\'s own device and the LAN\'s mDNS', () => {
  it('asks every second only until its recipients are chosen', async () => {
    const recipient = fx.agent(RECIPIENT, 'calm-r', 'ask')
    await recipient.start()
    const file = join(fx.work, 'calm.bin')
    writeFileSync(file, Buffer.alloc(256 * 1024, 7))
    const startedAt = Date.now()
    // The offer waits for a person (--accept ask) and nobody answers: the send waits its 20 s out.
    const sending = fx.cli(SENDER, ['send', file, '--to', 'calm-r', '--wait', '--timeout', '20', '--json'], 60_000)
    await recipient.waitFor(isOfferReceived, 15_000, 'the offer', 0)
    const offeredAt = Date.now()
    expect(offeredAt - startedAt).toBeLessThan(EAGER_MS - 8_000)
    await new Promise(resolve => setTimeout(resolve, startedAt + EAGER_MS - Date.now()))
    // From a moment after the offer to the end of the eager time. Two devices asking in the same
    // instant (before either heard the other) count once.
    const from = offeredAt + 1_500
    const asked: number[] = []
    for (const t of listener?.queries ?? []) {
      if (t < from || t >= startedAt + EAGER_MS) continue
      const last = asked[asked.length - 1]
      if (last === undefined || t - last > 200) asked.push(t)
    }
    const gaps = asked.slice(1).map((t, k) => t - (asked[k] ?? t))
    console.log(`${asked.length} queries in the ${((startedAt + EAGER_MS - from) / 1000).toFixed(1)} s after the offer, ${gaps.map(g => (g / 1000).toFixed(1)).join(', ')} s apart`)
    // Each second (and up to a second of jitter) that would be one every 1-2.5 s; as seldom as an
    // agent, 5 s or more apart.
    expect(asked.length).toBeLessThanOrEqual(3)
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(4_000)
    const done = await sending
    expect(done.code).not.toBeNull()
  }, 90_000)
})
