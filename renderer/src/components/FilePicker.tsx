// The keyboard way to start a distribution: a button that opens the file chooser.
import { useRef } from 'react'
import { useUi } from '../store/context.js'

export function FilePicker () {
  const input = useRef<HTMLInputElement>(null)
  const createFromFiles = useUi(s => s.createFromFiles)
  return (
    <>
      <button type="button" className="button button-primary drop-button" onClick={() => input.current?.click()} data-testid="pick-file">
        Drop a file to send
      </button>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-input"
        onChange={e => {
          const files = Array.from(e.currentTarget.files ?? [])
          e.currentTarget.value = ''
          if (files.length > 0) void createFromFiles(files)
        }}
      />
    </>
  )
}
