// The setup every multi-machine test shares: fail (never skip) without namespaces, a lab of its
// own, a scratch folder, agents started on its hosts, and all of it torn down after the file, even
// when a test failed.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { checkNamespaceSupport, Lab, type LabHost, type LabOptions, type RunOutcome } from '../lab/netns-lab.js'
import { LabAgent } from './lab-agent.js'

export const CLI = resolve('dist/main/agent/cli/swarmdrop.js')

/** Commands that act for a device and so take --data-dir (create/seed/get are plain BitTorrent). */
const DEVICE_COMMANDS = new Set(['agent', 'send', 'peers', 'trust', 'untrust', 'offers', 'accept', 'decline', 'status', 'stop', 'group'])

export interface LabFixture {
  readonly lab: Lab
  /** Scratch folder of this test file; host i keeps its data in d<i> and downloads in dl<i>. */
  readonly work: string
  host (i: number): LabHost
  /** An agent on host i (not started), stopped after the file. */
  agent (i: number, name: string, accept?: 'ask' | 'trusted' | 'all', args?: readonly string[]): LabAgent
  /** `swarmdrop ARGS` run inside host i, with `--data-dir work/d<i>` for commands that have one. */
  cli (i: number, args: readonly string[], timeoutMs?: number): Promise<RunOutcome>
}

export function labFixture (hosts: LabOptions['hosts'], name: string): LabFixture {
  let lab: Lab | undefined
  let work = ''
  const agents: LabAgent[] = []
  const need = (): Lab => {
    if (!lab) throw new Error('the lab is not up (did beforeAll fail?)')
    return lab
  }
  beforeAll(async () => {
    const support = await checkNamespaceSupport()
    if (!support.ok) throw new Error(`cannot run multi-machine tests here: ${support.error.message}`)
    const created = await Lab.create({ hosts })
    if (!created.ok) throw new Error(created.error.message)
    lab = created.value
    work = mkdtempSync(join(tmpdir(), `sd-${name}-`))
  }, 60_000)
  afterAll(async () => {
    for (const a of agents) await a.stop().catch(() => {})
    await lab?.destroy()
    if (work) rmSync(work, { recursive: true, force: true })
  }, 60_000)
  const host = (i: number): LabHost => {
    const h = need().hosts[i]
    if (!h) throw new Error(`the lab has no host ${i}`)
    return h
  }
  return {
    get lab () { return need() },
    get work () { return work },
    host,
    agent (i, agentName, accept, args) {
      const a = new LabAgent({ lab: need(), host: host(i), cli: CLI, name: agentName, dataDir: join(work, `d${i}`), downloadsDir: join(work, `dl${i}`), ...(accept ? { accept } : {}), ...(args ? { args } : {}) })
      agents.push(a)
      return a
    },
    cli (i, args, timeoutMs = 30_000) {
      const withDataDir = DEVICE_COMMANDS.has(args[0] ?? '') ? ['--data-dir', join(work, `d${i}`)] : []
      return need().run(host(i), process.execPath, [CLI, ...args, ...withDataDir], { timeoutMs })
    }
  }
}

/** The last stdout line of a `--json` command, parsed. */
export function lastJson<T> (stdout: string): T {
  return JSON.parse(stdout.trim().split('\n').pop() ?? 'null') as T
}
