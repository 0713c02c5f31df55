// @vitest-environment jsdom
// The machine list with an id two machines answer for (a cloned identity) and a name two machines
// use: every address, a tag and the sentence why, and a "name shared" mark.
import { cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { emptyState, machine } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { App } from './App.js'

afterEach(cleanup)

const WHY = 'lab-01 (01a1·b201) answers from 10.0.0.1 and 10.0.0.9, each holding its device key: two machines share one identity.'

describe('machines that cannot be told apart', () => {
  it('shows both addresses of a twin, a tag and why; marks a shared name', () => {
    const twin = machine(1, { twinAddresses: ['10.0.0.1', '10.0.0.9'], twinProblem: WHY })
    renderWithStore(<App />, emptyState({ machines: [twin, machine(2, { name: 'lab-x', sharedName: true }), machine(3, { name: 'lab-x', sharedName: true }), machine(4)] }))
    fireEvent.click(screen.getByTestId('nav-machines'))
    const row = screen.getByTestId('known-lab-01')
    expect(row.textContent).toContain('10.0.0.1 and 10.0.0.9')
    expect(screen.getByTestId('twin-tag-lab-01').textContent).toBe('2 machines, one id')
    expect(screen.getByTestId('twin-problem-lab-01').textContent).toBe(WHY)
    expect(screen.getAllByText('name shared')).toHaveLength(2)
    expect(screen.getByTestId('known-lab-04').textContent).not.toContain('name shared')
    expect(screen.queryByTestId('twin-tag-lab-04')).toBeNull()
  })
})
