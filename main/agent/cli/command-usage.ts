// What a command accepts and how it is used, written once per command (next to the command): the
// flag parser takes its flags from here and `--help` prints it, so the two cannot disagree.

export interface FlagDoc {
  /** The long name, without dashes. */
  readonly name: string
  readonly type: 'string' | 'boolean'
  /** A one-letter alias, without the dash. */
  readonly short?: string
  /** May be given more than once. */
  readonly multiple?: boolean
  /** How the value is shown in help (`DIR`, `N`), for string flags. */
  readonly value?: string
  /** One line: what it does. */
  readonly meaning: string
}

export interface CommandUsage {
  /** As typed after `swarmdrop`. */
  readonly name: string
  /** Positionals (at most these many are taken) and the required flags; `[options]` is added. */
  readonly synopsis: string
  readonly positionals: readonly string[]
  /** One line for `swarmdrop --help`. */
  readonly summary: string
  /** A few lines more for `swarmdrop NAME --help`. */
  readonly details?: string
  readonly flags: readonly FlagDoc[]
  readonly examples: readonly string[]
}

/** Flags more than one command takes, worded once. */
export const DATA_DIR_FLAG: FlagDoc = { name: 'data-dir', type: 'string', value: 'DIR', meaning: "this device's data folder (default: $SWARMDROP_DATA_DIR or the platform's app-data folder)" }
export const JSON_FLAG: FlagDoc = { name: 'json', type: 'boolean', meaning: 'print JSON instead of text' }

function flagLabel (f: FlagDoc): string {
  const long = `--${f.name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`
  return f.short === undefined ? `    ${long}` : `-${f.short}, ${long}`
}

/** The text `swarmdrop NAME --help` prints. */
export function renderUsage (u: CommandUsage): string {
  const rows = [...u.flags.map(f => ({ label: flagLabel(f), meaning: f.meaning + (f.multiple === true ? ' (may be repeated)' : '') })), { label: '-h, --help', meaning: 'show this help' }]
  const width = Math.max(...rows.map(r => r.label.length))
  return [
    `Usage: swarmdrop ${u.name}${u.synopsis === '' ? '' : ` ${u.synopsis}`} [options]`,
    '',
    `${u.summary}${u.details === undefined ? '' : `\n${u.details}`}`,
    '',
    'Options:',
    ...rows.map(r => `  ${r.label.padEnd(width)}  ${r.meaning}`),
    '',
    u.examples.length === 1 ? 'Example:' : 'Examples:',
    ...u.examples.map(e => `  ${e}`),
    ''
  ].join('\n')
}
