#!/usr/bin/env node
// `swarmdrop`: the command line. Every command returns an exit code; usage errors and bad input
// print one line on stderr and exit 2, never a stack trace.
import { appVersion } from '../../core/app/about.js'
import { wantsHelp } from './args.js'
import { renderUsage, type CommandUsage } from './command-usage.js'
import { terminalText } from './terminal-text.js'
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from './exit-codes.js'

// Each command's module is loaded only when that command runs: `create` should not pay for
// WebTorrent and mDNS, and `status` should answer at once.
const agentModule = async () => await import('./commands/agent.js')
const devicesModule = async () => await import('./commands/devices.js')
const groupModule = async () => await import('./commands/group.js')
const offersModule = async () => await import('./commands/offers.js')
const pairModule = async () => await import('./commands/pair.js')
const reportModule = async () => await import('./commands/report.js')
const removeModule = async () => await import('./commands/remove.js')
const sendModule = async () => await import('./commands/send.js')
const serviceModule = async () => await import('./commands/service.js')
const standaloneModule = async () => await import('./commands/standalone.js')
const statusModule = async () => await import('./commands/status.js')
const watchModule = async () => await import('./commands/watch.js')

type Command = (args: readonly string[]) => Promise<number>

interface Entry { readonly usage: () => Promise<CommandUsage>; readonly run: Command }

const commands: Record<string, Entry> = {
  agent: { usage: async () => (await agentModule()).agentUsage, run: async a => (await agentModule()).agentCommand(a) },
  send: { usage: async () => (await sendModule()).sendUsage, run: async a => (await sendModule()).sendCommand(a) },
  status: { usage: async () => (await statusModule()).statusUsage, run: async a => (await statusModule()).statusCommand(a) },
  peers: { usage: async () => (await devicesModule()).peersUsage, run: async a => (await devicesModule()).peersCommand(a) },
  offers: { usage: async () => (await offersModule()).offersUsage, run: async a => (await offersModule()).offersCommand(a) },
  accept: { usage: async () => (await offersModule()).acceptUsage, run: async a => (await offersModule()).answerCommand(a, true) },
  decline: { usage: async () => (await offersModule()).declineUsage, run: async a => (await offersModule()).answerCommand(a, false) },
  remove: { usage: async () => (await removeModule()).removeUsage, run: async a => (await removeModule()).removeCommand(a) },
  trust: { usage: async () => (await devicesModule()).trustUsage, run: async a => (await devicesModule()).trustCommand(a, true) },
  untrust: { usage: async () => (await devicesModule()).untrustUsage, run: async a => (await devicesModule()).trustCommand(a, false) },
  pair: { usage: async () => (await pairModule()).pairUsage, run: async a => (await pairModule()).pairCommand(a) },
  unpair: { usage: async () => (await pairModule()).unpairUsage, run: async a => (await pairModule()).unpairCommand(a) },
  stop: { usage: async () => (await devicesModule()).stopUsage, run: async a => (await devicesModule()).stopCommand(a) },
  group: { usage: async () => (await groupModule()).groupUsage, run: async a => (await groupModule()).groupCommand(a) },
  watch: { usage: async () => (await watchModule()).watchUsage, run: async a => (await watchModule()).watchCommand(a) },
  unwatch: { usage: async () => (await watchModule()).unwatchUsage, run: async a => (await watchModule()).unwatchCommand(a) },
  create: { usage: async () => (await standaloneModule()).createUsage, run: async a => (await standaloneModule()).createCommand(a) },
  seed: { usage: async () => (await standaloneModule()).seedUsage, run: async a => (await standaloneModule()).seedCommand(a) },
  get: { usage: async () => (await standaloneModule()).getUsage, run: async a => (await standaloneModule()).getCommand(a) },
  service: { usage: async () => (await serviceModule()).serviceUsage, run: async a => (await serviceModule()).serviceCommand(a) },
  report: { usage: async () => (await reportModule()).reportUsage, run: async a => (await reportModule()).reportCommand(a) }
}

/** `swarmdrop --help`: every command in one line each; each command's own --help has the rest. */
async function overview (): Promise<string> {
  const usages = await Promise.all(Object.values(commands).map(async c => await c.usage()))
  const width = Math.max(...usages.map(u => u.name.length))
  return `Swarmdrop ${appVersion()}: send big files to many machines on a LAN at once, verified.

Usage: swarmdrop COMMAND [options]

Commands:
${usages.map(u => `  ${u.name.padEnd(width)}  ${u.summary}`).join('\n')}

Run swarmdrop COMMAND --help for a command's options and an example.
Example: swarmdrop send ./ubuntu.iso --to lab-01,lab-02 --wait
`
}

async function main (argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    // `swarmdrop help send` is `swarmdrop send --help`.
    const asked = name === 'help' ? rest[0] : undefined
    const about = asked === undefined ? undefined : commands[asked]
    if (asked !== undefined && about === undefined) throw new UsageError(`unknown command "${asked}"; see swarmdrop --help`)
    process.stdout.write(about ? renderUsage(await about.usage()) : await overview())
    return name === undefined ? EXIT_USAGE : EXIT_OK
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${appVersion()}\n`)
    return EXIT_OK
  }
  const command = commands[name]
  if (!command) throw new UsageError(`unknown command "${terminalText(name)}"; see swarmdrop --help`)
  if (wantsHelp(rest)) {
    process.stdout.write(renderUsage(await command.usage()))
    return EXIT_OK
  }
  return command.run(rest)
}

// Some libraries keep timers alive after a clean stop; the command's answer is final once given.
const finish = (): void => { setTimeout(() => process.exit(), 1_000).unref() }

main(process.argv.slice(2)).then(code => {
  process.exitCode = code
  finish()
}, (err: unknown) => {
  finish()
  if (err instanceof UsageError) {
    // Messages may quote names and reasons from the network: one line, nothing a terminal obeys.
    process.stderr.write(`swarmdrop: ${terminalText(err.message)}\n`)
    process.exitCode = EXIT_USAGE
  } else {
    process.stderr.write(`swarmdrop: internal error: ${terminalText(err instanceof Error ? err.message : String(err))}\n`)
    if (process.env.SWARMDROP_DEBUG) console.error(err)
    process.exitCode = EXIT_FAILED
  }
})
