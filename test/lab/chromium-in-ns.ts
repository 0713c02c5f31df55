// Wrapper executables that start a program inside a lab host's namespace. Playwright (and other
// launchers) take an `executablePath` but no "run it in this namespace" option; a script that
// `exec`s `ip netns exec NS program "$@"` keeps the launcher's pid, pipes and extra fds pointing
// at the real program, so it can drive and kill it as usual.

import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { errorMessage, fail, ok, type Result } from '../../common/result.js'
import { findExecutable } from './run-command.js'

export const DEFAULT_CHROMIUM = '/usr/bin/chromium'

export interface NsWrapper {
  /** Absolute path of the executable script. */
  readonly path: string
  /** Deletes the script's temporary directory. */
  remove (): Promise<void>
}

/** POSIX-shell single quoting: safe for any namespace name or path. */
function shellQuote (s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`
}

/**
 * Writes `<tmpdir>/<program>-in-<ns>` that runs `program` with its arguments inside namespace
 * `ns`. Fails if `ip` is missing or the file cannot be written.
 */
export async function writeNsExecWrapper (ns: string, program: string = DEFAULT_CHROMIUM): Promise<Result<NsWrapper, 'no-ip' | 'write-failed'>> {
  const ip = findExecutable('ip')
  if (ip === undefined) return fail('no-ip', "iproute2's `ip` command was not found")
  let dir: string | undefined
  try {
    dir = await mkdtemp(join(tmpdir(), 'swarmdrop-nsexec-'))
    const base = program.split('/').pop() ?? 'program'
    const path = join(dir, `${base}-in-${ns}`)
    const script = `#!/bin/sh\n# Runs ${base} inside network namespace ${ns} (written by test/lab/chromium-in-ns.ts).\nexec ${shellQuote(ip)} netns exec ${shellQuote(ns)} ${shellQuote(program)} "$@"\n`
    await writeFile(path, script, { mode: 0o755 })
    await chmod(path, 0o755)
    const owned = dir
    return ok({ path, remove: () => rm(owned, { recursive: true, force: true }) })
  } catch (err) {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => {})
    return fail('write-failed', `cannot write namespace wrapper: ${errorMessage(err)}`)
  }
}

/** Chromium wrapper for Playwright's `executablePath`, running the browser in `ns`. */
export function writeChromiumWrapper (ns: string, chromium: string = DEFAULT_CHROMIUM): Promise<Result<NsWrapper, 'no-ip' | 'write-failed'>> {
  return writeNsExecWrapper(ns, chromium)
}
