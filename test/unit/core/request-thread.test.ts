// The request/reply thread the digest thread, the piece checker and the disk thread share: replies
// reach their own callers, a thread that dies tells every waiting caller why and is replaced by the
// next request, and stop() ends it. Run on the real piece-check worker.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { RequestThread } from '../../../main/core/hashing/request-thread.js'
import type { PieceCheckReply, PieceCheckRequest } from '../../../main/core/hashing/piece-check-protocol.js'

/** The piece checker's folder: its worker module is the one these threads run. */
const CALLER = new URL('../../../main/core/hashing/piece-checker.ts', import.meta.url).href

interface Outcome { readonly hex?: string, readonly lost?: string }

function thread (): { t: RequestThread<PieceCheckRequest, PieceCheckReply, (o: Outcome) => void>, ended: () => number } {
  let ends = 0
  const t = new RequestThread<PieceCheckRequest, PieceCheckReply, (o: Outcome) => void>(CALLER, 'piece-check-worker', {
    answered: (settle, reply) => settle({ hex: reply.hex }),
    lost: (settle, why) => settle({ lost: why }),
    ended: () => { ends++ }
  })
  return { t, ended: () => ends }
}

function ask (t: RequestThread<PieceCheckRequest, PieceCheckReply, (o: Outcome) => void>, data: Uint8Array): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const failure = t.ask(ticket => ({ ticket, data }), resolve)
    if (failure !== undefined) reject(new Error(failure))
  })
}

const sha1 = (b: Uint8Array): string => createHash('sha1').update(b).digest('hex')

function shared (bytes: number, fill: number): Uint8Array {
  const v = new Uint8Array(new SharedArrayBuffer(bytes))
  v.fill(fill)
  return v
}

describe('RequestThread', () => {
  it('answers each caller with the reply to its own request, many in flight at once', async () => {
    const { t } = thread()
    try {
      const pieces = Array.from({ length: 20 }, (_, i) => shared(4096 + i, i))
      const outcomes = await Promise.all(pieces.map(p => ask(t, p)))
      expect(outcomes.map(o => o.hex)).toEqual(pieces.map(sha1))
      expect(t.running).toBe(true)
    } finally {
      await t.stop()
    }
  })

  it('tells every waiting caller why when the thread dies, and the next request starts a new thread', async () => {
    const { t, ended } = thread()
    try {
      // A request the worker cannot handle: its handler throws, and the thread exits.
      const broken = new Promise<Outcome>(resolve => t.ask(ticket => ({ ticket, data: 42 as unknown as Uint8Array }), resolve))
      const outcome = await broken
      expect(outcome.lost).toMatch(/\S/)
      expect(outcome.hex).toBeUndefined()
      expect(ended()).toBe(1)
      expect(t.running).toBe(false)
      const piece = shared(1000, 7)
      expect((await ask(t, piece)).hex).toBe(sha1(piece))
      expect(t.running).toBe(true)
    } finally {
      await t.stop()
    }
  })

  it('stop() ends the thread: callers still waiting hear "stopped", a stopped thread stays quiet', async () => {
    const { t, ended } = thread()
    const piece = shared(64 * 1024 * 1024, 1)
    const waiting = ask(t, piece)
    await t.stop()
    expect(await waiting).toEqual({ lost: 'stopped' })
    expect(ended()).toBe(1)
    await t.stop()
    expect(ended()).toBe(1)
    t.tell({ anything: true }) // no thread: nothing is started for a message without a reply
    expect(t.running).toBe(false)
  })
})
