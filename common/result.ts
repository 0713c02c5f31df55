// Errors are values: callers look at `ok` before using a value, and every failure carries a code
// for programs and a one-sentence message for people. The one definition every layer uses (the
// contract's ApiResult is this same shape), so a core Result crosses a shell unchanged.

export interface Failure<C extends string = string> {
  readonly code: C
  readonly message: string
}

export type Result<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Failure<C> }

export function ok<T> (value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value }
}

export function fail<C extends string> (code: C, message: string): { readonly ok: false; readonly error: Failure<C> } {
  return { ok: false, error: { code, message } }
}

/** The message of anything thrown, for turning a caught exception into a Failure. */
export function errorMessage (err: unknown): string {
  if (err instanceof Error) return err.message
  return String(err)
}

/** The errno-style code of a caught error, if it has one (ENOENT, EADDRINUSE, ...). */
export function errnoCode (err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code
    if (typeof code === 'string') return code
  }
  return undefined
}
