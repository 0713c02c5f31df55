// @vitest-environment jsdom
import { act, cleanup, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MemberRow } from '../../../preload/api.js'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { MemberTable } from './MemberTable.js'
import { SwarmTotals } from './SwarmTotals.js'

const NOW = Date.parse('2026-11-22T08:00:35.000Z')

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] })
  vi.setSystemTime(NOW)
})
afterEach(() => {
  cleanup()
  vi.useRealTimers()
})

/** The fixture with lab-02's row replaced. */
function withLab02 (over: Partial<MemberRow>) {
  const d = originDistribution()
  return { ...d, members: d.members.map(m => m.name === 'lab-02' ? { ...m, ...over } : m) }
}

const cellText = (name: string, what: 'state' | 'eta') => screen.getByTestId(`member-${what}-${name}`).textContent

describe('machine table', () => {
  it('shows a lost machine as lost, for how long, with no rate and no ETA, and standing out', () => {
    const dist = withLab02({ state: 'lost', rate: 0, etaSeconds: null, lostSince: '2026-11-22T08:00:00.000Z' })
    renderWithStore(<MemberTable dist={dist} />, appState({ distributions: [dist] }))
    expect(cellText('lab-02', 'state')).toBe('⚠lost contact 0:35 ago — resumes when it returns')
    expect(cellText('lab-02', 'eta')).toBe('—')
    const row = screen.getByTestId('member-lab-02')
    expect(row.className).toContain('member-attention')
    expect(row.querySelector('.state-warn')).not.toBeNull()
    // The clock moves on without a new state.
    act(() => { vi.advanceTimersByTime(10_000) })
    expect(cellText('lab-02', 'state')).toContain('lost contact 0:45 ago')
  })

  it('shows a verified machine that went away as verified and offline, for how long, greyed and not as a problem', () => {
    const d = originDistribution()
    const dist = { ...d, members: d.members.map(m => m.name === 'lab-01' ? { ...m, offlineSince: '2026-11-22T08:00:23.000Z' } : m) }
    renderWithStore(<MemberTable dist={dist} />, appState({ distributions: [dist] }))
    expect(cellText('lab-01', 'state')).toBe('✓verified · offline 0:12')
    const row = screen.getByTestId('member-lab-01')
    expect(row.getAttribute('data-offline')).toBe('true')
    expect(row.className).not.toContain('member-attention')
    expect(row.querySelector('.state-idle')).not.toBeNull()
    expect(row.textContent).toContain('SHA-256 matched')
    act(() => { vi.advanceTimersByTime(10_000) })
    expect(cellText('lab-01', 'state')).toBe('✓verified · offline 0:22')
  })

  it('says "unknown" for a member whose state this device has not heard, never 0 %', () => {
    const dist = withLab02({ state: 'unknown', verifiedBytes: 0, rate: 0, etaSeconds: null })
    renderWithStore(<MemberTable dist={dist} />, appState({ distributions: [dist] }))
    expect(cellText('lab-02', 'state')).toBe('?unknown')
    const row = screen.getByTestId('member-lab-02')
    expect(row.querySelector('progress')).toBeNull()
    expect(row.textContent).not.toMatch(/0 ?%/)
  })

  it('says a re-sent file was already there', () => {
    const d = originDistribution()
    const dist = { ...d, members: d.members.map(m => m.name === 'lab-01' ? { ...m, alreadyHad: true } : m) }
    renderWithStore(<MemberTable dist={dist} />, appState({ distributions: [dist] }))
    expect(cellText('lab-01', 'state')).toBe('✓verified · already had it')
  })

  it('makes a decline stand out: icon, word and tone', () => {
    renderWithStore(<MemberTable dist={originDistribution()} />, appState())
    expect(cellText('lab-03', 'state')).toBe('⊘declined')
    expect(screen.getByTestId('member-lab-03').className).toContain('member-attention')
  })

  it('reads "estimating…" for the first seconds of a transfer, then the ETA, long ones in words', () => {
    const dist = withLab02({ state: 'downloading', rate: 1000, etaSeconds: 6 * 3600 + 18 * 60 })
    renderWithStore(<MemberTable dist={dist} />, appState({ distributions: [dist] }))
    expect(cellText('lab-02', 'eta')).toBe('estimating…')
    act(() => { vi.advanceTimersByTime(6000) })
    expect(cellText('lab-02', 'eta')).toBe('6 h 18 min')
  })

  it('reads "estimating…" while a receiver has no rate yet, however long', () => {
    const dist = withLab02({ state: 'accepted', rate: 0, etaSeconds: null })
    renderWithStore(<MemberTable dist={dist} />, appState({ distributions: [dist] }))
    vi.setSystemTime(NOW + 60_000)
    expect(cellText('lab-02', 'eta')).toBe('estimating…')
  })
})

describe('a receiver that cannot finish while a machine is away', () => {
  it('says the rest is on a machine that is away, with no ETA, here and in the totals', () => {
    const dist = withLab02({ state: 'downloading', rate: 1000, etaSeconds: null, waitsForSource: true })
    renderWithStore(<><MemberTable dist={dist} /><SwarmTotals dist={dist} /></>, appState({ distributions: [dist] }))
    expect(cellText('lab-02', 'state')).toContain('the rest is on a machine that is away')
    expect(cellText('lab-02', 'eta')).toBe('—')
    expect(screen.getByTestId('totals-eta').textContent).toBe('on hold')
    expect(screen.getByTestId('totals-eta-figure').textContent).toContain('until a machine that is away returns')
  })
})

describe('swarm totals', () => {
  it('counts recipients, not the origin, and says who will not get it', () => {
    const dist = originDistribution()
    renderWithStore(<SwarmTotals dist={dist} />, appState())
    expect(screen.getByTestId('totals-verified').textContent).toBe('1 of 3')
    expect(screen.getByTestId('totals-verified-figure').textContent).toContain('recipients verified')
    expect(screen.getByTestId('totals-refused').textContent).toBe('⊘ 1')
    expect(screen.getByTestId('totals-refused-figure').textContent).toContain('declined')
    expect(screen.getByTestId('totals-refused-figure').className).toContain('figure-warn')
  })

  // Seen in the disk-full screenshot (session 27): a recipient waiting for disk space, which goes
  // on by itself once space is freed, was counted as "✕ 1 failed".
  it('shows a machine out of space as its own figure and standing out, not as failed', () => {
    const dist = withLab02({ state: 'no-space', rate: 0, etaSeconds: null, reason: 'not enough space in /dl: 28.3 MB more needed (0 B free); it resumes by itself once space is freed' })
    renderWithStore(<><MemberTable dist={dist} /><SwarmTotals dist={dist} /></>, appState({ distributions: [dist] }))
    expect(screen.getByTestId('totals-no-space').textContent).toBe('! 1')
    expect(screen.getByTestId('totals-no-space-figure').textContent).toContain('out of space, waiting')
    expect(screen.getByTestId('totals-no-space-figure').className).toContain('figure-danger')
    // lab-03 declined; lab-02 is not counted with it.
    expect(screen.getByTestId('totals-refused').textContent).toBe('⊘ 1')
    expect(screen.getByTestId('totals-refused-figure').textContent).toContain('declined')
    expect(screen.getByTestId('member-lab-02').className).toContain('member-attention')
    expect(cellText('lab-02', 'state')).toContain('it resumes by itself once space is freed')
    // No time to promise until then, and what it waits for.
    expect(screen.getByTestId('totals-eta').textContent).toBe('on hold')
    expect(screen.getByTestId('totals-eta-figure').textContent).toContain('until space is freed on lab-02')
  })

  it('shows the slowest ETA as "estimating…" at first', () => {
    const dist = withLab02({ state: 'downloading', rate: 1000, etaSeconds: 400 })
    renderWithStore(<SwarmTotals dist={dist} />, appState({ distributions: [dist] }))
    expect(screen.getByTestId('totals-eta').textContent).toBe('estimating…')
  })

  it('shows a lost machine as its own figure, and promises no time for the slowest while it is away', () => {
    const dist = withLab02({ state: 'downloading', rate: 1000, etaSeconds: 40 })
    const lost = { ...dist, totals: { ...dist.totals, slowestEtaSeconds: 40 }, members: [...dist.members.slice(0, 3), { ...dist.members[1]!, id: 'ee'.repeat(16), name: 'lab-05', state: 'lost' as const, verified: false, rate: 0, etaSeconds: null, lostSince: '2026-11-22T08:00:00.000Z' }] }
    renderWithStore(<SwarmTotals dist={lost} />, appState({ distributions: [lost] }))
    // Long past the first seconds: lab-02's own time (0:40) is known, yet lab-05 is the slowest.
    act(() => { vi.advanceTimersByTime(60_000) })
    expect(screen.getByTestId('totals-lost').textContent).toBe('⚠ 1')
    expect(screen.getByTestId('totals-eta').textContent).toBe('on hold')
    expect(screen.getByTestId('totals-eta-figure').textContent).toContain('until lab-05 returns')
    cleanup()
    const two = { ...lost, members: lost.members.map(m => m.name === 'lab-02' ? { ...m, state: 'lost' as const, rate: 0, etaSeconds: null } : m) }
    renderWithStore(<SwarmTotals dist={two} />, appState({ distributions: [two] }))
    expect(screen.getByTestId('totals-eta-figure').textContent).toContain('until 2 machines that are away return')
  })
})
