// Starts a worker thread from a module next to the caller, under both runtimes this code runs in:
// compiled JavaScript in dist/ (the worker is a `.js` sibling) and TypeScript source under Vitest
// or tsx (a `.ts` sibling, which Node 20 cannot load by itself).
//
// `execArgv: ['--import', 'tsx']` does NOT work here: on Node 20 a worker's `--import`ed hooks are
// not applied to the worker's own entry module (nodejs/node#47747, privatenumber/tsx#354), so it
// fails with ERR_UNKNOWN_FILE_EXTENSION. Instead a source-mode worker starts from a two-line
// bootstrap that registers tsx's ESM hooks inside the new thread and then imports the real module.
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * `new Worker(...)` for the module `moduleName` (no extension) in the caller's folder.
 * Pass the caller's `import.meta.url`; `options` (workerData, transferList, ...) are passed through.
 */
export function startSiblingWorker (callerUrl: string, moduleName: string, options: WorkerOptions = {}): Worker {
  const caller = new URL(callerUrl)
  const fromSource = caller.pathname.endsWith('.ts')
  const target = new URL(`./${moduleName}${fromSource ? '.ts' : '.js'}`, caller)
  if (!fromSource) return new Worker(target, options)
  // Only reached when running from source, where tsx (a dev dependency) is installed.
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(target.href)}) })`
  return new Worker(bootstrap, { ...options, eval: true })
}
