// Gives a lab host a new address and takes its old one away while its agent runs, as a network
// manager renumbering does (a DHCP lease renewed to another address, Wi-Fi left for a cable): the
// new address first, then the old one deleted, the interface keeping its routes (mDNS's among them).
import { expect } from 'vitest'
import type { Lab, LabHost } from '../lab/netns-lab.js'

export async function renumber (lab: Lab, h: LabHost, newIp: string): Promise<void> {
  // Without promote_secondaries the kernel deletes the new address together with the old one.
  const steps: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['sysctl', ['-qw', `net.ipv4.conf.${h.veth}.promote_secondaries=1`]],
    ['ip', ['addr', 'add', `${newIp}/24`, 'dev', h.veth]],
    ['ip', ['addr', 'del', `${h.ip}/24`, 'dev', h.veth]]
  ]
  for (const [command, args] of steps) {
    const r = await lab.run(h, command, args, { timeoutMs: 5_000 })
    expect(r.code, `${command} ${args.join(' ')}: ${r.stderr}`).toBe(0)
  }
  const now = await lab.run(h, 'ip', ['-o', '-4', 'addr', 'show', 'dev', h.veth], { timeoutMs: 5_000 })
  expect(now.stdout).toContain(`inet ${newIp}/24`)
  expect(now.stdout).not.toContain(`inet ${h.ip}/`)
}
