// Flag parsing for every command, strict: an unknown flag or a missing value is a usage error.
import { parseArgs } from 'node:util'
import { UsageError } from './usage-error.js'

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>

export interface Parsed { readonly values: Record<string, string | boolean | string[] | undefined>; readonly positionals: string[] }

export function parse (command: string, args: readonly string[], options: OptionSpec): Parsed {
  try {
    const r = parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
    return { values: r.values as Parsed['values'], positionals: r.positionals }
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.split('\n')[0] ?? 'bad arguments'}`)
  }
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
  if (!/^[0-9]+$/.test(v) || n < min || n > max) throw new UsageError(`--${key} must be a whole number from ${min} to ${max}`)
  return n
}
