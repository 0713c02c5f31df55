// The command a person is told to run to accept an offer. An offer id comes from the sender; one
// the local API would refuse (anything but letters, digits and dashes) is never put into a
// command line that someone may copy into a shell.
import { parseCommand } from '../../../common/commands.js'
import { terminalText } from './terminal-text.js'

/** Whether the local API takes `offerId`: decided by the same validator (common/commands.ts). */
export function isAcceptableOfferId (offerId: string): boolean {
  return parseCommand({ type: 'decline', offerId }).ok
}

/** The id as shown to a person: as is when valid, else quoted and escaped, so it reads as data. */
export function offerIdText (offerId: string): string {
  return isAcceptableOfferId(offerId) ? offerId : terminalText(JSON.stringify(offerId.slice(0, 80)))
}

/** "accept with: swarmdrop accept ID", or why there is no such command for this offer. */
export function acceptHint (offerId: string): string {
  return isAcceptableOfferId(offerId)
    ? `accept with: swarmdrop accept ${offerId}`
    : 'the offer has an invalid id: it cannot be accepted or declined, and expires on its own'
}
