// `swarmdrop watch DIR --to @GROUP`, `swarmdrop watch --list`, `swarmdrop unwatch DIR|ID`: watched
// folders ("channels"). A folder is watched by a running device, so these go through the running
// agent's local API; without one they say so.
import { resolve } from 'node:path'
import type { Command, WatchedFolder } from '../../../../common/api.js'
import { isGroupName, MAX_SETTLE_SECONDS } from '../../../../common/commands.js'
import { formatBytes } from '../../../../common/units.js'
import type { DeviceClient } from '../../../core/app/device-client.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { plural } from '../format.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'
import { resolveIds } from './group.js'

export const watchUsage: CommandUsage = {
  name: 'watch',
  synopsis: '(DIR --to @GROUP[,ID...] [--mirror-deletes] | --list)',
  positionals: ['DIR'],
  summary: 'Sends every new or changed file of a folder to a group, in batches, as it appears.',
  details: `A file goes out once its size and mtime have held still for --settle seconds (default 3);
what is ready together goes out as one distribution (up to 10,000 files or 4 GiB), in the order
the files appeared, each verified on every machine. A machine away when a batch is sent gets it
when it is back; one added to the group later gets every batch it missed. The watch and what it
sent survive a restart. Removing a file does not remove it on the machines unless --mirror-deletes
(then only the version that was sent, inside the channel folder). Recipients take each
batch by their accept policy and put it in one folder named after DIR in their downloads folder.
Needs a running agent (swarmdrop agent).`,
  flags: [
    { name: 'to', type: 'string', value: '@GROUP[,ID...]', meaning: 'where the files go: one group, and/or machines by device id or id prefix' },
    { name: 'settle', type: 'string', value: 'S', meaning: `seconds a file must hold still before it is sent (0 to ${MAX_SETTLE_SECONDS}, default 3)` },
    { name: 'mirror-deletes', type: 'boolean', meaning: 'remove on the machines what is removed from the folder (the version sent, nothing else)' },
    { name: 'list', type: 'boolean', meaning: 'list the watched folders with their backlog' },
    DATA_DIR_FLAG,
    { ...JSON_FLAG, meaning: 'print JSON (WatchedFolder of common/api.ts)' }
  ],
  examples: ['swarmdrop watch /srv/segments --to @lab', 'swarmdrop watch --list --json', 'swarmdrop unwatch /srv/segments']
}

export const unwatchUsage: CommandUsage = {
  name: 'unwatch',
  synopsis: 'DIR|ID',
  positionals: ['CHANNEL'],
  summary: 'Stops watching a folder (what was sent stays on the machines).',
  flags: [DATA_DIR_FLAG, { ...JSON_FLAG, meaning: 'print {id, dir} as JSON' }],
  examples: ['swarmdrop unwatch /srv/segments']
}

async function agentOf (dataDir: string, command: string): Promise<DeviceClient> {
  const agent = await runningAgent(dataDir)
  if (!agent) throw new UsageError(`${command}: no agent runs for this data folder: start one first (swarmdrop agent), it does the watching`)
  return agent
}

async function run<T> (agent: DeviceClient, command: Command, name: string): Promise<T> {
  const r = await agent.run(command)
  if (!r.ok) throw new UsageError(`${name}: ${r.error.message}`)
  return r.value as T
}

export function channelLine (c: WatchedFolder): string {
  const to = [c.group === null ? '' : `@${c.group}`, ...c.ids.map(id => id.slice(0, 8))].filter(x => x !== '').join(',')
  const last = c.lastBatch === null
    ? 'nothing sent yet'
    : `last batch #${c.lastBatch.seq}: ${plural(c.lastBatch.fileCount, 'file')}, ${formatBytes(c.lastBatch.totalLength)}, ${c.lastBatch.verifiedRecipients} of ${c.lastBatch.recipients} verified`
  const behind = c.members.filter(m => m.behindBatches > 0)
  const lines = [
    `${terminalText(c.dir)} -> ${terminalText(to)}${c.mirrorDeletes ? ' (mirrors deletes)' : ''}  [${c.id}] ${c.state}${c.reason !== undefined ? `: ${terminalText(c.reason)}` : ''}`,
    `  backlog ${plural(c.backlogFiles, 'file')} (${formatBytes(c.backlogBytes)}); ${plural(c.batches, 'batch', 'batches')} sent, ${plural(c.filesSent, 'file')}; ${last}`,
    ...behind.map(m => `  ${terminalText(m.name || m.fingerprint)} is ${plural(m.behindBatches, 'batch', 'batches')} behind (${formatBytes(m.behindBytes)})${m.online ? '' : ', offline'}`)
  ]
  return lines.join('\n') + '\n'
}

export async function watchCommand (args: readonly string[]): Promise<number> {
  const p = parse(watchUsage, args)
  const dataDir = dataDirOf(str(p, 'data-dir'))
  const [dir] = p.positionals
  if (flag(p, 'list')) {
    if (dir !== undefined || str(p, 'to') !== undefined) throw new UsageError('watch: --list takes no folder and no --to')
    const agent = await agentOf(dataDir, 'watch')
    const s = await agent.state()
    if (!s.ok) throw new UsageError(`watch: ${s.error.message}`)
    if (flag(p, 'json')) process.stdout.write(jsonLine(s.value.channels))
    else if (s.value.channels.length === 0) process.stdout.write('No folder is watched. Watch one with: swarmdrop watch DIR --to @GROUP\n')
    else for (const c of s.value.channels) process.stdout.write(channelLine(c))
    return EXIT_OK
  }
  if (dir === undefined) throw new UsageError('watch: which folder? (swarmdrop watch DIR --to @GROUP, or --list)')
  const to = str(p, 'to')
  if (to === undefined) throw new UsageError('watch: where to? (--to @GROUP[,ID...])')
  const entries = to.split(',').map(s => s.trim()).filter(s => s.length > 0)
  const groups = entries.filter(e => e.startsWith('@')).map(e => e.slice(1))
  if (groups.length > 1) throw new UsageError('watch: one group per watched folder (--to @GROUP[,ID...])')
  const group = groups[0]
  if (group !== undefined && !isGroupName(group)) throw new UsageError(`watch: "${terminalText(group)}" is not a group name`)
  const settleText = str(p, 'settle')
  const settle = settleText === undefined ? undefined : Number(settleText)
  if (settle !== undefined && (!Number.isFinite(settle) || settle < 0 || settle > MAX_SETTLE_SECONDS)) throw new UsageError(`watch: --settle must be a number of seconds from 0 to ${MAX_SETTLE_SECONDS}`)
  const agent = await agentOf(dataDir, 'watch')
  const state = await agent.state()
  if (!state.ok) throw new UsageError(`watch: ${state.error.message}`)
  const typed = entries.filter(e => !e.startsWith('@'))
  const ids = typed.length === 0 ? [] : resolveIds(typed, state.value.machines.map(m => ({ id: m.id, name: m.name })))
  const added = await run<WatchedFolder>(agent, {
    type: 'watch-add',
    path: resolve(dir),
    ...(group !== undefined ? { group } : {}),
    ...(ids.length > 0 ? { ids } : {}),
    ...(settle !== undefined ? { settleSeconds: settle } : {}),
    ...(flag(p, 'mirror-deletes') ? { mirrorDeletes: true } : {})
  }, 'watch')
  if (flag(p, 'json')) process.stdout.write(jsonLine(added))
  else process.stdout.write(`watching ${terminalText(added.dir)} [${added.id}]: new and changed files go to ${terminalText(to)} once they hold still for ${added.settleSeconds} s\n`)
  return EXIT_OK
}

export async function unwatchCommand (args: readonly string[]): Promise<number> {
  const p = parse(unwatchUsage, args)
  const [channel] = p.positionals
  if (channel === undefined) throw new UsageError('unwatch: which folder? (swarmdrop unwatch DIR|ID)')
  const agent = await agentOf(dataDirOf(str(p, 'data-dir')), 'unwatch')
  // An id is 16 hex digits; anything else is a folder path, resolved here (the agent may run elsewhere in the tree).
  const target = /^[0-9a-f]{16}$/.test(channel) ? channel : resolve(channel)
  const removed = await run<{ id: string; dir: string }>(agent, { type: 'watch-remove', channel: target }, 'unwatch')
  if (flag(p, 'json')) process.stdout.write(jsonLine(removed))
  else process.stdout.write(`stopped watching ${terminalText(removed.dir)}; what was sent stays on the machines\n`)
  return EXIT_OK
}
