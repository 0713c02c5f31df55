#!/usr/bin/env node
// `swarmdrop`: the command line. Every command returns an exit code; usage errors and bad input
// print one line on stderr and exit 2, never a stack trace.
import { APP_VERSION } from '../core/version.js'
import { agentCommand, agentHelp } from './cli/commands/agent.js'
import { answerCommand, devicesHelp, offersCommand, peersCommand, trustCommand } from './cli/commands/devices.js'
import { sendCommand, sendHelp } from './cli/commands/send.js'
import { createCommand, getCommand, seedCommand, standaloneHelp } from './cli/commands/standalone.js'
import { statusCommand, statusHelp } from './cli/commands/status.js'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './cli/usage-error.js'

const help = `Swarmdrop ${APP_VERSION}: send big files to many machines on a LAN at once, verified.

${agentHelp}

${sendHelp}

${devicesHelp}
${statusHelp}

${standaloneHelp}

Common: --data-dir DIR (default: $SWARMDROP_DATA_DIR or the platform's app-data folder).
`

const commands: Record<string, (args: readonly string[]) => Promise<number>> = {
  agent: agentCommand,
  send: sendCommand,
  peers: peersCommand,
  trust: a => trustCommand(a, true),
  untrust: a => trustCommand(a, false),
  offers: offersCommand,
  accept: a => answerCommand(a, true),
  decline: a => answerCommand(a, false),
  status: statusCommand,
  create: createCommand,
  seed: seedCommand,
  get: getCommand
}

async function main (argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help)
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
