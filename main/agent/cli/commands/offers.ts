// `swarmdrop offers`, `accept`, `decline`: answers to offers waiting for a person on this machine.
import { resolve } from 'node:path'
import type { IncomingOffer, Machine } from '../../../../common/api.js'
import type { OffersReport } from '../../../../common/cli-json.js'
import { formatBytes } from '../../../../common/units.js'
import { flag, parse, str } from '../args.js'
import { DATA_DIR_FLAG, JSON_FLAG, type CommandUsage } from '../command-usage.js'
import { EXIT_OK, UsageError } from '../exit-codes.js'
import { plural } from '../format.js'
import { acceptHint, isAcceptableOfferId, offerIdText } from '../offer-hint.js'
import { dataDirOf, runningAgent } from '../session.js'
import { jsonLine, terminalText } from '../terminal-text.js'

export const offersUsage: CommandUsage = {
  name: 'offers',
  synopsis: '',
  positionals: [],
  summary: 'Lists the offers waiting for an answer on this machine\'s agent (--accept ask or trusted).',
  flags: [DATA_DIR_FLAG, JSON_FLAG],
  examples: ['swarmdrop offers']
}

export const acceptUsage: CommandUsage = {
  name: 'accept',
  synopsis: 'OFFER_ID',
  positionals: ['OFFER_ID'],
  summary: 'Accepts a waiting offer: the agent downloads it, verified, into its downloads folder.',
  flags: [
    { name: 'downloads', type: 'string', value: 'DIR', meaning: 'put this one in DIR instead of the downloads folder' },
    { name: 'always', type: 'boolean', meaning: 'also trust the sender from now on (--accept trusted takes its offers at once)' },
    DATA_DIR_FLAG
  ],
  examples: ['swarmdrop accept 4f1c-2b9e', 'swarmdrop accept 4f1c-2b9e --downloads /srv/images --always']
}

export const declineUsage: CommandUsage = {
  name: 'decline',
  synopsis: 'OFFER_ID',
  positionals: ['OFFER_ID'],
  summary: 'Declines a waiting offer; the sender is told.',
  flags: [DATA_DIR_FLAG],
  examples: ['swarmdrop decline 4f1c-2b9e']
}

export async function offersCommand (args: readonly string[]): Promise<number> {
  const p = parse(offersUsage, args)
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError('offers: no agent is running for this data directory (start one with swarmdrop agent)')
  const s = await agent.state()
  if (!s.ok) throw new UsageError(s.error.message)
  const offers: OffersReport = s.value.offers
  if (flag(p, 'json')) process.stdout.write(jsonLine(offers))
  else if (offers.length === 0) process.stdout.write('No offers are waiting.\n')
  else for (const o of offers) process.stdout.write(offerText(o, s.value.machines.find(m => m.id === o.sender.id && !m.online)))
  return EXIT_OK
}

/**
 * One waiting offer for a person: what, how big, from whom (every part of it came from the
 * sender), where it would land and whether it can, whether its sender is away, and how to accept
 * it: what the window's offer card says.
 */
export function offerText (o: IncomingOffer, senderGone?: Machine): string {
  const files = o.fileCount > 1 ? `, ${plural(o.fileCount, 'file')}` : ''
  const d = o.destination
  const elsewhere = isAcceptableOfferId(o.offerId) ? `; accept into another folder with: swarmdrop accept ${o.offerId} --downloads DIR` : ''
  const where = d.problem !== undefined
    ? `  cannot save in ${terminalText(d.dir)}: ${terminalText(d.problem)}${elsewhere}\n`
    : !d.fits
        ? `  does not fit in ${terminalText(d.dir)}: needs ${formatBytes(Math.max(0, o.totalLength - d.freeBytes))} more free space${elsewhere}\n`
        : `  saves to ${terminalText(d.dir)} (${formatBytes(d.freeBytes)} free)\n`
  const away = senderGone === undefined ? '' : `  ${terminalText(o.sender.name)} is not on the network now: accepting starts the download when it is back\n`
  return `${offerIdText(o.offerId)}  ${terminalText(o.name)} (${formatBytes(o.totalLength)}${files}) from ${terminalText(o.sender.name)} (${terminalText(o.sender.fingerprint)}) at ${terminalText(o.sender.address)}\n` +
    where + away + `  ${acceptHint(o.offerId)}\n`
}

export async function answerCommand (args: readonly string[], accept: boolean): Promise<number> {
  const command = accept ? 'accept' : 'decline'
  const p = parse(accept ? acceptUsage : declineUsage, args)
  const offerId = p.positionals[0]
  if (offerId === undefined) throw new UsageError(`${command}: which offer? (see swarmdrop offers)`)
  // The local API would answer "not found" for such an id: say what is wrong with it instead.
  if (!isAcceptableOfferId(offerId)) throw new UsageError(`${command}: ${terminalText(JSON.stringify(offerId))} is not an offer id (letters, digits and dashes; see swarmdrop offers)`)
  const agent = await runningAgent(dataDirOf(str(p, 'data-dir')))
  if (!agent) throw new UsageError(`${command}: no agent is running for this data directory`)
  const downloads = str(p, 'downloads')
  const r = accept
    ? await agent.run({ type: 'accept', offerId, ...(downloads ? { downloadsDir: resolve(downloads) } : {}), ...(flag(p, 'always') ? { alwaysTrust: true } : {}) })
    : await agent.run({ type: 'decline', offerId })
  if (!r.ok) throw new UsageError(`${command}: ${r.error.message}`)
  process.stdout.write(`${accept ? 'accepted' : 'declined'} ${offerId}\n`)
  return EXIT_OK
}
