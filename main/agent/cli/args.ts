// Flag parsing for every command, strict: an unknown flag, a missing value or an extra argument is
// a usage error of one line that points at the command's --help. The flags a command takes come
// from its CommandUsage, the same list its --help prints.
import { parseArgs } from 'node:util'
import type { CommandUsage } from './command-usage.js'
import { UsageError } from './exit-codes.js'

export interface Parsed { readonly values: Record<string, string | boolean | string[] | undefined>; readonly positionals: string[] }

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>

function optionSpec (usage: CommandUsage): OptionSpec {
  const spec: OptionSpec = {}
  for (const f of usage.flags) {
    spec[f.name] = { type: f.type, ...(f.short === undefined ? {} : { short: f.short }), ...(f.multiple === true ? { multiple: true } : {}) }
  }
  return spec
}

/** True when `args` ask for help (`--help` or `-h` before any `--`). */
export function wantsHelp (args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).some(a => a === '--help' || a === '-h')
}

export function parse (usage: CommandUsage, args: readonly string[]): Parsed {
  const see = `for ${usage.name}; see swarmdrop ${usage.name} --help`
  // Not strict: Node's own errors are paragraphs; each problem is worded here instead.
  const r = parseArgs({ args: [...args], options: optionSpec(usage), allowPositionals: true, strict: false, tokens: true })
  for (const t of r.tokens) {
    if (t.kind !== 'option') continue
    const f = usage.flags.find(x => x.name === t.name)
    if (f === undefined) throw new UsageError(`unknown option ${t.rawName} ${see}`)
    if (f.type === 'boolean' && t.value !== undefined) throw new UsageError(`option ${t.rawName} takes no value ${see}`)
    if (f.type === 'string' && t.value === undefined) throw new UsageError(`option ${t.rawName} needs a value (${t.rawName} ${f.value ?? 'VALUE'}) ${see}`)
    // A negative number is a value (no option starts with a digit): its range check words it.
    if (f.type === 'string' && t.inlineValue !== true && t.value?.startsWith('-') === true && !/^-[0-9.]/.test(t.value)) {
      throw new UsageError(`option ${t.rawName} needs a value, not the option ${t.value} (write ${t.rawName}=${t.value} if that is the value) ${see}`)
    }
  }
  const extra = r.positionals[usage.positionals.length]
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}" ${see}`)
  return { values: r.values as Parsed['values'], positionals: r.positionals }
}

export function str (p: Parsed, key: string): string | undefined {
  const v = p.values[key]
  return typeof v === 'string' ? v : undefined
}

export function strs (p: Parsed, key: string): string[] {
  const v = p.values[key]
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
}

export function flag (p: Parsed, key: string): boolean {
  return p.values[key] === true
}

export function intFlag (p: Parsed, key: string, min: number, max: number): number | undefined {
  const v = str(p, key)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!/^[0-9]+$/.test(v) || n < min || n > max) throw new UsageError(`--${key} must be a whole number from ${min} to ${max}, not "${v}"`)
  return n
}
