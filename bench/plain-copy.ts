// Plain copies: a tiny HTTP file server (python3 -m http.server, threaded) in the origin's
// namespace, and curl on each recipient writing the file to disk, one after another
// (sequential) or all at once (parallel).

import type { ChildProcess } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { killGroup, waitForExit } from '../test/lab/run-command.js'
import type { LabHost } from '../test/lab/netns-lab.js'
import { deadlineError, sleep, type BenchContext, type MethodOutcome } from './method.js'

const PORT = 8088
const READY_WAIT_MS = 15_000

async function startServer (ctx: BenchContext): Promise<ChildProcess> {
  const server = ctx.lab.spawn(ctx.origin, 'python3', ['-m', 'http.server', String(PORT), '--bind', ctx.origin.ip, '--directory', dirname(ctx.source)], { stdio: 'ignore' })
  const probeFrom = ctx.recipients[0]
  if (probeFrom === undefined) throw new Error('no recipients')
  const deadline = Date.now() + READY_WAIT_MS
  while (Date.now() < deadline) {
    const r = await ctx.lab.run(probeFrom, 'curl', ['-sfI', '-o', '/dev/null', url(ctx)], { timeoutMs: 3_000 })
    if (r.code === 0) return server
    await sleep(200)
  }
  await stopServer(server)
  throw new Error(`the HTTP server on ${ctx.origin.ip}:${PORT} did not answer within ${READY_WAIT_MS} ms`)
}

async function stopServer (server: ChildProcess): Promise<void> {
  if (server.pid === undefined) return
  killGroup(server.pid, 'SIGTERM')
  if (!(await waitForExit(server, 2_000))) killGroup(server.pid, 'SIGKILL')
}

function url (ctx: BenchContext): string {
  return `http://${ctx.origin.ip}:${PORT}/${encodeURIComponent(ctx.fileName)}`
}

function copyPath (ctx: BenchContext, host: LabHost): string {
  return join(ctx.root, 'plain', host.name, ctx.fileName)
}

/** One curl; resolves with its seconds, or throws with why it failed. */
async function fetchOne (ctx: BenchContext, host: LabHost, timeoutMs: number): Promise<number> {
  const out = copyPath(ctx, host)
  await mkdir(dirname(out), { recursive: true })
  const t0 = performance.now()
  const r = await ctx.lab.run(host, 'curl', ['-sS', '--fail', '-o', out, url(ctx)], { timeoutMs: Math.max(1_000, timeoutMs) })
  const seconds = (performance.now() - t0) / 1000
  if (r.timedOut) throw deadlineError(`curl on ${host.name}`, timeoutMs)
  if (r.code !== 0) throw new Error(`curl on ${host.name}: exit ${String(r.code)} ${r.spawnError ?? r.stderr.trim()}`)
  return seconds
}

function failure (err: unknown, ctx: BenchContext, perCopy: readonly number[]): MethodOutcome {
  const message = err instanceof Error ? err.message : String(err)
  return {
    status: /no result within/.test(message) ? 'timeout' : 'failed',
    error: message,
    timeToAllS: NaN,
    copies: ctx.recipients.map((h) => copyPath(ctx, h)),
    extra: { perCopySeconds: perCopy },
    timing: ''
  }
}

export async function plainSequential (ctx: BenchContext): Promise<MethodOutcome> {
  const server = await startServer(ctx)
  const perCopy: number[] = []
  const deadline = Date.now() + ctx.timeoutMs
  try {
    const t0 = performance.now()
    for (const host of ctx.recipients) perCopy.push(await fetchOne(ctx, host, deadline - Date.now()))
    const total = (performance.now() - t0) / 1000
    ctx.closeWindow()
    return {
      status: 'ok',
      timeToAllS: total,
      copies: ctx.recipients.map((h) => copyPath(ctx, h)),
      extra: { perCopySeconds: perCopy },
      timing: 'wall clock from the first curl start to the last curl exit (file on disk)'
    }
  } catch (err) {
    return failure(err, ctx, perCopy)
  } finally {
    ctx.closeWindow()
    await stopServer(server)
  }
}

export async function plainParallel (ctx: BenchContext): Promise<MethodOutcome> {
  const server = await startServer(ctx)
  try {
    const t0 = performance.now()
    const perCopy = await Promise.all(ctx.recipients.map(async (host) => await fetchOne(ctx, host, ctx.timeoutMs)))
    const total = (performance.now() - t0) / 1000
    ctx.closeWindow()
    return {
      status: 'ok',
      timeToAllS: total,
      copies: ctx.recipients.map((h) => copyPath(ctx, h)),
      extra: { perCopySeconds: perCopy },
      timing: 'wall clock from starting all curls to the last curl exit (file on disk)'
    }
  } catch (err) {
    return failure(err, ctx, [])
  } finally {
    ctx.closeWindow()
    await stopServer(server)
  }
}
