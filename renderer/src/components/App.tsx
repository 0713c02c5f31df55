// The window: top bar, sidebar, and the view the person chose, all inside the drop zone.
import { useEffect } from 'react'
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
        <main className="main">
          <MessageBar />
          <MainView />
        </main>
      </div>
    </DropZone>
  )
}
