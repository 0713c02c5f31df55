import { describe, expect, it } from 'vitest'
import { shortName } from '../../../main/electron/short-name.js'

describe('short names', () => {
  it('shortens long names in the middle and keeps the extension', () => {
    expect(shortName('short.iso')).toBe('short.iso')
    expect(shortName('ubuntu-24.04-server-amd64.iso')).toBe('ubuntu-24.04-server…iso')
    expect([...shortName('a-very-long-folder-name-without-an-extension')]).toHaveLength(24)
  })
})
