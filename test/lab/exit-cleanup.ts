// Last-chance cleanup when the process ends without calling destroy(): a failed test that skips
// afterAll, Ctrl-C, a CI timeout's SIGTERM, or process.exit(). The callbacks must be synchronous
// because nothing asynchronous runs inside an 'exit' handler.
//
// Hooks are installed only while at least one callback is registered, so a process with no lab
// alive keeps Node's default signal behaviour.

type SyncCleanup = () => void

const callbacks = new Set<SyncCleanup>()
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let installed = false

function runAll (): void {
  for (const fn of [...callbacks]) {
    callbacks.delete(fn)
    try { fn() } catch { /* keep cleaning the others */ }
  }
}

function onExit (): void {
  runAll()
}

function onSignal (signal: NodeJS.Signals): void {
  runAll()
  uninstall()
  // If nobody else handles this signal, die of it as the default action would have: the lab
  // must not turn Ctrl-C into "ignored".
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

function install (): void {
  if (installed) return
  installed = true
  process.on('exit', onExit)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function uninstall (): void {
  if (!installed) return
  installed = false
  process.off('exit', onExit)
  for (const s of SIGNALS) process.off(s, onSignal)
}

/** Registers a synchronous cleanup; call the returned function once the resource is gone. */
export function registerExitCleanup (fn: SyncCleanup): () => void {
  callbacks.add(fn)
  install()
  return () => {
    callbacks.delete(fn)
    if (callbacks.size === 0) uninstall()
  }
}
