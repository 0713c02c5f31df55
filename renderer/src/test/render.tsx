// Renders a component with a fresh store over a RecordingApi, the way main.tsx wires the app.
import { render } from '@testing-library/react'
import type { ReactElement, ReactNode } from 'react'
import type { AppState } from '../../../preload/api.js'
import { createUiStore } from '../store/app-store.js'
import { StoreContext } from '../store/context.js'
import { RecordingApi } from './recording-api.js'

export function renderWithStore (ui: ReactElement, state: AppState) {
  const api = new RecordingApi(state)
  const store = createUiStore(api)
  store.getState().receive(state)
  // A wrapper, not a parent element, so `rerender` keeps the store.
  const wrapper = ({ children }: { readonly children: ReactNode }) => <StoreContext.Provider value={store}>{children}</StoreContext.Provider>
  const view = render(ui, { wrapper })
  return { api, store, ...view }
}
