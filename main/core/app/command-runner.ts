// Executes a validated Command against the node. Every front end answers through here (the
// window over IPC, the web UI over its WebSocket, the CLI over the local API); a shell may take
// over the commands only it can do (the desktop app opens folders and shows dialogs).
import { randomUUID } from 'node:crypto'
import type { ApiResult, Command, CommandReplies } from '../../../common/api.js'
import type { HashingEvent } from '../node/events.js'
import type { SwarmNode } from '../node/swarm-node.js'
import { errorMessage, fail, ok } from '../../../common/result.js'
import { appSettings } from './app-state.js'
import { browseFolder } from './browse-folder.js'
import { pairCommand, unpairCommand } from './pairing-commands.js'
import { checkSettingsPatch } from './settings-checks.js'
import { pruneHistory, reportOf } from './history-commands.js'
import { addToGroup, removeFromGroup, setGroup } from './groups.js'
import { unwatchFolder, watchFolder } from './channels.js'
import { dropUnsharedUpload } from './upload.js'

const NOTHING: Record<string, never> = {}

/**
 * Starts hashing and answers with the job id as soon as the files were scanned (hashing a big
 * file takes minutes); a path that cannot be read fails at once. A later failure is a warning.
 */
async function create (node: SwarmNode, path: string): Promise<ApiResult<CommandReplies['create']>> {
  const jobId = randomUUID()
  return new Promise(resolve => {
    let answered = false
    const answer = (r: ApiResult<CommandReplies['create']>): void => {
      node.off('hashing', onHashing)
      if (!answered) resolve(r)
      answered = true
    }
    const onHashing = (e: HashingEvent): void => { if (e.jobId === jobId) answer(ok({ jobId })) }
    node.on('hashing', onHashing)
    node.createDistribution(path, jobId).then(async created => {
      // After the answer went out, a failure is only visible as a warning (the job disappears).
      if (!created.ok && answered) node.emit('warning', `${path}: ${created.error.message}`)
      if (created.ok) {
        // Best effort: a copy left here goes with the next start's sweep.
        const sharedFrom = await dropUnsharedUpload(node.dataDir, path, created.value.sources.map(s => s.absolutePath)).catch(() => undefined)
        if (sharedFrom !== undefined) node.emit('notice', `${created.value.name} was uploaded again: it is shared already (from ${sharedFrom}), so the second copy was deleted`)
      }
      answer(created.ok ? ok({ jobId }) : created)
    }, (err: unknown) => {
      if (answered) node.emit('warning', `${path}: ${errorMessage(err)}`)
      answer(fail('internal', `cannot share ${path}: ${errorMessage(err)}`))
    })
  })
}

async function offer (node: SwarmNode, infoHash: string, to: readonly string[]): Promise<ApiResult<CommandReplies['offer']>> {
  const sent = await node.offer(infoHash, to)
  if (!sent.ok) return sent
  const reached = sent.value.filter(r => r.state !== 'unreachable' && r.state !== 'failed' && r.state !== 'waiting')
  // Machines off the network now get it when they come back: the send stands for them.
  const waiting = sent.value.filter(r => r.state === 'waiting').length
  if (reached.length === 0 && waiting === 0) {
    const why = sent.value.map(r => `${r.name}: ${r.reason ?? r.state}`).join('; ')
    return fail('unreachable', `no machine took the offer (${why})`)
  }
  return ok({ offered: reached.length, ...(waiting > 0 ? { waiting } : {}) })
}

/** Shares `path` (answering once it is hashed) and offers it to `to`. */
async function send (node: SwarmNode, path: string, to: readonly string[]): Promise<ApiResult<CommandReplies['send']>> {
  const created = await node.createDistribution(path)
  if (!created.ok) return created
  const offered = await offer(node, created.value.infoHash, to)
  return offered.ok ? ok({ infoHash: created.value.infoHash, ...offered.value }) : offered
}

function folderOf (node: SwarmNode, infoHash: string): ApiResult<CommandReplies['open-folder']> {
  const r = node.registry.get(infoHash)
  if (!r) return fail('unknown-distribution', `no distribution ${infoHash} here`)
  const path = r.role === 'recipient' ? r.downloadsDir : r.parentDir
  // Opening needs a desktop: the Electron shell does it and answers opened: true.
  return ok({ path, opened: false })
}

/** What a command may ask of the process that hosts the node, where that host allows it. */
export interface CommandHost {
  /** Stops the device after the answer went out; absent where the shell stops from its own menu. */
  readonly stop?: () => void
}

export async function runCommand (node: SwarmNode, c: Command, host: CommandHost = {}): Promise<ApiResult<unknown>> {
  switch (c.type) {
    case 'create': return create(node, c.path)
    case 'offer': return offer(node, c.infoHash, c.to)
    case 'accept': {
      const accepted = await node.acceptOffer(c.offerId, {
        ...(c.downloadsDir !== undefined ? { downloadsDir: c.downloadsDir } : {}),
        ...(c.alwaysTrust !== undefined ? { alwaysTrust: c.alwaysTrust } : {})
      })
      return accepted.ok ? ok({ infoHash: accepted.value.infoHash }) : accepted
    }
    case 'decline': {
      const declined = await node.declineOffer(c.offerId)
      return declined.ok ? ok(NOTHING) : declined
    }
    case 'pause': {
      const paused = await node.pause(c.infoHash)
      return paused.ok ? ok(NOTHING) : paused
    }
    case 'resume': {
      const resumed = await node.resume(c.infoHash)
      return resumed.ok ? ok(NOTHING) : resumed
    }
    case 'open-folder': return folderOf(node, c.infoHash)
    case 'remove': return node.remove(c.infoHash, c.deleteFiles !== undefined ? { deleteFiles: c.deleteFiles } : {})
    case 'choose-folder': return fail('unsupported', 'there is no folder dialog here: type the folder path instead')
    case 'update-settings': {
      const checked = await checkSettingsPatch(c.patch, { selfId: node.identity.id, peers: () => node.discovery.list() })
      if (!checked.ok) return checked
      const updated = await node.updateSettings(checked.value)
      return updated.ok ? ok(appSettings(updated.value)) : updated
    }
    case 'trust': {
      const name = node.discovery.get(c.id)?.name ?? ''
      const trusted = await node.trust.trust(c.id, name)
      return trusted.ok ? ok(NOTHING) : trusted
    }
    case 'untrust': {
      const removed = await node.trust.untrust(c.id)
      return removed ? ok(NOTHING) : fail('not-found', 'that device is not trusted')
    }
    case 'browse': return browseFolder(c.path)
    case 'send': return send(node, c.path, c.to)
    case 'report': return reportOf(node, { ...(c.infoHash !== undefined ? { infoHash: c.infoHash } : {}), ...(c.since !== undefined ? { since: c.since } : {}) })
    case 'prune-history': return pruneHistory(node, c.before)
    case 'group-add': return addToGroup(node, c.name, c.ids)
    case 'group-set': return setGroup(node, c.name, c.ids)
    case 'group-remove': return removeFromGroup(node, c.name, c.ids)
    case 'watch-add': return watchFolder(node, c.path, c)
    case 'watch-remove': return unwatchFolder(node, c.channel)
    case 'stop': {
      if (host.stop === undefined) return fail('unsupported', 'this device is stopped from its own window or menu, not by a command')
      host.stop()
      return ok(NOTHING)
    }
    // The shell supervising an engine process answers it (engine-supervisor.ts); a command that
    // reaches the engine found it running.
    case 'restart-engine': return fail('unsupported', 'the engine is running here: there is nothing to start again')
    case 'pair': return pairCommand(node, c.host, c.port)
    case 'unpair': return unpairCommand(node, c.id)
  }
}
