// One identity on two machines (a cloned disk image, a copied data folder), as a device sees it:
// other addresses answering for its own id (discovery's 'clash'), and machines whose id answers from
// several addresses, each proven to hold the id's key. One watch per node, shared by its front ends
// (an agent with --ui has two AppServices): each is said once on the node's warnings (the agent's
// console) and handed to every front end as a notice.
//
// Twins: An mDNS advert proves nothing (an
// impostor can claim any id, and sends then go to the address holding the key: origin.ts, locate),
// so each address is asked for its key by a TLS handshake before a machine is called a twin; and one
// machine with two addresses on the LAN (two network cards) is not two: each process presents a
// certificate of its own (a random serial, device-certificate.ts), so twins are addresses holding
// the key behind different certificates. Only then is a send to it refused, since a file sent to
// that id could reach either machine.
import { join } from 'node:path'
import type { IdentityClash } from '../../../common/api.js'
import { connect } from 'node:tls'
import { addressList, ownIdClashMessage, ownIdClashOverMessage, twinMessage } from '../identity/identity-clash.js'
import { shortFingerprint } from '../identity/device-id.js'
import type { SwarmNode } from '../node/swarm-node.js'
import { deviceCredentials, deviceIdOfCertificate, type DeviceCredentials } from '../tls/device-certificate.js'
import { clientTlsOptions } from '../tls/tls-options.js'

/** How long a proof (or a refusal) of one address's key is taken as current (ms). */
const PROOF_MS = 30_000
/** How often the ids answering from several addresses are looked at (ms). */
const CHECK_MS = 2_000
const HANDSHAKE_MS = 4_000

/** `cert`: the SHA-256 fingerprint of the certificate that proved the key (one per process). */
interface Proof { readonly holdsKey: boolean; readonly cert?: string; readonly at: number }

export interface Twin {
  readonly addresses: readonly string[]
  readonly message: string
}

type Listener = (text: string) => void

const watches = new WeakMap<SwarmNode, TwinCheck>()

/** The node's one watch, made at its first front end. */
export function twinCheckOf (node: SwarmNode): TwinCheck {
  let w = watches.get(node)
  if (w === undefined) { w = new TwinCheck(node); watches.set(node, w) }
  return w
}

export class TwinCheck {
  private readonly listeners = new Set<Listener>()
  private readonly proofs = new Map<string, Proof>()
  private readonly pending = new Map<string, Promise<Proof>>()
  private readonly creds: DeviceCredentials
  private readonly timer: NodeJS.Timeout
  /** What was last said about each twin (a notice when it begins, and when it ends). */
  private readonly told = new Map<string, string>()
  private closed = false

  constructor (private readonly node: SwarmNode) {
    this.creds = deviceCredentials(node.identity)
    this.timer = setInterval(() => { void this.check() }, CHECK_MS)
    this.timer.unref()
    node.discovery.on('clash', addresses => {
      this.said(addresses.length > 0 ? this.clashMessage(addresses) : ownIdClashOverMessage(shortFingerprint(node.identity.id)))
    })
  }

  /** Every sentence said from now on (a twin found or gone, this device's own id answered elsewhere); returns the unsubscriber. */
  subscribe (listener: Listener): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }

  /** Other machines answering for this device's own id now, with the sentence to show. */
  ownClash (): IdentityClash | undefined {
    const c = this.node.discovery.ownIdClash()
    if (c === undefined) return undefined
    return { addresses: c.addresses, since: new Date(c.since).toISOString(), message: this.clashMessage(c.addresses) }
  }

  /** The twins now (from proofs already made), by id. */
  twins (): Map<string, Twin> {
    const out = new Map<string, Twin>()
    const now = Date.now()
    for (const id of this.node.discovery.idsAnsweringTwice()) {
      const proofs = this.node.discovery.addressesOf(id).map(a => ({ a, p: this.fresh(id, a, now) }))
      const twin = this.twinOf(id, proofs)
      if (twin !== undefined) out.set(id, twin)
    }
    return out
  }

  /**
   * Why a send to `ids` is refused, or undefined: one of them answers from several addresses that
   * each hold its key. Proves the addresses not proven lately first (a device that has just
   * started, as `send` without an agent does, has proven none yet).
   */
  async refusal (ids: readonly string[]): Promise<string | undefined> {
    for (const id of ids) {
      const addresses = this.node.discovery.addressesOf(id)
      if (addresses.length < 2) continue
      const proofs = await Promise.all(addresses.map(async a => ({ a, p: await this.prove(id, a) })))
      const twin = this.twinOf(id, proofs)
      if (twin !== undefined) return twin.message
    }
    return undefined
  }

  /** Addresses holding `id`'s key behind more than one certificate (more than one process), or undefined. */
  private twinOf (id: string, proofs: ReadonlyArray<{ readonly a: string; readonly p: Proof | undefined }>): Twin | undefined {
    const proven = proofs.filter(x => x.p?.holdsKey === true)
    if (new Set(proven.map(x => x.p?.cert)).size < 2) return undefined
    const addresses = proven.map(x => x.a)
    return { addresses, message: twinMessage(this.nameOf(id), shortFingerprint(id), addresses) }
  }

  close (): void {
    this.closed = true
    clearInterval(this.timer)
  }

  private said (text: string): void {
    if (this.closed) return
    this.node.emit('warning', text)
    for (const l of this.listeners) l(text)
  }

  private clashMessage (addresses: readonly string[]): string {
    return ownIdClashMessage(addresses, shortFingerprint(this.node.identity.id), join(this.node.dataDir, 'identity.json'))
  }

  private async check (): Promise<void> {
    const ids = this.node.discovery.idsAnsweringTwice()
    await Promise.all(ids.flatMap(id => this.node.discovery.addressesOf(id).map(async a => await this.prove(id, a))))
    if (this.closed) return
    const twins = this.twins()
    for (const [id, t] of twins) {
      const key = t.addresses.join(',')
      if (this.told.get(id) === key) continue
      this.told.set(id, key)
      this.said(t.message)
    }
    for (const [id, key] of [...this.told]) {
      if (twins.has(id)) continue
      this.told.delete(id)
      this.said(`${this.nameOf(id)} (${shortFingerprint(id)}) no longer answers from ${addressList(key.split(','))} at once.`)
    }
  }

  private fresh (id: string, address: string, now: number): Proof | undefined {
    const p = this.proofs.get(`${id}@${address}`)
    return p !== undefined && now - p.at < PROOF_MS ? p : undefined
  }

  /** Whether `address` holds `id`'s key, and behind which certificate (a TLS handshake, remembered for PROOF_MS). */
  private async prove (id: string, address: string): Promise<Proof> {
    const known = this.fresh(id, address, Date.now())
    if (known !== undefined) return known
    const key = `${id}@${address}`
    const running = this.pending.get(key)
    if (running !== undefined) return await running
    const d = this.node.discovery
    const port = d.candidates(id).find(c => c.address === address)?.controlPort ?? d.get(id)?.controlPort
    if (port === undefined) return { holdsKey: false, at: Date.now() }
    const attempt = handshake(this.creds, id, address, port).then(proof => {
      this.proofs.set(key, proof)
      return proof
    }).finally(() => { this.pending.delete(key) })
    this.pending.set(key, attempt)
    return await attempt
  }

  private nameOf (id: string): string {
    return this.node.discovery.get(id)?.name ?? shortFingerprint(id)
  }
}

/**
 * A TLS handshake with `address:port` and nothing more: whether it proves `id`'s key, and the
 * certificate it did so with (read at the handshake; OpenSSL may drop it once a ticket arrives).
 */
async function handshake (creds: DeviceCredentials, id: string, address: string, port: number): Promise<Proof> {
  return await new Promise(resolve => {
    const socket = connect({ ...clientTlsOptions(creds), host: address, port })
    const done = (proof: Omit<Proof, 'at'>): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve({ ...proof, at: Date.now() })
    }
    const timer = setTimeout(() => done({ holdsKey: false }), HANDSHAKE_MS)
    socket.once('secureConnect', () => {
      const cert = socket.getPeerX509Certificate()
      done(cert !== undefined && deviceIdOfCertificate(cert) === id ? { holdsKey: true, cert: cert.fingerprint256 } : { holdsKey: false })
    })
    socket.on('error', () => done({ holdsKey: false }))
  })
}
