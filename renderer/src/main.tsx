// Entry point: find the engine's API, build the store, draw the window.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { findApi } from './bootstrap/find-api.js'
import { followHash } from './bootstrap/follow-hash.js'
import { sentence } from './format/format.js'
import { browserStorage, loadTheme, saveTheme } from './bootstrap/theme-preference.js'
import { App } from './components/App.js'
import { createUiStore } from './store/app-store.js'
import { StoreContext } from './store/context.js'
import './styles/app.css'

async function boot (el: HTMLElement): Promise<void> {
  const root = createRoot(el)
  root.render(<p className="loading" role="status">Connecting to Swarmdrop…</p>)
  const api = await findApi(window)
  if (!api.ok) {
    root.render(
      <div className="loading" role="alert">
        <p className="empty-title">Can’t reach Swarmdrop.</p>
        <p>{sentence(api.error.message)}</p>
      </div>
    )
    return
  }
  const store = createUiStore(api.value, { theme: loadTheme(browserStorage()) })
  store.subscribe((s, prev) => { if (s.theme !== prev.theme) saveTheme(browserStorage(), s.theme) })
  followHash(window, store)
  root.render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>
  )
}

const el = document.getElementById('root')
if (el !== null) void boot(el)
