// The piece map redraws only what changed: at 20,000 pieces and a few state updates a second,
// repainting every cell would cost far more than comparing two byte arrays.

/**
 * Indexes of the cells whose value differs between `prev` and `next`, ascending. Without a previous
 * frame (first draw, new layout, other view) every cell of `next` counts as changed.
 */
export function changedCells (prev: Uint8Array | null, next: Uint8Array): Uint32Array {
  if (prev === null || prev.length !== next.length) {
    const all = new Uint32Array(next.length)
    for (let i = 0; i < all.length; i++) all[i] = i
    return all
  }
  let count = 0
  for (let i = 0; i < next.length; i++) if (prev[i] !== next[i]) count++
  const out = new Uint32Array(count)
  let j = 0
  for (let i = 0; i < next.length; i++) if (prev[i] !== next[i]) out[j++] = i
  return out
}
