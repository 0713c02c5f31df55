// A lab of two subnets behind a router namespace, as multi-site tests need: unicast is routed
// between the subnets (no NAT: the far side sees the real address), multicast (mDNS) stays within
// each subnet, and everything (router, second bridge) is removed by name.
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLabName } from './lab-names.js'
import { checkNamespaceSupport, Lab, waitForOutput, type LabHost } from './netns-lab.js'
import { MCAST_RECEIVER, MCAST_SENDER, parsePushReport, PUSH_CLIENT, SINK_SERVER } from './probe-scripts.js'
import { runBounded } from './run-command.js'

const node = process.execPath
let lab: Lab | undefined

function theLab (): Lab {
  if (lab === undefined) throw new Error('lab was not created (see the beforeAll failure)')
  return lab
}

async function startSink (host: LabHost, port: number): Promise<ChildProcess> {
  const child = theLab().spawn(host, node, ['-e', SINK_SERVER, String(port), '30000'])
  const ready = await waitForOutput(child, /listening/, 5_000)
  if (!ready.ok) throw new Error(`sink on ${host.name}: ${ready.error.message}`)
  return child
}

describe('a lab of two subnets joined by a router', () => {
  beforeAll(async () => {
    const support = await checkNamespaceSupport()
    if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
    const created = await Lab.create({ hosts: [{ name: 'a0' }, { name: 'a1' }, { name: 'b0', subnet: 1 }, { name: 'b1', subnet: 1 }] })
    if (!created.ok) throw new Error(`Lab.create failed: ${created.error.message}`)
    lab = created.value
  }, 60_000)

  afterAll(async () => { await lab?.destroy() })

  it('puts each host on its subnet with a route to the other via the router, and keeps the multicast route', async () => {
    const l = theLab()
    expect(l.hosts.map(h => h.ip)).toEqual(['10.213.0.10', '10.213.0.11', '10.213.1.12', '10.213.1.13'])
    expect(l.router?.ips).toEqual(['10.213.0.1', '10.213.1.1'])
    const a = await l.run(l.host('a0'), 'ip', ['route', 'show'])
    expect(a.stdout).toMatch(/10\.213\.1\.0\/24 via 10\.213\.0\.1/)
    expect(a.stdout).toContain('224.0.0.0/4 dev')
    expect(a.stdout).not.toContain('default')
    const b = await l.run(l.host('b1'), 'ip', ['route', 'show'])
    expect(b.stdout).toMatch(/10\.213\.0\.0\/24 via 10\.213\.1\.1/)
    for (const name of [...l.bridges, l.router?.ns ?? '']) {
      expect(name.length).toBeLessThanOrEqual(15)
      expect(parseLabName(name, 'sd')?.labPrefix).toBe(l.prefix)
    }
  })

  it('routes unicast across, without NAT', async () => {
    const l = theLab()
    await startSink(l.host('b0'), 7100)
    const r = await l.run(l.host('a0'), node, ['-e', PUSH_CLIENT, l.host('b0').ip, '7100', '1000', '8000'], { timeoutMs: 11_000 })
    expect(parsePushReport(r.stdout)).toMatchObject({ ok: true, reply: 'received 1000 from 10.213.0.10' })
  })

  it('carries mDNS multicast within a subnet but not across the router', async () => {
    const l = theLab()
    const [a0, a1, b0] = [l.host('a0'), l.host('a1'), l.host('b0')]
    const near = l.spawn(a1, node, ['-e', MCAST_RECEIVER, '224.0.0.251', '5353', a1.ip, '4000'])
    const far = l.spawn(b0, node, ['-e', MCAST_RECEIVER, '224.0.0.251', '5353', b0.ip, '4000'])
    for (const r of [near, far]) {
      const ready = await waitForOutput(r, /ready/, 5_000)
      expect(ready.ok, ready.ok ? '' : ready.error.message).toBe(true)
    }
    const nearGot = waitForOutput(near, /got (\S+) from (\S+)/, 5_000)
    const farGot = waitForOutput(far, /got (\S+)|timeout/, 6_000)
    const sent = await l.run(a0, node, ['-e', MCAST_SENDER, '224.0.0.251', '5353', '20', '50', 'hello-subnet'], { timeoutMs: 5_000 })
    expect(sent.code, sent.stderr).toBe(0)
    const n = await nearGot
    expect(n.ok && n.value[1]).toBe('hello-subnet')
    const f = await farGot
    expect(f.ok && f.value[0]).toBe('timeout')
  })

  it('destroy() removes the router and both bridges', async () => {
    const l = theLab()
    expect(await l.destroy()).toEqual({ ok: true, value: undefined })
    const ns = await runBounded('ip', ['netns', 'list'], { timeoutMs: 5_000 })
    const links = await runBounded('ip', ['-o', 'link', 'show'], { timeoutMs: 5_000 })
    expect(ns.stdout).not.toContain(l.prefix)
    expect(links.stdout).not.toContain(l.prefix)
  })
})
