// The engine's process in the desktop app: Electron's utilityProcess running the plain-Node host
// entry (main/core/app/engine-host-main.ts), which finds process.parentPort there. Everything else
// (messages, restarts, stop) is the supervisor's, in main/core/app/engine-supervisor.ts.
import { utilityProcess } from 'electron'
import { launchArgs, type EngineLaunch } from '../../common/engine-host-messages.js'
import type { EngineProcessHandle } from '../core/app/engine-supervisor.js'

export function spawnEngineProcess (entry: string, launch: EngineLaunch): EngineProcessHandle {
  const child = utilityProcess.fork(entry, launchArgs(launch), { serviceName: 'Swarmdrop engine', stdio: 'inherit' })
  return {
    post: message => child.postMessage(message),
    onMessage: listener => { child.on('message', listener) },
    // A utility process reports its exit code only (a signal shows as a code).
    onExit: listener => { child.once('exit', code => listener({ code, signal: null })) },
    kill: () => { child.kill() }
  }
}
