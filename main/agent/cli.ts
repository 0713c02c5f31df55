#!/usr/bin/env node
// `swarmdrop`: the command line. Every command returns an exit code; usage errors and bad input
// print one line on stderr and exit 2, never a stack trace.
import { APP_VERSION } from '../core/version.js'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './cli/usage-error.js'

// Each command's module is loaded only when that command runs: `create` should not pay for
// WebTorrent and mDNS, and `status` should answer at once.
const agentModule = async () => await import('./cli/commands/agent.js')
const devicesModule = async () => await import('./cli/commands/devices.js')
const sendModule = async () => await import('./cli/commands/send.js')
const standaloneModule = async () => await import('./cli/commands/standalone.js')
const statusModule = async () => await import('./cli/commands/status.js')

async function help (): Promise<string> {
  const [agent, devices, send, standalone, status] = await Promise.all([agentModule(), devicesModule(), sendModule(), standaloneModule(), statusModule()])
  return `Swarmdrop ${APP_VERSION}: send big files to many machines on a LAN at once, verified.

${agent.agentHelp}

${send.sendHelp}

${devices.devicesHelp}
${status.statusHelp}

${standalone.standaloneHelp}

Common: --data-dir DIR (default: $SWARMDROP_DATA_DIR or the platform's app-data folder).
`
}

type Command = (args: readonly string[]) => Promise<number>

const commands: Record<string, Command> = {
  agent: async a => (await agentModule()).agentCommand(a),
  send: async a => (await sendModule()).sendCommand(a),
  peers: async a => (await devicesModule()).peersCommand(a),
  trust: async a => (await devicesModule()).trustCommand(a, true),
  untrust: async a => (await devicesModule()).trustCommand(a, false),
  offers: async a => (await devicesModule()).offersCommand(a),
  accept: async a => (await devicesModule()).answerCommand(a, true),
  decline: async a => (await devicesModule()).answerCommand(a, false),
  status: async a => (await statusModule()).statusCommand(a),
  create: async a => (await standaloneModule()).createCommand(a),
  seed: async a => (await standaloneModule()).seedCommand(a),
  get: async a => (await standaloneModule()).getCommand(a)
}

async function main (argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(await help())
    return name === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${APP_VERSION}\n`)
    return EXIT_OK
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command "${name}" (swarmdrop help lists them)`)
  return command(rest)
}

// Some libraries keep timers alive after a clean stop; the command's answer is final once given.
const finish = (): void => { setTimeout(() => process.exit(), 1_000).unref() }

main(process.argv.slice(2)).then(code => {
  process.exitCode = code
  finish()
}, (err: unknown) => {
  finish()
  if (err instanceof UsageError) {
    process.stderr.write(`swarmdrop: ${err.message}\n`)
    process.exitCode = EXIT_USAGE
  } else {
    process.stderr.write(`swarmdrop: internal error: ${err instanceof Error ? err.message : String(err)}\n`)
    if (process.env.SWARMDROP_DEBUG) console.error(err)
    process.exitCode = EXIT_FAILED
  }
})
