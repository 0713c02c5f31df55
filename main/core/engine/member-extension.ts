// The `sd_member` BEP 10 extension on one wire: announce a fresh nonce with this device's id and
// key in the extended handshake, answer the peer's nonce with a signature once the peer's claim
// checks out, and settle once: proven (the peer's signature is good) or refused (anything else,
// or nothing within the time limit). The engine holds the wire back from the torrent until then.
import { fail, type Failure, type Result } from '../../../common/result.js'
import { agreedBlockSize, checkClaim, checkProof, EXTENSION_NAME, freshNonce, helloValue, makeProof, parseHello, type Hello, type MemberEndpoint, type WireIdentity } from './member-proof.js'

/** How long a peer at a member's address has to prove its key after the BitTorrent handshake. */
export const PROOF_TIMEOUT_MS = 5_000

/** The slice of bittorrent-protocol's Wire the extension uses. */
export interface ExtensionWire {
  extendedHandshake: Record<string, unknown>
  extended (ext: string, payload: Uint8Array): void
  on (event: 'extended', listener: (ext: string, payload: unknown) => void): unknown
  once (event: 'close', listener: () => void): unknown
}

/**
 * A proven peer's device id and the request size agreed with it (bytes; 16 KiB unless both sides
 * offered more), or why the peer was refused (with the id it claimed, if any).
 */
export type ProofOutcome =
  | { readonly proven: true; readonly id: string; readonly blockSize: number }
  | { readonly proven: false; readonly claimedId: string | null; readonly error: Failure }

export interface MemberExtensionOptions {
  readonly me: WireIdentity
  readonly infoHash: string
  /** The swarm's members now (the list may change while a proof is under way). */
  readonly members: () => readonly MemberEndpoint[]
  /** The connection's remote IP address. */
  readonly address: string
  readonly timeoutMs?: number
  /** The largest request this side offers (`bs` in its hello); absent: the standard 16 KiB. */
  readonly blockSize?: number
  /** Called exactly once per wire (not at all if the wire closes first). */
  readonly settle: (outcome: ProofOutcome) => void
}

/** What bittorrent-protocol's `wire.use` takes: a class with the extension's name on its prototype. */
export interface ExtensionClass {
  new (wire: ExtensionWire): object
  readonly prototype: { readonly name: string }
}

export function memberExtension (opts: MemberExtensionOptions): ExtensionClass {
  class SdMember {
    private readonly nonce = freshNonce()
    private peer: Hello | undefined
    private settled = false
    private readonly timer: NodeJS.Timeout

    /** bittorrent-protocol reads the extension's name from the prototype. */
    get name (): string { return EXTENSION_NAME }

    constructor (private readonly wire: ExtensionWire) {
      // Sent with the extended handshake, which bittorrent-protocol builds after the 'wire' event.
      wire.extendedHandshake[EXTENSION_NAME] = helloValue(opts.me, this.nonce, opts.blockSize)
      this.timer = setTimeout(() => this.refuse(fail('timeout', `no member proof within ${(opts.timeoutMs ?? PROOF_TIMEOUT_MS) / 1000} s`)), opts.timeoutMs ?? PROOF_TIMEOUT_MS)
      this.timer.unref()
      // A handshake without sd_member never reaches onExtendedHandshake: catch it here.
      wire.on('extended', (ext, payload) => {
        if (ext !== 'handshake' || this.peer !== undefined) return
        const hello = parseHello(payload)
        this.refuse(hello.ok ? fail('bad-hello', 'the peer announced sd_member without mapping it in its handshake') : hello)
      })
      wire.once('close', () => {
        clearTimeout(this.timer)
        this.settled = true
      })
    }

    onExtendedHandshake (handshake: unknown): void {
      if (this.settled || this.peer !== undefined) return
      const hello = parseHello(handshake)
      if (!hello.ok) return this.refuse(hello)
      // Nothing is signed for a peer that is not the member listed at its address: a signature
      // for one member could otherwise be relayed to another by whoever holds a member's address.
      const claim = checkClaim(hello.value, opts.members(), opts.address)
      if (!claim.ok) return this.refuse(claim, hello.value.id)
      const proof = makeProof(opts.me, hello.value, opts.infoHash)
      if (!proof.ok) return this.refuse(proof, hello.value.id)
      this.peer = hello.value
      this.wire.extended(EXTENSION_NAME, proof.value)
    }

    onMessage (payload: Uint8Array): void {
      if (this.settled) return
      const peer = this.peer
      if (peer === undefined) return this.refuse(fail('out-of-order', 'the peer sent a member proof before its sd_member handshake'))
      const checked = checkProof(payload, peer, { id: opts.me.id, nonce: this.nonce }, opts.infoHash)
      if (!checked.ok) return this.refuse(checked, peer.id)
      // The list may have changed since the handshake: the claim must still hold.
      const claim = checkClaim(peer, opts.members(), opts.address)
      if (!claim.ok) return this.refuse(claim, peer.id)
      this.finish({ proven: true, id: peer.id, blockSize: agreedBlockSize(opts.blockSize, peer.blockSize) })
    }

    private refuse (why: Result<unknown>, claimedId: string | null = null): void {
      if (why.ok) return
      this.finish({ proven: false, claimedId, error: why.error })
    }

    private finish (outcome: ProofOutcome): void {
      if (this.settled) return
      this.settled = true
      clearTimeout(this.timer)
      opts.settle(outcome)
    }
  }
  return SdMember
}
