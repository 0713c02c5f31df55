import { describe, it, expect } from 'vitest'
import { parseOptions } from '../../../bench/options.js'
import { excessBytes, pieceFraming } from '../../../bench/payload-estimate.js'

const MiB = 1024 * 1024

describe('bench options for the resume part', () => {
  it('defaults to one round and no baseline', () => {
    const o = parseOptions(['--only', 'resume'])
    expect(o.resumeRounds).toBe(1)
    expect(o.resumeBaselineCli).toBeUndefined()
  })

  it('takes --resume-rounds and --resume-baseline', () => {
    const o = parseOptions(['--only', 'resume', '--resume-rounds', '3', '--resume-baseline', '/tmp/base/dist/main/agent/cli/swarmdrop.js'])
    expect(o.resumeRounds).toBe(3)
    expect(o.resumeBaselineCli).toBe('/tmp/base/dist/main/agent/cli/swarmdrop.js')
  })

  it('refuses a missing baseline path and a bad or huge round count', () => {
    expect(() => parseOptions(['--resume-baseline'])).toThrow(/--resume-baseline needs the path/)
    expect(() => parseOptions(['--resume-rounds', '0'])).toThrow(/positive whole number/)
    expect(() => parseOptions(['--resume-rounds', '5'])).toThrow(/at most 4/)
  })
})

describe('piece framing in the payload estimate', () => {
  it('counts one 13-byte header per request of the agreed size', () => {
    expect(pieceFraming(4096 * MiB)).toBe(262_144 * 13)
    expect(pieceFraming(4096 * MiB, MiB)).toBe(4096 * 13)
    // A file of exactly one copy in 1 MiB requests, with one 66-byte frame header per packet, has no excess.
    const packets = 1000
    const rx = 4096 * MiB + 4096 * 13 + packets * 66
    expect(excessBytes(rx, packets, 4096 * MiB, MiB)).toBe(0)
    expect(excessBytes(rx, packets, 4096 * MiB)).toBe(4096 * 13 - 262_144 * 13)
  })
})
