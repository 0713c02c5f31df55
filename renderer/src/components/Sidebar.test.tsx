// @vitest-environment jsdom
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { Sidebar } from './Sidebar.js'
import { TopBar } from './TopBar.js'

afterEach(cleanup)

describe('sidebar', () => {
  it('says a file not yet sent anywhere is ready to send, not 0 %', () => {
    const full = originDistribution()
    const alone = originDistribution({ members: full.members.filter(m => m.origin), state: 'seeding' })
    renderWithStore(<Sidebar />, appState({ distributions: [alone] }))
    expect(screen.getByText(/ready to send/)).toBeTruthy()
    expect(screen.queryByText(/0 ?%/)).toBeNull()
  })

  it('shows delivery progress across the receiving machines', () => {
    const d = originDistribution({ state: 'seeding' })
    renderWithStore(<Sidebar />, appState({ distributions: [d] }))
    // The origin is not a recipient: lab-01 of lab-01, lab-02 and lab-03 is verified.
    expect(screen.getByText(/\d+ ?% · 1 of 3 recipients verified/)).toBeTruthy()
  })

  it('makes a decline stand out with a badge, and a lost machine with another', () => {
    const d = originDistribution({ state: 'seeding' })
    const members = d.members.map(m => m.name === 'lab-02' ? { ...m, state: 'lost' as const, rate: 0, lostSince: '2026-11-22T07:30:00.000Z' } : m)
    renderWithStore(<Sidebar />, appState({ distributions: [{ ...d, members }] }))
    expect(screen.getByTestId('badge-declined').textContent).toBe('⊘ 1 declined')
    expect(screen.getByTestId('badge-lost').textContent).toBe('⚠ 1 lost contact')
    expect(screen.getByTestId('badge-declined').className).toContain('badge-warn')
  })

  it('gives a machine out of space a badge of its own, not "failed", and counts it on the menu button', () => {
    const d = originDistribution({ state: 'seeding' })
    const members = d.members.map(m => m.name === 'lab-02' ? { ...m, state: 'no-space' as const, rate: 0, etaSeconds: null } : m)
    renderWithStore(<><TopBar /><Sidebar /></>, appState({ distributions: [{ ...d, members }] }))
    expect(screen.getByTestId('badge-noSpace').textContent).toBe('! 1 out of space')
    expect(screen.getByTestId('badge-noSpace').className).toContain('badge-danger')
    expect(screen.queryByTestId('badge-failed')).toBeNull()
    // lab-03's decline and lab-02's full disk.
    expect(screen.getByTestId('menu-toggle').getAttribute('aria-label')).toBe('Menu, 2 need a look')
  })

  it('says "1 of 1 recipient" and shows no percentage once every recipient is verified', () => {
    const d = originDistribution({ state: 'seeding' })
    const members = d.members.filter(m => m.origin || m.name === 'lab-01')
    renderWithStore(<Sidebar />, appState({ distributions: [{ ...d, members, totals: { ...d.totals, recipients: 1, verifiedRecipients: 1, machines: 2, verifiedMachines: 2 } }] }))
    expect(screen.getByText('✓ 1 of 1 recipient verified')).toBeTruthy()
  })

  it('opens from the menu button on a narrow window, takes the focus, and folds on Escape or a choice', () => {
    const { store } = renderWithStore(<><TopBar /><Sidebar /></>, appState())
    const toggle = screen.getByTestId('menu-toggle')
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    // A declined machine: the folded menu says something needs a look.
    expect(toggle.getAttribute('aria-label')).toBe('Menu, 1 needs a look')
    fireEvent.click(toggle)
    expect(screen.getByTestId('sidebar').getAttribute('data-open')).toBe('true')
    expect(document.activeElement).toBe(screen.getByTestId('dist-ubuntu-24.04-server.iso'))
    fireEvent.keyDown(window, { key: 'Escape' })
    expect(store.getState().sidebarOpen).toBe(false)
    fireEvent.click(toggle)
    fireEvent.click(screen.getByTestId('nav-machines'))
    expect(store.getState().sidebarOpen).toBe(false)
    expect(store.getState().view).toBe('machines')
  })
})
