import { describe, expect, it } from 'vitest'
import { changedCells } from './diff.js'
import { gridLayout } from './layout.js'
import { paintCells } from './paint.js'
import type { CellPainter } from './paint.js'

class RecordingPainter implements CellPainter {
  fillStyle: CellPainter['fillStyle'] = ''
  readonly fills: Array<{ x: number; y: number; colour: unknown }> = []
  fillRect (x: number, y: number): void { this.fills.push({ x, y, colour: this.fillStyle }) }
  clearRect (): void {}
}

describe('paintCells', () => {
  it('paints only the changed cells of a 20,000-piece map, in their colours', () => {
    const layout = gridLayout(20_000, 800)
    const prev = new Uint8Array(20_000)
    const next = prev.slice()
    next[3] = 2
    next[19_999] = 1
    const painter = new RecordingPainter()
    paintCells(painter, layout, next, changedCells(prev, next), ['grey', 'amber', 'green'])
    const pitch = layout.cell + layout.gap
    expect(painter.fills).toEqual([
      { x: (19_999 % layout.columns) * pitch, y: Math.floor(19_999 / layout.columns) * pitch, colour: 'amber' },
      { x: 3 * pitch, y: 0, colour: 'green' }
    ])
  })

  it('paints every cell on a first frame', () => {
    const layout = gridLayout(50, 400)
    const painter = new RecordingPainter()
    paintCells(painter, layout, new Uint8Array(50), changedCells(null, new Uint8Array(50)), ['grey'])
    expect(painter.fills).toHaveLength(50)
  })
})
