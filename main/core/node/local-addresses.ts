// This machine's own IP addresses, watched: one that goes (a DHCP lease renewed to another address,
// Wi-Fi left for a cable) takes every TCP connection made from it down with it, silently: the
// kernel keeps such sockets open, sends from an address nobody answers at, and the far side waits
// for its timeouts (30 s and more) before either dials again. Told here within a second, the node
// closes them itself, so they are made again from the new address at once.
import { EventEmitter } from 'node:events'
import { networkInterfaces } from 'node:os'

/** How often the addresses are listed (ms): a listing costs tens of microseconds. */
const LIST_EVERY_MS = 1_000

export interface LocalAddressEvents {
  /** Addresses this machine no longer has (`gone`), and those it has got since the last listing (`added`). */
  changed: [e: { readonly gone: ReadonlySet<string>; readonly added: ReadonlySet<string> }]
}

/** The machine's addresses now (loopback and link-local ones left out: nothing is dialled from them). */
export function currentAddresses (list: ReturnType<typeof networkInterfaces> = networkInterfaces()): Set<string> {
  const out = new Set<string>()
  for (const entries of Object.values(list)) {
    for (const e of entries ?? []) if (!e.internal && !e.address.startsWith('fe80:')) out.add(e.address)
  }
  return out
}

export class LocalAddresses extends EventEmitter<LocalAddressEvents> {
  private known: Set<string>
  private readonly timer: NodeJS.Timeout

  constructor (private readonly list: () => Set<string> = currentAddresses, everyMs = LIST_EVERY_MS) {
    super()
    this.known = list()
    this.timer = setInterval(() => this.check(), everyMs)
    this.timer.unref()
  }

  /** Lists the addresses now and tells what changed since the last listing. */
  check (): void {
    const now = this.list()
    const gone = new Set([...this.known].filter(a => !now.has(a)))
    const added = new Set([...now].filter(a => !this.known.has(a)))
    this.known = now
    if (gone.size > 0 || added.size > 0) this.emit('changed', { gone, added })
  }

  stop (): void { clearInterval(this.timer) }
}
