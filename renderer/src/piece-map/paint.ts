// Paints cells onto a 2D context. Only the given indexes are touched; cells are grouped by value so
// the fill colour changes a handful of times per frame, not once per cell.
import { cellOrigin } from './layout.js'
import type { GridLayout } from './layout.js'

/** The part of CanvasRenderingContext2D the piece map uses. */
export interface CellPainter {
  fillStyle: string | CanvasGradient | CanvasPattern
  fillRect (x: number, y: number, w: number, h: number): void
  clearRect (x: number, y: number, w: number, h: number): void
}

export function paintCells (ctx: CellPainter, layout: GridLayout, values: Uint8Array, indexes: Uint32Array, colours: readonly string[]): void {
  for (let v = 0; v < colours.length; v++) {
    const colour = colours[v]
    if (colour === undefined) continue
    let styled = false
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k] ?? 0
      if (values[i] !== v) continue
      if (!styled) {
        ctx.fillStyle = colour
        styled = true
      }
      const { x, y } = cellOrigin(layout, i)
      ctx.clearRect(x, y, layout.cell, layout.cell)
      ctx.fillRect(x, y, layout.cell, layout.cell)
    }
  }
}
