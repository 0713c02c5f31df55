// The window: top bar, sidebar, and the view the person chose, all inside the drop zone.
import { useEffect, useLayoutEffect, useRef } from 'react'
import { sentence } from '../format/format.js'
import { useUi } from '../store/context.js'
import { ConnectionBanner } from './ConnectionBanner.js'
import { DistributionView } from './DistributionView.js'
import { DropZone } from './DropZone.js'
import { EngineBanner } from './EngineBanner.js'
import { IncomingView } from './IncomingView.js'
import { MachinesView } from './MachinesView.js'
import { MessageBar } from './MessageBar.js'
import { PathSender } from './PathSender.js'
import { SettingsView } from './SettingsView.js'
import { Sidebar } from './Sidebar.js'
import { TopBar } from './TopBar.js'
import { NARROW_WINDOW, useMediaQuery } from './use-media-query.js'

function MainView () {
  const view = useUi(s => s.view)
  const app = useUi(s => s.app)
  const connection = useUi(s => s.connection)
  if (app === null) {
    return connection.status === 'lost'
      ? (
        <div className="loading" role="alert">
          <p className="empty-title">Can’t reach Swarmdrop.</p>
          <p>{sentence(connection.message)} Is it still running? Trying again every few seconds.</p>
        </div>
        )
      : <p className="loading" role="status">Connecting to Swarmdrop…</p>
  }
  switch (view) {
    case 'incoming': return <IncomingView />
    case 'machines': return <MachinesView />
    case 'settings': return <SettingsView />
    case 'distribution': return <DistributionView />
    case 'send-path': return <PathSender />
  }
}

export function App () {
  const start = useUi(s => s.start)
  const theme = useUi(s => s.theme)
  // On a narrow window the open sidebar covers the content: inert meanwhile, so neither Tab nor a
  // screen reader's browse mode wanders into what cannot be seen.
  const sidebarOpen = useUi(s => s.sidebarOpen)
  const narrow = useMediaQuery(NARROW_WINDOW)
  const covered = sidebarOpen && narrow
  const main = useRef<HTMLElement>(null)
  // A layout effect: a view chosen in the sidebar is focused right after the render that folds it.
  useLayoutEffect(() => { if (main.current !== null) main.current.inert = covered }, [covered])

  useEffect(() => start(), [start])
  useEffect(() => {
    const root = document.documentElement
    if (theme === null) delete root.dataset.theme
    else root.dataset.theme = theme
  }, [theme])

  return (
    <DropZone>
      <TopBar />
      <ConnectionBanner />
      <EngineBanner />
      <div className="body">
        <Sidebar />
        <main className="main" ref={main}>
          <MessageBar />
          <MainView />
        </main>
      </div>
    </DropZone>
  )
}
