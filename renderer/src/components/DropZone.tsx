// The whole window takes drops: while a file is dragged over it a full-window overlay says what
// will happen; dropping starts a distribution.
import { useRef, useState } from 'react'
import type { DragEvent, ReactNode } from 'react'
import { useUi } from '../store/context.js'

function carriesFiles (e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files')
}

export function DropZone ({ children }: { readonly children: ReactNode }) {
  const createFromFiles = useUi(s => s.createFromFiles)
  const [over, setOver] = useState(false)
  // dragenter/dragleave fire for every child crossed: count them to know when the drag left.
  const depth = useRef(0)

  return (
    <div
      className="app"
      data-testid="drop-zone"
      onDragEnter={e => {
        if (!carriesFiles(e)) return
        e.preventDefault()
        depth.current++
        setOver(true)
      }}
      onDragOver={e => {
        if (!carriesFiles(e)) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'copy'
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1)
        if (depth.current === 0) setOver(false)
      }}
      onDrop={e => {
        e.preventDefault()
        depth.current = 0
        setOver(false)
        const files = Array.from(e.dataTransfer?.files ?? [])
        if (files.length > 0) void createFromFiles(files)
      }}
    >
      {children}
      {over && (
        <div className="drop-overlay" aria-hidden="true">
          <p className="drop-overlay-text">Drop to send this file to machines on your network</p>
        </div>
      )}
    </div>
  )
}
