// Every failure code the core produces travels with a documented HTTP status: none becomes an
// unexplained 500. The codes are read from the source itself, so a new code without a status (or
// without its line in docs/protocol.md) fails here.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STATUS_OF_CODE, statusForCode } from '../../../main/core/control/http-json.js'

const ROOT = join(import.meta.dirname, '..', '..', '..')
/** The device failing on its own side: the only codes that are a 500, each documented as such. */
const INTERNAL = ['internal', 'worker-failed', 'progress-failed']

function sources (dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => readFileSync(join(ROOT, dir, f), 'utf8'))
}

/** Every literal failure code: fail('code', …) and { code: 'code', … }. */
function codesIn (texts: readonly string[]): Set<string> {
  const found = new Set<string>()
  for (const t of texts) for (const m of t.matchAll(/\bfail\(\s*'([a-z0-9-]+)'|\bcode: '([a-z0-9-]+)'/g)) found.add(m[1] ?? m[2] ?? '')
  return found
}

const coreCodes = codesIn([...sources('main/core'), ...sources('common'), ...sources('main/agent')])
const documented = readFileSync(join(ROOT, 'docs', 'protocol.md'), 'utf8')

describe('error codes and their HTTP status', () => {
  it('finds the codes the core produces', () => {
    for (const c of ['bad-request', 'unknown-offer', 'too-many-offers', 'no-space', 'unpatched']) expect(coreCodes).toContain(c)
  })

  it('maps every code the core produces to a status other than 500, but the internal ones', () => {
    const unexplained = [...coreCodes].filter(c => !INTERNAL.includes(c) && statusForCode(c) === 500)
    expect(unexplained).toEqual([])
    for (const c of INTERNAL) expect(statusForCode(c)).toBe(500)
  })

  it('documents every mapped code with its status in docs/protocol.md', () => {
    const missing = [...STATUS_OF_CODE].filter(([code, status]) => !new RegExp(`\\|\\s*${status}\\b[^\\n]*\`${code}\``).test(documented))
    expect(missing.map(([c, s]) => `${s} ${c}`)).toEqual([])
  })
})
