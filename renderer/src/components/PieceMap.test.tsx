// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PIECE } from '../../../preload/api.js'
import { SELF_ID, appState, machine, originDistribution } from '../test/fixtures.js'
import { renderWithStore } from '../test/render.js'
import { PieceMap } from './PieceMap.js'

// jsdom has no 2D canvas: record what the component paints instead.
class RecordingContext {
  fillStyle = ''
  fills: Array<readonly [number, number]> = []
  setTransform (): void {}
  clearRect (): void {}
  fillRect (x: number, y: number): void { this.fills.push([x, y]) }
}

let ctx: RecordingContext
const original = HTMLCanvasElement.prototype.getContext

beforeEach(() => {
  ctx = new RecordingContext()
  HTMLCanvasElement.prototype.getContext = function () { return ctx } as unknown as typeof original
})
afterEach(() => {
  HTMLCanvasElement.prototype.getContext = original
  cleanup()
})

const canvas = () => screen.getByTestId('piece-map')

describe('piece map', () => {
  it('exposes piece count and cells held by every member, then repaints only what changed', () => {
    const dist = originDistribution()
    const { rerender } = renderWithStore(<PieceMap dist={dist} />, appState())
    expect(canvas().getAttribute('data-piece-count')).toBe('12')
    // lab-03 declined: the swarm is three machines, and pieces 0-5 are on all three.
    expect(canvas().getAttribute('data-verified')).toBe('6')
    expect(ctx.fills).toHaveLength(12)

    const holders = dist.pieces.holders.slice()
    holders[6] = 3
    ctx.fills = []
    rerender(<PieceMap dist={originDistribution({ pieces: { ...dist.pieces, holders } })} />)
    expect(ctx.fills).toHaveLength(1)
    expect(canvas().getAttribute('data-verified')).toBe('7')
  })

  it('switches to one machine\'s view by PIECE code', () => {
    const local = new Uint8Array(12).fill(PIECE.verified)
    local[0] = PIECE.refetched
    local[1] = PIECE.failed
    const dist = originDistribution()
    const withCodes = originDistribution({ pieces: { ...dist.pieces, local } })
    renderWithStore(<PieceMap dist={withCodes} />, appState({ distributions: [withCodes] }))
    // One click on the machine's chip, no drop-down to open.
    fireEvent.click(screen.getByTestId('piece-view-lab-07'))
    expect(screen.getByTestId('piece-view-lab-07').getAttribute('aria-pressed')).toBe('true')
    expect(canvas().getAttribute('data-view')).toBe(SELF_ID)
    expect(canvas().getAttribute('data-verified')).toBe('11')
    expect(screen.getByText('failed its check, not fetched again yet')).toBeTruthy()

    fireEvent.click(screen.getByTestId('piece-view-lab-02'))
    expect(canvas().getAttribute('data-view')).toBe(machine(2).id)
    expect(canvas().getAttribute('data-verified')).toBe('6')
    fireEvent.click(screen.getByTestId('piece-view-swarm'))
    expect(canvas().getAttribute('data-view')).toBe('swarm')
  })

  it('grades the swarm view by copies, with its scale and how many machines verified the whole file', () => {
    renderWithStore(<PieceMap dist={originDistribution()} />, appState())
    // lab-07 (origin) and lab-01 verified; lab-02 receiving; lab-03 declined and left out.
    expect(screen.getByTestId('piece-verified-machines').textContent).toBe('Whole file verified on 2 of 3 machines.')
    const legend = screen.getByRole('list', { name: /copies per piece/ })
    expect(Array.from(legend.querySelectorAll('li')).map(li => li.textContent)).toEqual(['no machine yet', '1 machine', '2 machines', 'all 3 machines'])
    expect(canvas().getAttribute('data-verified')).toBe('6')
  })

  it('counts a machine out of space among those taking part: it goes on once space is freed', () => {
    const d = originDistribution()
    const members = d.members.map(m => m.name === 'lab-02' ? { ...m, state: 'no-space' as const, rate: 0, etaSeconds: null } : m)
    renderWithStore(<PieceMap dist={{ ...d, members }} />, appState())
    expect(screen.getByTestId('piece-verified-machines').textContent).toBe('Whole file verified on 2 of 3 machines.')
  })

  it('names the piece under the pointer, its bytes and its holders', () => {
    renderWithStore(<PieceMap dist={originDistribution()} />, appState())
    fireEvent.mouseMove(canvas(), { clientX: 1, clientY: 1 })
    expect(screen.getByTestId('piece-info').textContent).toBe('Piece 0 of 12 · bytes 0–4,194,303 · held by 3 of 3 machines')
    fireEvent.mouseLeave(canvas())
    expect(screen.getByTestId('piece-info').textContent).toContain('6 of 12 pieces held by every machine')
  })

  it('lets the keyboard walk the pieces, marking the current one', () => {
    renderWithStore(<PieceMap dist={originDistribution()} />, appState())
    ctx.fills = []
    fireEvent.keyDown(canvas(), { key: 'End' })
    // 12 pieces of 14 px + 2 px gap on one row: piece 11 starts at x = 176.
    expect(ctx.fills).toEqual([[176, 0]])
    ctx.fills = []
    fireEvent.keyDown(canvas(), { key: 'ArrowLeft' })
    // Piece 11 is repainted in its own colour, piece 10 marked.
    expect(ctx.fills).toEqual([[176, 0], [160, 0]])
    fireEvent.keyDown(canvas(), { key: 'ArrowRight' })
    expect(screen.getByTestId('piece-info').textContent).toMatch(/^Piece 11 of 12 · bytes 46,137,344–46,138,577 · held by 2 of 3/)
    fireEvent.keyDown(canvas(), { key: 'ArrowLeft' })
    expect(screen.getByTestId('piece-info').textContent).toMatch(/^Piece 10 of 12/)
  })

  it('repaints every cell when the OS switches between light and dark', () => {
    // A controllable prefers-color-scheme query: the theme follows the OS until the user picks one.
    const listeners = new Set<() => void>()
    const query = {
      matches: false,
      addEventListener: (_: string, l: () => void) => { listeners.add(l) },
      removeEventListener: (_: string, l: () => void) => { listeners.delete(l) }
    }
    const savedMatchMedia = window.matchMedia
    window.matchMedia = (() => query) as unknown as typeof window.matchMedia
    try {
      renderWithStore(<PieceMap dist={originDistribution()} />, appState())
      expect(ctx.fills).toHaveLength(12)
      ctx.fills = []
      query.matches = true
      act(() => { for (const l of listeners) l() })
      expect(ctx.fills).toHaveLength(12)
    } finally {
      window.matchMedia = savedMatchMedia
    }
  })
})
