// Proves the network-namespace lab does what multi-machine tests and benchmarks rely on:
// reachability, multicast, link caps, counters, cable cuts and complete cleanup.
// It never skips: a machine that cannot build a lab fails here with the reason.

import { spawnSync, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeChromiumWrapper, writeNsExecWrapper } from './chromium-in-ns.js'
import { checkNamespaceSupport, cleanupStaleLabs, Lab, waitForOutput, type LabHost } from './netns-lab.js'
import { MCAST_RECEIVER, MCAST_SENDER, mbitPerSec, parsePushReport, PUSH_CLIENT, SINK_SERVER, type PushReport } from './probe-scripts.js'
import { runBounded } from './run-command.js'

const node = process.execPath
const MiB = 1024 * 1024
const SINK_LIFE_MS = 50_000

let lab: Lab | undefined

function theLab (): Lab {
  if (lab === undefined) throw new Error('lab was not created (see the beforeAll failure)')
  return lab
}

async function startSink (host: LabHost, port: number): Promise<ChildProcess> {
  const child = theLab().spawn(host, node, ['-e', SINK_SERVER, String(port), String(SINK_LIFE_MS)])
  const ready = await waitForOutput(child, /listening/, 5_000)
  if (!ready.ok) throw new Error(`sink on ${host.name}: ${ready.error.message}`)
  return child
}

async function push (from: LabHost, to: LabHost, port: number, bytes: number, timeoutMs = 8_000): Promise<PushReport> {
  const r = await theLab().run(from, node, ['-e', PUSH_CLIENT, to.ip, String(port), String(bytes), String(timeoutMs)], { timeoutMs: timeoutMs + 3_000 })
  return parsePushReport(r.stdout + (r.stderr === '' ? '' : `\nstderr: ${r.stderr}`))
}

async function linkNames (): Promise<{ netns: string; links: string }> {
  const ns = await runBounded('ip', ['netns', 'list'], { timeoutMs: 5_000 })
  const links = await runBounded('ip', ['-o', 'link', 'show'], { timeoutMs: 5_000 })
  return { netns: ns.stdout, links: links.stdout }
}

describe('network namespace lab', () => {
  beforeAll(async () => {
    const support = await checkNamespaceSupport()
    if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
    const created = await Lab.create({ hosts: [{ name: 'origin' }, { name: 'peer1' }, { name: 'peer2' }] })
    if (!created.ok) throw new Error(`Lab.create failed: ${created.error.message}`)
    lab = created.value
  })

  afterAll(async () => {
    await lab?.destroy()
  })

  it('gives each host its address, loopback, a multicast route and no default route', async () => {
    const l = theLab()
    expect(l.hosts.map((h) => h.ip)).toEqual(['10.213.0.10', '10.213.0.11', '10.213.0.12'])
    for (const h of l.hosts) {
      expect(h.ns.startsWith(l.prefix) && h.veth.startsWith(l.prefix) && h.peerVeth.startsWith(l.prefix)).toBe(true)
      expect(Math.max(h.veth.length, h.peerVeth.length, l.bridge.length)).toBeLessThanOrEqual(15)
    }
    const routes = await l.run(l.host('peer2'), 'ip', ['route', 'show'])
    expect(routes.stdout).toContain('224.0.0.0/4 dev')
    expect(routes.stdout).not.toContain('default')
    const lo = await l.run(0, 'ip', ['-o', 'addr', 'show', 'dev', 'lo'])
    expect(lo.stdout).toContain('127.0.0.1')
  })

  it('lets host 0 reach host 2 over TCP', async () => {
    const l = theLab()
    const [h0, , h2] = l.hosts as [LabHost, LabHost, LabHost]
    await startSink(h2, 7000)
    const r = await push(h0, h2, 7000, 1000)
    expect(r, JSON.stringify(r)).toMatchObject({ ok: true, reply: 'received 1000 from 10.213.0.10' })
  })

  it('carries multicast to 224.0.0.251 from one namespace to the others', async () => {
    const l = theLab()
    const [h0, h1, h2] = l.hosts as [LabHost, LabHost, LabHost]
    const receivers = [h1, h2].map((h) => l.spawn(h, node, ['-e', MCAST_RECEIVER, '224.0.0.251', '5353', h.ip, '5000']))
    for (const r of receivers) {
      const ready = await waitForOutput(r, /ready/, 5_000)
      expect(ready.ok, ready.ok ? '' : ready.error.message).toBe(true)
    }
    const got = receivers.map((r) => waitForOutput(r, /got (\S+) from (\S+)/, 5_000))
    const sent = await l.run(h0, node, ['-e', MCAST_SENDER, '224.0.0.251', '5353', '10', '50', 'hello-lab'], { timeoutMs: 5_000 })
    expect(sent.code, sent.stderr).toBe(0)
    for (const g of await Promise.all(got)) {
      expect(g.ok, g.ok ? '' : g.error.message).toBe(true)
      if (g.ok) expect([g.value[1], g.value[2]]).toEqual(['hello-lab', h0.ip])
    }
  })

  it('caps upload and download rates with shape(), and counters track the bytes', async () => {
    const l = theLab()
    const [h0, h1, h2] = l.hosts as [LabHost, LabHost, LabHost]
    const bytes = 8 * MiB
    await startSink(h1, 7001)
    await startSink(h2, 7001)

    const uncapped = await push(h0, h1, 7001, bytes)
    expect(uncapped.ok, JSON.stringify(uncapped)).toBe(true)
    expect(mbitPerSec(uncapped)).toBeGreaterThan(100)

    // Upload cap on the sender.
    expect(await l.shape(h0, { upMbit: 50 })).toEqual({ ok: true, value: undefined })
    const before0 = await l.counters(h0)
    const before1 = await l.counters(h1)
    const up = await push(h0, h1, 7001, bytes)
    const after0 = await l.counters(h0)
    const after1 = await l.counters(h1)
    expect(up.ok, JSON.stringify(up)).toBe(true)
    const upRate = mbitPerSec(up)
    expect(upRate).toBeGreaterThan(25)
    expect(upRate).toBeLessThan(60)
    if (!before0.ok || !after0.ok || !before1.ok || !after1.ok) throw new Error('counters failed')
    const sent = after0.value.txBytes - before0.value.txBytes
    const received = after1.value.rxBytes - before1.value.rxBytes
    // Payload plus TCP/IP/Ethernet headers: a few percent more, never less.
    for (const delta of [sent, received]) {
      expect(delta).toBeGreaterThanOrEqual(bytes)
      expect(delta).toBeLessThan(bytes * 1.08 + 64 * 1024)
    }

    // Download cap on the receiver (shaped on the bridge side), with the sender uncapped again.
    expect((await l.shape(h0, {})).ok).toBe(true)
    // Set a cap, then change it: the change must take effect (HTB is modified in place).
    expect((await l.shape(h2, { downMbit: 200 })).ok).toBe(true)
    expect((await l.shape(h2, { downMbit: 50 })).ok).toBe(true)
    expect(l.currentCaps(h2)).toEqual({ upMbit: undefined, downMbit: 50 })
    const down = await push(h0, h2, 7001, bytes)
    expect(down.ok, JSON.stringify(down)).toBe(true)
    expect(mbitPerSec(down)).toBeGreaterThan(25)
    expect(mbitPerSec(down)).toBeLessThan(60)

    // Removing the cap restores full speed.
    expect((await l.shape(h2, {})).ok).toBe(true)
    const free = await push(h0, h2, 7001, bytes)
    expect(mbitPerSec(free)).toBeGreaterThan(100)

    // No netem on this kernel: delay is reported, not attempted.
    const delayed = await l.shape(h0, { delayMs: 20 })
    expect(delayed.ok ? 'ok' : delayed.error.code).toBe('unsupported')
  })

  it('cuts and restores a host cable with setLink()', async () => {
    const l = theLab()
    const [h0, h1] = l.hosts as [LabHost, LabHost, LabHost]
    await startSink(h1, 7002)
    expect((await push(h0, h1, 7002, 10)).ok).toBe(true)

    expect((await l.setLink(h1, false)).ok).toBe(true)
    const cut = await push(h0, h1, 7002, 10, 1_500)
    expect(cut.ok).toBe(false)

    expect((await l.setLink(h1, true)).ok).toBe(true)
    const back = await push(h0, h1, 7002, 10)
    expect(back, JSON.stringify(back)).toMatchObject({ ok: true, reply: 'received 10 from 10.213.0.10' })
    // The host kept its multicast route across the cut.
    expect((await l.run(h1, 'ip', ['route', 'show'])).stdout).toContain('224.0.0.0/4 dev')
  })

  it('lets two labs coexist, and cleanupStaleLabs only removes dead runs', async () => {
    const l = theLab()
    const second = await Lab.create({ hosts: 1 })
    if (!second.ok) throw new Error(second.error.message)
    const l2 = second.value
    try {
      expect(l2.prefix).not.toBe(l.prefix)
      expect(l2.hosts[0]?.ip).toBe(l.hosts[0]?.ip)

      // Fake leftovers of a crashed run: names of the scheme owned by a pid that has exited.
      const deadPid = spawnSync('true').pid
      const stalePrefix = `sd${deadPid.toString(36).padStart(5, '0')}zz`
      expect(spawnSync('ip', ['netns', 'add', `${stalePrefix}n0`]).status).toBe(0)
      expect(spawnSync('ip', ['link', 'add', `${stalePrefix}br`, 'type', 'bridge']).status).toBe(0)

      const cleaned = await cleanupStaleLabs('sd')
      if (!cleaned.ok) throw new Error(cleaned.error.message)
      expect([...cleaned.value].sort()).toEqual([`${stalePrefix}br`, `${stalePrefix}n0`])
      const { netns, links } = await linkNames()
      expect(netns).not.toContain(stalePrefix)
      expect(links).not.toContain(stalePrefix)
      for (const h of [...l.hosts, ...l2.hosts]) expect(netns).toContain(h.ns)
      expect(links).toContain(l.bridge)
      expect(links).toContain(l2.bridge)
    } finally {
      expect(await l2.destroy()).toEqual({ ok: true, value: undefined })
    }
  })

  it('writes wrapper executables that run a program inside a namespace', async () => {
    const l = theLab()
    const h1 = l.host(1)
    const cat = await writeNsExecWrapper(h1.ns, '/bin/cat')
    if (!cat.ok) throw new Error(cat.error.message)
    try {
      // /proc/net/dev lists the interfaces of the reader's namespace.
      const r = await runBounded(cat.value.path, ['/proc/net/dev'], { timeoutMs: 5_000 })
      expect(r.stdout).toContain(h1.veth)
      expect(r.stdout).not.toContain(l.host(0).veth)
    } finally {
      await cat.value.remove()
    }
    const chromium = await writeChromiumWrapper(h1.ns)
    if (!chromium.ok) throw new Error(chromium.error.message)
    const text = await readFile(chromium.value.path, 'utf8')
    await chromium.value.remove()
    expect(text).toMatch(new RegExp(`^exec '[^']*/ip' netns exec '${h1.ns}' '/usr/bin/chromium' "\\$@"$`, 'm'))
  })

  it('destroy() ends its processes and removes every namespace and link, idempotently', async () => {
    const l = theLab()
    const sink = await startSink(l.host(0), 7003)
    expect(await l.destroy()).toEqual({ ok: true, value: undefined })
    expect(sink.exitCode !== null || sink.signalCode !== null).toBe(true)
    const { netns, links } = await linkNames()
    expect(netns).not.toContain(l.prefix)
    expect(links).not.toContain(l.prefix)
    expect(await l.destroy()).toEqual({ ok: true, value: undefined })
    expect(() => l.spawn(0, 'true')).toThrow(/destroyed/)
  })
})
