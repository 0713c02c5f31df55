// The keyboard way to start a distribution: a button that says what it does and opens the file
// chooser. The sidebar and the empty state each have one.
import { useRef } from 'react'
import { useUi } from '../store/context.js'

export function FilePicker ({ label = 'Choose a file to send…', testId, primary = true }: { readonly label?: string; readonly testId: string; readonly primary?: boolean }) {
  const input = useRef<HTMLInputElement>(null)
  const createFromFiles = useUi(s => s.createFromFiles)
  return (
    <>
      <button type="button" className={primary ? 'button button-primary drop-button' : 'button drop-button'} onClick={() => input.current?.click()} data-testid={testId}>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={testId === 'pick-file' ? 'file-input' : `${testId}-input`}
        onChange={e => {
          const files = Array.from(e.currentTarget.files ?? [])
          e.currentTarget.value = ''
          if (files.length > 0) void createFromFiles(files)
        }}
      />
    </>
  )
}
