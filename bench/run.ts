// `npm run bench`: runs the parts of the benchmark (see bench/README.md) one after another: the
// one-to-many table, hashing speed, single-link speed, footprint and responsiveness, resume cost.
// `--only a,b` picks parts. Each part writes bench/results/<ISO date>[-part].json and .md and
// prints its figures against their targets; a run of several parts ends with every target line.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { requireBuiltCli } from '../test/multi/cli-send.js'
import { footprint } from './footprint.js'
import { hashOnly } from './hash-only.js'
import { slowMachine } from './slow-machine.js'
import { manyFiles } from './many-files.js'
import { oneToMany } from './one-to-many.js'
import { parseOptions, type BenchOptions, type PartName } from './options.js'
import { RESULTS_DIR, resultStem, writePart, type PartReport } from './part-output.js'
import { resume } from './resume.js'
import { singleLink } from './single-link.js'
import { targetLine, targetsMarkdown, type TargetCheck } from './targets.js'

async function runPart (part: PartName, root: string, opts: BenchOptions, startedAt: Date, stamp: string): Promise<PartReport> {
  switch (part) {
    case 'table': return await oneToMany(root, requireBuiltCli(), opts, startedAt, stamp)
    case 'hash': {
      const { markdown, json, targets } = await hashOnly(root, opts.hashSizeMiB, opts.hashRounds, opts.hashBaselineCli)
      return { part: 'hash', markdown, json, targets }
    }
    case 'link': return await singleLink(root, requireBuiltCli(), opts.linkSizeMiB, opts.linkRounds, opts.linkBaselineCli)
    case 'footprint': return await footprint(root, requireBuiltCli(), opts.footprintSizeMiB)
    case 'resume': return await resume(root, requireBuiltCli(), opts.resumeSizeMiB, opts.resumeStops, opts.resumeRounds, opts.resumeBaselineCli)
    case 'slow': return await slowMachine(root, requireBuiltCli(), opts.slowSizeMiB, opts.rateMbit)
    case 'many': return await manyFiles(root, requireBuiltCli(), opts.many)
  }
}

async function main (): Promise<void> {
  const opts = parseOptions(process.argv.slice(2))
  const startedAt = new Date()
  const stamp = startedAt.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z')
  const root = await mkdtemp(join(tmpdir(), 'swarmdrop-bench-'))
  // Ctrl-C / SIGTERM: the labs' own exit hooks tear them down; this removes the scratch data.
  const cleanupRoot = (): void => { rmSync(root, { recursive: true, force: true }) }
  process.once('exit', cleanupRoot)
  // Our own handler (registered before any lab's) exits explicitly, so 'exit' hooks run: the
  // labs' synchronous teardown, the libtorrent peers' kill hook, and cleanupRoot.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: ending every process, destroying the lab, removing ${root}`)
      process.exit(signal === 'SIGINT' ? 130 : 143)
    })
  }
  const allTargets: TargetCheck[] = []
  const failedParts: string[] = []
  try {
    for (const part of opts.parts) {
      const partStart = Date.now()
      console.log(`\n=== ${part} ===`)
      let report: PartReport
      try {
        report = await runPart(part, root, opts, startedAt, stamp)
      } catch (err) {
        // One part failing (no libtorrent, a lab that cannot be built) must not cost the others.
        const message = err instanceof Error ? err.stack ?? err.message : String(err)
        console.error(`${part} failed: ${message}`)
        failedParts.push(part)
        report = { part, markdown: `${part} failed: ${message.split('\n')[0] ?? ''}\n`, json: { error: message }, targets: [] }
      }
      const md = await writePart(stamp, report)
      console.log('\n' + md)
      for (const t of report.targets) console.log(targetLine(t))
      allTargets.push(...report.targets)
      console.log(`${part}: ${((Date.now() - partStart) / 1000).toFixed(0)} s, written: bench/results/${resultStem(stamp, part)}.json and .md`)
    }
    if (opts.parts.length > 1) {
      const md = `Targets of the run started ${startedAt.toISOString()} (parts: ${opts.parts.join(', ')}${failedParts.length > 0 ? `; failed: ${failedParts.join(', ')}` : ''}):\n\n${targetsMarkdown(allTargets)}`
      await writeFile(new URL(`${stamp}-targets.md`, RESULTS_DIR), md)
      console.log('\n=== targets ===')
      for (const t of allTargets) console.log(targetLine(t))
      console.log(`written: bench/results/${stamp}-targets.md`)
    }
    if (failedParts.length > 0) process.exitCode = 1
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : String(err))
  process.exitCode = 1
})
