// Results are defined once, in common/result.ts. Core files import them from here so that a move
// of the definition touches one line; new code may import common/result.js directly.
export { errnoCode, errorMessage, fail, ok, type Failure, type Result } from '../../common/result.js'
