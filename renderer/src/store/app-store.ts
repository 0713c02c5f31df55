// The renderer's one store: the latest AppState from the engine, how the connection is, and what the
// person has selected. Actions call the SwarmdropApi and turn every failed ApiResult into a message
// the UI shows; nothing here touches the DOM, so it runs the same under tests.
import { createStore } from 'zustand/vanilla'
import type { StoreApi } from 'zustand/vanilla'
import type { ApiError, ApiResult, AppState, LinkWatch, SwarmdropApi, UploadProgress } from '../../../preload/api.js'
import { errorMessage, fail } from '../../../common/result.js'
import { formatSince, plural } from '../format/format.js'
import { removedNotice } from '../format/remove-plan.js'
import type { PieceView } from '../piece-map/cells.js'
import { trackReceiving } from './receiving.js'
import { newRefusals } from './refusals.js'
import type { ReceivingSince } from './receiving.js'
import { reconcileSelection } from './selection.js'
import type { PendingCreate } from './selection.js'

export type Connection =
  | { readonly status: 'connecting' }
  | { readonly status: 'connected' }
  /** `since`: the last moment the link was known good (ISO): the state on screen is that old. */
  | { readonly status: 'lost'; readonly message: string; readonly since: string }

export type MainView = 'distribution' | 'incoming' | 'machines' | 'settings' | 'send-path'
export type Theme = 'light' | 'dark'

export interface Submitting {
  readonly name: string
  /** Known once an upload reports progress (web UI); the desktop app hands over a path at once. */
  readonly bytesSent: number | null
  readonly bytesTotal: number | null
  /** ms, for the upload rate. */
  readonly startedAt: number
}

/** The engine's API; the web UI's also says at once when its link to the agent is lost. */
export type WindowApi = SwarmdropApi & Partial<LinkWatch>

export interface UiState {
  readonly api: WindowApi
  readonly app: AppState | null
  readonly connection: Connection
  readonly view: MainView
  /** infoHash of the distribution shown in the detail view. */
  readonly selected: string | null
  /** Machine ids ticked for the next send. */
  readonly ticked: readonly string[]
  readonly pieceView: PieceView
  /** null follows the OS setting. */
  readonly theme: Theme | null
  readonly lastError: ApiError | null
  /** The engine's notices (AppState.notices) this window's person dismissed, by id. */
  readonly dismissedNotices: readonly string[]
  /** A short confirmation ("Offered to 3 machines."), cleared by the next one. */
  readonly notice: string | null
  /** The machines an offer notice waits for: it clears once all of them have answered. */
  readonly noticeAwaits: { readonly infoHash: string; readonly ids: readonly string[] } | null
  /** When each member started receiving (ETAs read "estimating…" at first). */
  readonly receivingSince: ReceivingSince
  /** A file being hashed after a drop: its distribution is selected once it appears. */
  readonly pendingCreate: PendingCreate | null
  /** The sidebar shown over the content on a narrow window (wide windows always show it). */
  readonly sidebarOpen: boolean
  /** A dropped or chosen file on its way to the engine (the web UI uploads it first). */
  readonly submitting: Submitting | null
}

/** The engine commands, with the API's own signatures: the store wraps each to report failures. */
type ApiCommands = Pick<SwarmdropApi,
  'createFromFiles' | 'offer' | 'accept' | 'decline' | 'pause' | 'resume' | 'openFolder' | 'remove' |
  // chooseFolder: errors are left to the caller (`unsupported` is an answer: type a path).
  // updateSettings: errors are left to the caller, which shows them beside the field they name.
  'chooseFolder' | 'updateSettings' | 'trust' | 'untrust' | 'report' |
  // browse: errors are left to the caller, the folder browser shows them in place.
  'createFromPath' | 'browse' |
  // setGroup, deleteGroup: errors are left to the caller, the groups editor shows them in place.
  'setGroup' | 'deleteGroup' |
  // pair: errors are left to the caller, the "Add by address" form shows them in place.
  'pair' | 'unpair' |
  // restartEngine: errors are left to the caller, the engine banner shows them in place.
  'restartEngine'>

export interface UiActions extends ApiCommands {
  /** Loads the state, subscribes to updates and checks the link every few seconds; returns stop. */
  start (heartbeatMs?: number): () => void
  receive (state: AppState): void
  setView (view: MainView): void
  select (infoHash: string): void
  toggleMachine (id: string, on: boolean): void
  setTicked (ids: readonly string[]): void
  setPieceView (view: PieceView): void
  setTheme (theme: Theme): void
  setSidebarOpen (open: boolean): void
  /** Stops the upload in progress; the agent deletes the part it received. */
  cancelUpload (): void
  dismissError (): void
  /** Hides one of the engine's notices in this window. */
  dismissDeviceNotice (id: string): void
}

export type UiStore = UiState & UiActions

const HEARTBEAT_MS = 5000
/** A confirmation stays this long: long enough to read, short enough not to go stale. */
export const NOTICE_MS = 6000
/** Codes the transports use when the engine could not be reached; the next state update clears them. */
const LINK_ERRORS: ReadonlySet<string> = new Set(['disconnected', 'unreachable'])

/** A thrown error from a transport becomes an ApiResult like any other failure. */
async function settle<T> (call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  try {
    return await call()
  } catch (err) {
    return fail('internal', errorMessage(err))
  }
}

export function createUiStore (api: WindowApi, initial?: { readonly theme?: Theme | null }): StoreApi<UiStore> {
  return createStore<UiStore>()((set, get) => {
    /** Runs a command; a failure becomes the visible error, a success clears it. */
    async function run<T> (call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
      const result = await settle(call)
      report(result)
      return result
    }

    /** A failure becomes the visible error (and a lost link when the transport says so); a success clears it. */
    function report (result: ApiResult<unknown>): void {
      set({ lastError: result.ok ? null : result.error })
      if (!result.ok && LINK_ERRORS.has(result.error.code)) linkLost(result.error.message)
    }

    /** The last moment the engine answered or sent a state (ms). */
    let linkOkAt = Date.now()

    /** The upload in progress, to cancel it. */
    let uploading: AbortController | null = null

    /** Waits for the distribution `name` becomes, and selects it once it is hashed. */
    function expectCreated (jobId: string, name: string): void {
      const known = get().app?.distributions.map(d => d.infoHash) ?? []
      set({ pendingCreate: { jobId, name, known, seen: false }, view: 'distribution', notice: null, noticeAwaits: null })
    }

    /** Each notice has its own timer; a later notice is never cleared by an earlier one's. */
    let noticeSerial = 0
    /**
     * An answered offer leaves the card at once: the engine has dropped it, and the next state
     * (a moment later) says so too — meanwhile the card must not invite a second answer.
     */
    function dropOffer (offerId: string): void {
      const app = get().app
      if (app) set({ app: { ...app, offers: app.offers.filter(o => o.offerId !== offerId) } })
    }

    function showNotice (text: string, opts: { readonly ttlMs?: number; readonly awaits?: UiState['noticeAwaits'] } = {}): number {
      const serial = ++noticeSerial
      set({ notice: text, noticeAwaits: opts.awaits ?? null })
      if (opts.ttlMs !== undefined) {
        setTimeout(() => { if (serial === noticeSerial) set({ notice: null, noticeAwaits: null }) }, opts.ttlMs)
      }
      return serial
    }
    /** The serial of the notice saying the link is back: it is no longer true once the link is lost again. */
    let backSerial = -1

    async function refresh (): Promise<void> {
      const result = await settle(() => get().api.getState())
      if (result.ok) {
        linkOkAt = Date.now()
        // A bridge may answer from its cache: the very state already shown proves nothing about
        // the link, so it neither clears a lost link nor re-renders.
        if (result.value !== get().app) get().receive(result.value)
      } else {
        linkLost(result.error.message)
      }
    }

    /**
     * The engine cannot be reached: said with its message, and how old the state on screen is.
     * The first message stays until the link is back: what a heartbeat or a command then finds is
     * only its consequence, and a changed alert would be read out again.
     */
    function linkLost (message: string): void {
      if (get().connection.status === 'lost') return
      set({
        connection: { status: 'lost', message, since: new Date(linkOkAt).toISOString() },
        ...(backSerial === noticeSerial ? { notice: null, noticeAwaits: null } : {})
      })
    }

    return {
      api,
      app: null,
      connection: { status: 'connecting' },
      view: 'distribution',
      selected: null,
      ticked: [],
      pieceView: 'swarm',
      theme: initial?.theme ?? null,
      lastError: null,
      dismissedNotices: [],
      notice: null,
      noticeAwaits: null,
      receivingSince: {},
      sidebarOpen: false,
      pendingCreate: null,
      submitting: null,

      start (heartbeatMs = HEARTBEAT_MS) {
        const unsubscribe = get().api.subscribe(state => get().receive(state))
        // The socket closed: the state on screen was live until this moment, and is not any more.
        const unwatch = get().api.onLinkLost?.(message => {
          linkOkAt = Date.now()
          linkLost(message)
        })
        void refresh()
        // Updates only come when something changes, so silence is not proof of a lost link: ask.
        const timer = setInterval(() => { void refresh() }, heartbeatMs)
        return () => {
          clearInterval(timer)
          unsubscribe()
          unwatch?.()
        }
      },

      receive (state) {
        const s = get()
        const next = reconcileSelection(state, s.selected, s.pendingCreate)
        const changedDist = next.selected !== s.selected
        // An offer notice has served its purpose once every machine offered to has answered.
        const awaited = s.noticeAwaits
        const answered = awaited !== null && state.distributions.find(d => d.infoHash === awaited.infoHash)?.members
          .every(m => !awaited.ids.includes(m.id) || (m.state !== 'offering' && m.state !== 'pending')) === true
        const refusals = newRefusals(s.app, state)
        const was = s.connection
        linkOkAt = Date.now()
        set({
          ...(answered ? { notice: null, noticeAwaits: null } : {}),
          receivingSince: trackReceiving(s.receivingSince, state, Date.now()),
          app: state,
          connection: { status: 'connected' },
          selected: next.selected,
          pendingCreate: next.pendingCreate,
          ...(next.created ? { view: 'distribution' as const } : {}),
          ...(changedDist ? { pieceView: 'swarm' as const } : {})
        })
        // A decline or failure is news: said once, briefly, on top of the row and the badge.
        if (refusals.length > 0) showNotice(refusals.join(' '), { ttlMs: NOTICE_MS })
        // The banner going is not heard: the way back is said as plainly as the loss was (a window
        // that never had a state was never connected: it has nothing to come back to).
        else if (was.status === 'lost' && s.app !== null) backSerial = showNotice(`Connected to ${state.self.name} again (lost for ${formatSince(was.since, Date.now())}). What you see is current.`, { ttlMs: NOTICE_MS })
      },

      setView (view) { set({ view, notice: null, noticeAwaits: null }) },
      select (infoHash) {
        const s = get()
        set({
          selected: infoHash,
          view: 'distribution',
          // Ticked machines stay ticked: people often choose them before the file is ready.
          ...(infoHash !== s.selected ? { pieceView: 'swarm' as const, notice: null, noticeAwaits: null } : {})
        })
      },
      toggleMachine (id, on) {
        const ticked = get().ticked.filter(t => t !== id)
        set({ ticked: on ? [...ticked, id] : ticked })
      },
      setTicked (ids) { set({ ticked: [...new Set(ids)] }) },
      setPieceView (pieceView) { set({ pieceView }) },
      setTheme (theme) { set({ theme }) },
      setSidebarOpen (sidebarOpen) { set({ sidebarOpen }) },
      dismissError () { set({ lastError: null }) },
      dismissDeviceNotice (id) { set(s => ({ dismissedNotices: s.dismissedNotices.includes(id) ? s.dismissedNotices : [...s.dismissedNotices, id] })) },

      async createFromFiles (files) {
        const first = files[0]
        // One upload at a time: the window shows one upload's bar and Cancel, and a second drop
        // would run unseen, beyond the reach of Cancel.
        const busy = get().submitting
        if (busy !== null) {
          const refused = fail('busy', `${first?.name ?? 'that file'} was not uploaded: ${busy.name} is still uploading; wait for it or cancel it, then drop the file again`)
          report(refused)
          return refused
        }
        const controller = new AbortController()
        uploading = controller
        set({ submitting: first === undefined ? null : { name: first.name, bytesSent: null, bytesTotal: null, startedAt: Date.now() } })
        const onProgress = (p: UploadProgress): void => {
          const s = get().submitting
          if (s !== null && uploading === controller) set({ submitting: { ...s, bytesSent: p.bytesSent, bytesTotal: p.bytesTotal } })
        }
        // Only the web UI uploads; the desktop app's bridge gets no options (a signal and a callback
        // would have to cross Electron's context bridge for nothing).
        const api = get().api
        const result = await settle(() => api.shell === 'web' ? api.createFromFiles(files, { onProgress, signal: controller.signal }) : api.createFromFiles(files))
        if (uploading === controller) uploading = null
        set({ submitting: null })
        if (!result.ok && result.error.code === 'cancelled') {
          showNotice(`Upload of ${first?.name ?? 'the file'} cancelled; nothing was kept.`, { ttlMs: NOTICE_MS })
          return result
        }
        report(result)
        if (result.ok && first !== undefined) expectCreated(result.value.jobId, first.name)
        return result
      },
      async createFromPath (path) {
        const result = await run(() => get().api.createFromPath(path))
        // The distribution is named after the last part of the path.
        const name = path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path
        if (result.ok) expectCreated(result.value.jobId, name)
        return result
      },
      browse (path) { return settle(() => get().api.browse(path)) },
      cancelUpload () { uploading?.abort() },
      async offer (infoHash, to) {
        const result = await run(() => get().api.offer(infoHash, to))
        if (result.ok) {
          set({ ticked: [] })
          const waiting = result.value.waiting ?? 0
          const later = waiting > 0 ? ` ${plural(waiting, 'machine')} off the network ${waiting === 1 ? 'gets' : 'get'} it when back.` : ''
          showNotice(`Offered to ${plural(result.value.offered, 'machine')}.${later}`, { ttlMs: NOTICE_MS, awaits: { infoHash, ids: [...to] } })
        }
        return result
      },
      async accept (offerId, opts) {
        const result = await run(() => get().api.accept(offerId, opts))
        if (result.ok) dropOffer(offerId)
        return result
      },
      async decline (offerId) {
        // Read before the answer: the offer leaves the state once declined.
        const declined = get().app?.offers.find(o => o.offerId === offerId)
        const result = await run(() => get().api.decline(offerId))
        if (result.ok) dropOffer(offerId)
        if (result.ok && declined !== undefined) {
          showNotice(`You declined ${declined.name} from ${declined.sender.name}.`, { ttlMs: NOTICE_MS })
        }
        return result
      },
      pause (infoHash) { return run(() => get().api.pause(infoHash)) },
      resume (infoHash) { return run(() => get().api.resume(infoHash)) },
      async remove (infoHash, opts) {
        const result = await run(() => get().api.remove(infoHash, opts))
        if (!result.ok) return result
        // Read after the answer: the list may have changed meanwhile.
        const s = get()
        const dists = s.app?.distributions ?? []
        const at = dists.findIndex(d => d.infoHash === infoHash)
        const gone = dists[at]
        // It leaves the list at once (the next state says so too); the selection moves to the next
        // one, else the one before, else the empty state.
        const rest = dists.filter(d => d.infoHash !== infoHash)
        const next = rest[Math.min(Math.max(at, 0), rest.length - 1)]?.infoHash ?? null
        set({
          ...(s.app !== null && at >= 0 ? { app: { ...s.app, distributions: rest } } : {}),
          ...(s.selected === infoHash || s.selected === null ? { selected: next, pieceView: 'swarm' as const } : {})
        })
        showNotice(removedNotice(result.value, gone?.name ?? result.value.name, gone?.isFolder ?? false), { ttlMs: NOTICE_MS })
        return result
      },
      async openFolder (infoHash) {
        const result = await run(() => get().api.openFolder(infoHash))
        // The web UI cannot open a file manager: say where the data is instead.
        if (result.ok && !result.value.opened) showNotice(`The files are in ${result.value.path}`)
        return result
      },
      chooseFolder () { return settle(() => get().api.chooseFolder()) },
      updateSettings (patch) { return settle(() => get().api.updateSettings(patch)) },
      trust (id) { return run(() => get().api.trust(id)) },
      untrust (id) { return run(() => get().api.untrust(id)) },
      report (infoHash) { return run(() => get().api.report(infoHash)) },
      setGroup (name, ids) { return settle(() => get().api.setGroup(name, ids)) },
      deleteGroup (name) { return settle(() => get().api.deleteGroup(name)) },
      async pair (host, port) {
        const result = await settle(() => get().api.pair(host, port))
        if (result.ok) showNotice(`${result.value.added ? 'Added' : 'Already added:'} ${result.value.name} (${result.value.fingerprint}) at ${result.value.pairedAddress}; its key is pinned.`, { ttlMs: NOTICE_MS })
        return result
      },
      unpair (id) { return run(() => get().api.unpair(id)) },
      restartEngine () { return settle(() => get().api.restartEngine()) }
    }
  })
}
