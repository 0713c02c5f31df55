// Where each piece sits on the canvas. Cells shrink as the piece count grows so a 20,000-piece file
// still fits a screen; the grid fills the available width.

export interface GridLayout {
  readonly cell: number
  /** Gap between cells, CSS pixels. */
  readonly gap: number
  readonly columns: number
  readonly rows: number
  readonly width: number
  readonly height: number
}

export function gridLayout (pieceCount: number, availableWidth: number): GridLayout {
  const cell = pieceCount <= 400 ? 14 : pieceCount <= 2000 ? 9 : pieceCount <= 8000 ? 6 : 4
  const gap = cell >= 6 ? 2 : 1
  const pitch = cell + gap
  const width = Math.max(pitch, Math.floor(availableWidth))
  const columns = Math.max(1, Math.floor((width + gap) / pitch))
  const rows = Math.max(1, Math.ceil(pieceCount / columns))
  return { cell, gap, columns, rows, width: columns * pitch - gap, height: rows * pitch - gap }
}

/** The piece under a point (CSS pixels from the canvas top left; a gap counts as the cell before it), or null past the cells. */
export function pieceAt (layout: GridLayout, pieceCount: number, x: number, y: number): number | null {
  const pitch = layout.cell + layout.gap
  if (x < 0 || y < 0) return null
  const col = Math.floor(x / pitch)
  const row = Math.floor(y / pitch)
  if (col >= layout.columns) return null
  const index = row * layout.columns + col
  return index < pieceCount ? index : null
}

/** Top-left corner of a piece's cell, CSS pixels. */
export function cellOrigin (layout: GridLayout, index: number): { readonly x: number; readonly y: number } {
  const pitch = layout.cell + layout.gap
  return { x: (index % layout.columns) * pitch, y: Math.floor(index / layout.columns) * pitch }
}

/** Byte range of a piece, end exclusive; the last piece may be short. */
export function pieceBytes (index: number, pieceLength: number, totalLength: number): { readonly start: number; readonly end: number } {
  const start = index * pieceLength
  return { start, end: Math.min(totalLength, start + pieceLength) }
}
