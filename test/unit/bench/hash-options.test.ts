import { describe, it, expect } from 'vitest'
import { parseOptions } from '../../../bench/options.js'

describe('bench options for the hash part', () => {
  it('defaults to 3 rounds and no baseline', () => {
    const o = parseOptions(['--only', 'hash'])
    expect(o.hashRounds).toBe(3)
    expect(o.hashBaselineCli).toBeUndefined()
  })

  it('takes --hash-rounds and --hash-baseline', () => {
    const o = parseOptions(['--only', 'hash', '--hash-rounds', '5', '--hash-baseline', '/tmp/before/dist/main/agent/cli/swarmdrop.js'])
    expect(o.hashRounds).toBe(5)
    expect(o.hashBaselineCli).toBe('/tmp/before/dist/main/agent/cli/swarmdrop.js')
  })

  it('refuses a missing baseline path and a bad or huge round count', () => {
    expect(() => parseOptions(['--hash-baseline'])).toThrow(/--hash-baseline needs the path/)
    expect(() => parseOptions(['--hash-rounds', '0'])).toThrow(/--hash-rounds needs a positive whole number/)
    expect(() => parseOptions(['--hash-rounds', '21'])).toThrow(/at most 20/)
  })
})
