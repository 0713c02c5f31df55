// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { appState, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { Sidebar } from './Sidebar.js'

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
    expect(screen.getByText(/\d+ ?% · \d+\/\d+ verified/)).toBeTruthy()
  })
})
