// Page-aligned shared memory for the buffers of big pieces, so the disk thread can write a piece
// with O_DIRECT from where it was assembled. The kernel takes a direct write only from page-aligned
// memory; a SharedArrayBuffer is not aligned, so each piece was first copied into the thread's
// staging memory (direct-io.ts): 0.33 CPU-s per GiB on the disk thread, a third of its work
// (session 22). A WebAssembly memory is mapped in whole pages and, made shared, its buffer is a
// SharedArrayBuffer: slots at multiples of its 64 KiB page are aligned.
//
// V8 reserves address space around each WebAssembly memory (about 10 GiB, never touched), so
// buffers are carved from a few slabs rather than a memory each. A slab's slots are for one length
// and live as long as the slab: its memory is freed when nothing refers to it any more.

/** The one part of the WebAssembly API used here (Node's types for the build do not declare it). */
declare const WebAssembly: { readonly Memory: new (size: { initial: number, maximum: number, shared: true }) => { readonly buffer: SharedArrayBuffer } }

const WASM_PAGE = 64 * 1024
/** Bytes of one slab: a few pieces, so a slab of big pieces is not much larger than they are. */
const SLAB_BYTES = 16 * 1024 * 1024

/** The buffers of every slab: memory whose first byte is on a page. */
const aligned = new WeakSet<SharedArrayBuffer>()

/** Whether `buffer` starts on a page (a slab's memory), so a view at a page multiple in it does too. */
export function isPageAligned (buffer: ArrayBufferLike): boolean {
  return buffer instanceof SharedArrayBuffer && aligned.has(buffer)
}

/** Slabs of page-aligned slots for one length; a slot is taken and given back, never freed alone. */
export class AlignedSlots {
  /** Views of free slots, handed out again as they are. */
  private readonly free: Uint8Array[] = []
  /** Every view made: only those may be given back. */
  private readonly made = new WeakSet<Uint8Array>()
  private readonly slotBytes: number
  private readonly perSlab: number
  private slabs = 0
  private failed = false

  /** `limitBytes`: the most memory all slabs may take. */
  constructor (readonly length: number, private readonly limitBytes: number) {
    this.slotBytes = Math.ceil(length / WASM_PAGE) * WASM_PAGE
    this.perSlab = Math.max(1, Math.floor(SLAB_BYTES / this.slotBytes))
  }

  /** A view of `length` bytes on a page, or undefined when the limit is reached or no memory can be made. */
  take (): Uint8Array | undefined {
    if (this.free.length === 0) this.grow()
    return this.free.pop()
  }

  /** Gives back a view take() made; false for anything else, or one already given back. */
  give (view: Uint8Array): boolean {
    if (!this.made.has(view) || this.free.includes(view)) return false
    this.free.push(view)
    return true
  }

  private grow (): void {
    const bytes = this.perSlab * this.slotBytes
    if (this.failed || (this.slabs + 1) * bytes > this.limitBytes) return
    let buffer: SharedArrayBuffer
    try {
      buffer = new WebAssembly.Memory({ initial: bytes / WASM_PAGE, maximum: bytes / WASM_PAGE, shared: true }).buffer
    } catch {
      // A limit on virtual memory refuses the reservation: plain shared memory from now on.
      this.failed = true
      return
    }
    aligned.add(buffer)
    this.slabs++
    for (let k = this.perSlab - 1; k >= 0; k--) {
      const view = new Uint8Array(buffer, k * this.slotBytes, this.length)
      this.made.add(view)
      this.free.push(view)
    }
  }
}
