import { describe, expect, it } from 'vitest'
import { appState, originDistribution } from '../test/fixtures.js'
import { newRefusals } from './refusals.js'

const withLab02 = (state: 'downloading' | 'declined' | 'failed' | 'pending') => {
  const d = originDistribution()
  return appState({ distributions: [{ ...d, members: d.members.map(m => m.name === 'lab-02' ? { ...m, state } : m) }] })
}

describe('news of refusals', () => {
  it('says who just declined or failed, once', () => {
    expect(newRefusals(withLab02('pending'), withLab02('declined'))).toEqual(['lab-02 declined ubuntu-24.04-server.iso.'])
    expect(newRefusals(withLab02('downloading'), withLab02('failed'))).toEqual(['lab-02 failed to get ubuntu-24.04-server.iso.'])
    expect(newRefusals(withLab02('declined'), withLab02('declined'))).toEqual([])
  })

  it('is quiet on the first state and for what was refused before', () => {
    // lab-03 declined in the fixture already.
    expect(newRefusals(null, appState())).toEqual([])
    expect(newRefusals(appState(), appState())).toEqual([])
  })

  it('counts a member that appears already refused', () => {
    const d = originDistribution()
    const without = appState({ distributions: [{ ...d, members: d.members.filter(m => m.name !== 'lab-03') }] })
    expect(newRefusals(without, appState())).toEqual(['lab-03 declined ubuntu-24.04-server.iso.'])
  })
})
