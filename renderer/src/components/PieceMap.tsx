// The product's signature: one canvas cell per piece. The default view grades each piece by how
// many machines hold it and says, from the member rows, on how many machines the whole file is
// verified; each machine's own view is one click away (chips). Each update repaints only the cells
// whose value changed since the last frame (piece-map/diff.ts), which keeps 20,000 pieces smooth.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent, MouseEvent } from 'react'
import type { Distribution } from '../../../preload/api.js'
import { contentNoun } from '../format/content-noun.js'
import { formatCount, plural } from '../format/format.js'
import { REFUSED_STATES } from '../format/labels.js'
import { cellsFor, swarmScale, swarmSize } from '../piece-map/cells.js'
import { describePiece } from '../piece-map/describe.js'
import { changedCells } from '../piece-map/diff.js'
import { cellOrigin, gridLayout, pieceAt } from '../piece-map/layout.js'
import { paintCells } from '../piece-map/paint.js'
import { readCursorColour, readPalette } from '../piece-map/palette.js'
import { useOsDark } from './use-os-dark.js'
import { useUi } from '../store/context.js'
import { PieceLegend } from './PieceLegend.js'

const FALLBACK_WIDTH = 640

interface Drawn { readonly key: string; readonly values: Uint8Array }

export function PieceMap ({ dist }: { readonly dist: Distribution }) {
  const view = useUi(s => s.pieceView)
  const setView = useUi(s => s.setPieceView)
  const theme = useUi(s => s.theme)
  const osDark = useOsDark()
  const wrap = useRef<HTMLDivElement>(null)
  const canvas = useRef<HTMLCanvasElement>(null)
  const drawn = useRef<Drawn | null>(null)
  /** The cell painted in the cursor colour, to restore when the cursor moves on. */
  const marked = useRef<number | null>(null)
  const [width, setWidth] = useState(FALLBACK_WIDTH)
  const [cursor, setCursor] = useState<number | null>(null)

  // A member chosen for another distribution (or gone) falls back to the swarm view.
  const memberKnown = view === 'swarm' || dist.members.some(m => m.id === view.member)
  const effective = memberKnown ? view : 'swarm'
  const frame = useMemo(() => cellsFor(dist, effective), [dist, effective])
  const count = dist.pieces.pieceCount
  const layout = useMemo(() => gridLayout(count, width), [count, width])
  const dpr = typeof window.devicePixelRatio === 'number' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1

  useLayoutEffect(() => {
    const el = wrap.current
    if (el === null || typeof ResizeObserver !== 'function') return
    const observer = new ResizeObserver(entries => {
      const w = entries[0]?.contentRect.width ?? 0
      if (w > 0) setWidth(w)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [])

  useEffect(() => {
    const el = canvas.current
    const ctx = el?.getContext('2d') ?? null
    if (el === null || ctx === null) return
    const palette = readPalette(el, frame.kind)
    // Anything that moves or recolours cells forces a full repaint; otherwise paint the diff.
    const key = [frame.kind, layout.columns, layout.cell, layout.width, layout.height, dpr, theme, osDark, palette.join()].join('|')
    const prev = drawn.current?.key === key ? drawn.current.values : null
    if (prev === null) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      ctx.clearRect(0, 0, layout.width, layout.height)
    }
    paintCells(ctx, layout, frame.values, changedCells(prev, frame.values), palette)
    drawn.current = { key, values: frame.values }
  }, [frame, layout, dpr, theme, osDark])

  // Runs after every repaint above (same dependencies, declared later), so the mark survives it.
  useEffect(() => {
    const el = canvas.current
    const ctx = el?.getContext('2d') ?? null
    if (el === null || ctx === null) return
    const before = marked.current
    if (before !== null && before !== cursor && before < frame.values.length) {
      paintCells(ctx, layout, frame.values, Uint32Array.of(before), readPalette(el, frame.kind))
    }
    if (cursor !== null && cursor < frame.values.length) {
      const { x, y } = cellOrigin(layout, cursor)
      ctx.fillStyle = readCursorColour(el)
      ctx.fillRect(x, y, layout.cell, layout.cell)
    }
    marked.current = cursor
  }, [cursor, frame, layout, dpr, theme, osDark])

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect()
    setCursor(pieceAt(layout, count, e.clientX - rect.left, e.clientY - rect.top))
  }
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const step: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: layout.columns, ArrowUp: -layout.columns }
    let next: number | null = null
    if (e.key in step) next = Math.min(count - 1, Math.max(0, (cursor ?? 0) + (step[e.key] ?? 0)))
    else if (e.key === 'Home') next = 0
    else if (e.key === 'End') next = count - 1
    if (next === null) return
    e.preventDefault()
    setCursor(next)
  }

  const selectValue = effective === 'swarm' ? 'swarm' : effective.member
  const hovered = cursor !== null ? describePiece(dist, frame, cursor) : null
  const scale = useMemo(() => swarmScale(swarmSize(dist)), [dist])
  // "Verified" means the whole-file SHA-256 matched on that machine, as its row says.
  const taking = dist.members.filter(m => !REFUSED_STATES.includes(m.state))
  const verifiedOn = taking.filter(m => m.verified).length
  const chosen = effective === 'swarm' ? undefined : dist.members.find(m => m.id === effective.member)
  const noun = contentNoun(dist)
  return (
    <section className="card piece-map" aria-labelledby="piece-map-title">
      <div className="section-head">
        <h3 id="piece-map-title">Piece map</h3>
      </div>
      <div className="piece-views" role="group" aria-label="Show the pieces of" data-testid="piece-view">
        <span className="piece-views-label" aria-hidden="true">Show</span>
        <button type="button" className="chip" aria-pressed={selectValue === 'swarm'} data-testid="piece-view-swarm" onClick={() => setView('swarm')}>
          Whole swarm
        </button>
        {dist.members.map(m => (
          <button
            key={m.id}
            type="button"
            className="chip"
            aria-pressed={selectValue === m.id}
            data-testid={`piece-view-${m.name}`}
            title={m.name}
            onClick={() => setView({ member: m.id })}
          >
            {m.name}{m.self && <span className="chip-note"> (this device)</span>}
          </button>
        ))}
      </div>
      <p className="piece-summary" data-testid="piece-verified-machines">
        {effective === 'swarm'
          ? `Whole ${noun} verified on ${formatCount(verifiedOn)} of ${plural(taking.length, 'machine')}.`
          : `${chosen?.name ?? 'This machine'}: ${chosen?.verified === true ? `whole ${noun} verified` : `whole ${noun} not verified yet`}.`}
      </p>
      <div ref={wrap} className="piece-canvas-wrap">
        <canvas
          ref={canvas}
          className="piece-canvas"
          data-testid="piece-map"
          data-piece-count={count}
          data-verified={frame.verified}
          data-view={selectValue}
          width={Math.round(layout.width * dpr)}
          height={Math.round(layout.height * dpr)}
          // Canvas sizing is the one inline style: CSS pixels differ from backing pixels on HiDPI.
          style={{ width: layout.width, height: layout.height }}
          tabIndex={0}
          role="img"
          aria-label={`Piece map, ${plural(count, 'piece')}, ${formatCount(frame.verified)} ${frame.kind === 'swarm' ? 'on every machine' : 'verified'}. Use the arrow keys to inspect pieces.`}
          title={hovered ?? undefined}
          onMouseMove={onMove}
          onMouseLeave={() => setCursor(null)}
          onKeyDown={onKey}
          onBlur={() => setCursor(null)}
        />
      </div>
      <p className="piece-info" data-testid="piece-info">
        {hovered ?? (frame.known
            ? `${formatCount(frame.verified)} of ${plural(count, 'piece')} ${frame.kind === 'swarm' ? 'held by every machine' : 'verified'}. Point at a piece for details.`
            : 'This device has not received a piece map from that machine yet.')}
      </p>
      <PieceLegend kind={frame.kind} scale={scale} />
    </section>
  )
}
