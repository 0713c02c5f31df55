// The engine host as a plain Node child (child_process.fork): the supervisor's spawn outside
// Electron, used by the tests and by any Node shell. Structured-clone serialization, as over
// Electron's MessagePort, so piece maps cross as bytes.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { launchArgs, type EngineLaunch } from '../../../common/engine-host-messages.js'
import type { EngineExit, EngineProcessHandle } from './engine-supervisor.js'

/** The built entry beside this file (dist/main/core/app/engine-host-main.js once compiled). */
export const ENGINE_HOST_ENTRY = fileURLToPath(new URL('./engine-host-main.js', import.meta.url))

export interface ForkOptions {
  /** The entry to run; the built one beside this file by default. */
  readonly entry?: string
  /** Node flags for the child, e.g. a TypeScript loader when running from source. */
  readonly execArgv?: readonly string[]
  readonly env?: NodeJS.ProcessEnv
  /** Called with the child's pid once it runs (tests kill it by pid). */
  readonly onPid?: (pid: number) => void
}

export function forkEngineHost (launch: EngineLaunch, opts: ForkOptions = {}): EngineProcessHandle {
  const child = fork(opts.entry ?? ENGINE_HOST_ENTRY, launchArgs(launch), {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...(opts.execArgv ?? [])],
    ...(opts.env ? { env: opts.env } : {})
  })
  if (child.pid !== undefined) opts.onPid?.(child.pid)
  let ended = false
  const exitListeners: Array<(exit: EngineExit) => void> = []
  const end = (exit: EngineExit): void => {
    if (ended) return
    ended = true
    for (const l of exitListeners) l(exit)
  }
  child.on('exit', (code, signal) => end({ code, signal }))
  // A child that could not be spawned reports an error and no exit.
  child.on('error', () => { if (child.pid === undefined) end({ code: null, signal: null }) })
  return {
    post: message => {
      if (child.connected) child.send(message)
    },
    onMessage: listener => { child.on('message', listener) },
    onExit: listener => { exitListeners.push(listener) },
    kill: () => { child.kill('SIGKILL') }
  }
}
