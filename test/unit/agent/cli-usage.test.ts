// Every command answers --help (and -h) with its own usage, exit 0; a bad flag is one line on
// stderr naming the command and its --help, exit 2, never Node's option-parser paragraph. The
// flags a command accepts are the ones its help lists (one CommandUsage feeds both).
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, wantsHelp } from '../../../main/agent/cli/args.js'
import { renderUsage, type CommandUsage } from '../../../main/agent/cli/command-usage.js'
import { agentUsage } from '../../../main/agent/cli/commands/agent.js'
import { peersUsage, trustUsage, untrustUsage } from '../../../main/agent/cli/commands/devices.js'
import { acceptUsage, declineUsage, offersUsage } from '../../../main/agent/cli/commands/offers.js'
import { groupUsage } from '../../../main/agent/cli/commands/group.js'
import { removeUsage } from '../../../main/agent/cli/commands/remove.js'
import { sendUsage } from '../../../main/agent/cli/commands/send.js'
import { serviceUsage } from '../../../main/agent/cli/commands/service.js'
import { createUsage, getUsage, seedUsage } from '../../../main/agent/cli/commands/standalone.js'
import { statusUsage } from '../../../main/agent/cli/commands/status.js'
import { UsageError } from '../../../main/agent/cli/exit-codes.js'

const USAGES: readonly CommandUsage[] = [agentUsage, sendUsage, statusUsage, peersUsage, offersUsage, acceptUsage, declineUsage, removeUsage, trustUsage, untrustUsage, groupUsage, createUsage, seedUsage, getUsage, serviceUsage]

/** The CLI from its sources (no build needed): what `swarmdrop ARGS` prints and returns. */
function cli (args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('main/agent/cli/swarmdrop.ts'), ...args], { encoding: 'utf8', timeout: 30_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

function usageErrorOf (run: () => unknown): string {
  try {
    run()
  } catch (err) {
    if (err instanceof UsageError) return err.message
    throw err
  }
  throw new Error('no usage error')
}

describe('each command usage', () => {
  it.each(USAGES.map(u => [u.name, u] as const))('%s: help lists every flag with a meaning, and an example', (name, u) => {
    const text = renderUsage(u)
    expect(text.startsWith(`Usage: swarmdrop ${name}`)).toBe(true)
    for (const f of u.flags) {
      expect(f.meaning.length).toBeGreaterThan(5)
      expect(f.meaning).not.toContain('\n')
      expect(text).toMatch(new RegExp(`--${f.name}\\b.*  ${f.meaning.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    }
    expect(text).toContain('-h, --help')
    expect(u.examples.length).toBeGreaterThan(0)
    for (const e of u.examples) expect(e.startsWith(`swarmdrop ${name}`)).toBe(true)
  })

  it.each(USAGES.map(u => [u.name, u] as const))('%s: an unknown flag is one clear line', (name, u) => {
    expect(usageErrorOf(() => parse(u, ['--bogus']))).toBe(`unknown option --bogus for ${name}; see swarmdrop ${name} --help`)
    expect(usageErrorOf(() => parse(u, ['-Z']))).toBe(`unknown option -Z for ${name}; see swarmdrop ${name} --help`)
  })

  it.each(USAGES.map(u => [u.name, u] as const))('%s: every flag its help lists is accepted', (_name, u) => {
    const args = u.flags.flatMap(f => f.type === 'string' ? [`--${f.name}`, '1'] : [`--${f.name}`])
    const p = parse(u, [...u.positionals.map(() => 'x'), ...args])
    for (const f of u.flags) expect(p.values[f.name]).toEqual(f.type === 'boolean' ? true : f.multiple === true ? ['1'] : '1')
  })

  it('says what is wrong with a value', () => {
    expect(usageErrorOf(() => parse(sendUsage, ['f', '--to']))).toBe('option --to needs a value (--to NAME|@GROUP[,...]) for send; see swarmdrop send --help')
    expect(usageErrorOf(() => parse(sendUsage, ['f', '--wait=yes']))).toBe('option --wait takes no value for send; see swarmdrop send --help')
    expect(usageErrorOf(() => parse(sendUsage, ['f', '--to', '--all']))).toContain('option --to needs a value, not the option --all')
    expect(usageErrorOf(() => parse(sendUsage, ['a', 'b']))).toBe('unexpected argument "b" for send; see swarmdrop send --help')
    expect(parse(sendUsage, ['f', '--to=-odd-name']).values.to).toBe('-odd-name')
  })

  it('--help and -h count before "--" only', () => {
    expect(wantsHelp(['--json', '--help'])).toBe(true)
    expect(wantsHelp(['-h'])).toBe(true)
    expect(wantsHelp(['--', '-h'])).toBe(false)
    expect(wantsHelp(['--json'])).toBe(false)
  })
})

describe('swarmdrop --help, COMMAND --help and bad flags, end to end', () => {
  it('swarmdrop --help lists every command; exit 0', () => {
    const r = cli(['--help'])
    expect(r.code).toBe(0)
    for (const u of USAGES) expect(r.stdout).toMatch(new RegExp(`^  ${u.name} +${u.summary.slice(0, 10)}`, 'm'))
  })

  it.each([['agent', '--help'], ['agent', '-h'], ['send', '--help'], ['get', '-h'], ['trust', '--help']])('swarmdrop %s %s prints its own usage; exit 0', (name, help) => {
    const r = cli([name, help])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.startsWith(`Usage: swarmdrop ${name}`)).toBe(true)
    expect(r.stderr).toBe('')
  })

  it('a bad flag prints one line on stderr and exits 2', () => {
    const r = cli(['agent', '--x'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('swarmdrop: unknown option --x for agent; see swarmdrop agent --help\n')
    expect(r.stdout).toBe('')
  })

  it('checks the settings flags as the window checks a settings patch, naming the flag', () => {
    const accept = cli(['agent', '--accept', 'everyone'])
    expect(accept.code).toBe(2)
    expect(accept.stderr).toBe('swarmdrop: --accept must be one of ask, trusted, all\n')
    const name = cli(['agent', '--name', 'a\u202eb'])
    expect(name.code).toBe(2)
    expect(name.stderr).toBe('swarmdrop: --name must be 1 to 64 printable characters\n')
  })
})
