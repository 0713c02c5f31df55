// Which storage errors mean "the disk is full" (a state to wait out) rather than a broken store.
import { errnoCode } from '../../../common/result.js'

const OUT_OF_SPACE = new Set(['ENOSPC', 'EDQUOT'])

/** True for a write that failed because the disk or the user's quota is full. */
export function isOutOfSpace (err: unknown): boolean {
  const code = errnoCode(err)
  return code !== undefined && OUT_OF_SPACE.has(code)
}
