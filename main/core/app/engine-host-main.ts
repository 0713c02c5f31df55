// Entry of the engine's own process. Started by Electron's utilityProcess.fork it has
// process.parentPort (a MessagePort); started by Node's child_process.fork (tests, or any plain
// Node shell) it has process.send. The same messages flow either way; engine-host.ts serves them.
import { LAUNCH_FLAGS, parseLaunchArgs, type HostToShell } from '../../../common/engine-host-messages.js'
import { EngineHost, type HostPort } from './engine-host.js'

/** Electron's process.parentPort, described by shape: core imports no Electron. */
interface ParentPortLike {
  on (event: 'message', listener: (e: { readonly data: unknown }) => void): unknown
  postMessage (message: unknown): void
}

interface Channel extends HostPort {
  /** Settles when what was posted has been handed to the parent. */
  drain (): Promise<void>
}

function openChannel (): Channel | null {
  const parentPort = (process as { parentPort?: ParentPortLike }).parentPort
  if (parentPort !== undefined) {
    return {
      post: m => parentPort.postMessage(m),
      onMessage: listener => { parentPort.on('message', e => listener(e.data)) },
      // A MessagePort hands a message over as it is posted; a short pause lets the last one leave.
      drain: () => new Promise(resolve => setTimeout(resolve, 50))
    }
  }
  const send = process.send?.bind(process)
  if (send === undefined) return null
  let sending: Promise<void> = Promise.resolve()
  return {
    post: (m: HostToShell) => {
      if (!process.connected) return
      sending = sending.then(() => new Promise<void>(resolve => { send(m, undefined, undefined, () => resolve()) }))
    },
    onMessage: listener => { process.on('message', listener) },
    drain: () => sending
  }
}

const channel = openChannel()
if (channel === null) {
  process.stderr.write('swarmdrop engine host: start it from the desktop app, or with child_process.fork (it needs a channel to its parent)\n')
  process.exit(2)
}

const exit = (code: number): void => {
  void channel.drain().then(() => process.exit(code))
}

// A forked child whose parent went away (it crashed, or closed the channel) leaves the LAN
// cleanly rather than running on unseen. Electron ends a utility process with its app itself.
let host: EngineHost | null = null
let orphaned = false
process.on('disconnect', () => {
  orphaned = true
  void host?.stop()
})

// Our arguments follow the runtime's own entries in argv (how many differs between Node and a
// utility process): they start at the first flag of ours.
const ours = process.argv.findIndex(arg => LAUNCH_FLAGS.includes(arg))
const launch = parseLaunchArgs(ours < 0 ? [] : process.argv.slice(ours))
if (!launch.ok) {
  channel.post({ kind: 'start-failed', error: launch.error })
  exit(2)
} else {
  const started = await EngineHost.start(channel, { launch: launch.value, onStopped: () => exit(0) })
  if (!started.ok) {
    exit(1)
  } else {
    host = started.value
    if (orphaned) void host.stop()
  }
}
