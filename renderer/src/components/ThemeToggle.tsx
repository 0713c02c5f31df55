// Light/dark switch. Until pressed the OS setting rules; the choice then sticks.
import { useUi } from '../store/context.js'
import { useOsDark } from './use-os-dark.js'

export function ThemeToggle () {
  const theme = useUi(s => s.theme)
  const setTheme = useUi(s => s.setTheme)
  const osDark = useOsDark()
  const dark = theme === null ? osDark : theme === 'dark'
  const next = dark ? 'light' : 'dark'
  return (
    <button
      type="button"
      className="button button-quiet icon-button"
      data-testid="theme-toggle"
      aria-label={`Switch to ${next} theme`}
      onClick={() => setTheme(next)}
    >
      <span aria-hidden="true">{dark ? '☀' : '☾'}</span>
    </button>
  )
}
