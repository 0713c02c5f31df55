// Text from the network (device names, offer ids, file names, reasons) made safe to print. A name
// with ESC or CR could redraw the terminal line into a fake "verified", and bidi overrides could
// reorder what a person reads, so every such character is shown as a visible escape instead.

/** C0 and C1 controls, DEL, and the characters that change line breaks or text direction. */
const UNSAFE_FOR_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g
/** The same, minus what JSON.stringify already escapes (C0 controls): those outside ASCII. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

function escapeChar (c: string): string {
  const code = c.charCodeAt(0)
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** `text` for a terminal or a log line: controls and direction marks as `\x1b`, `\u202e`. */
export function terminalText (text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, escapeChar)
}

/**
 * One JSON line; the parsed value is unchanged, but C1 controls and direction marks (which
 * JSON.stringify leaves raw, and a terminal may obey) are written as \u escapes.
 */
export function jsonLine (value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n'
}
