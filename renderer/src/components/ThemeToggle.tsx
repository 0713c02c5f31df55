// Light/dark switch. Until pressed the OS setting rules; the choice then sticks.
import { useUi } from '../store/context.js'

function osPrefersDark (): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches
}

export function ThemeToggle () {
  const theme = useUi(s => s.theme)
  const setTheme = useUi(s => s.setTheme)
  const dark = theme === null ? osPrefersDark() : theme === 'dark'
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
