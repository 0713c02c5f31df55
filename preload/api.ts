// The renderer's only door to the engine: the SwarmdropApi contract (defined in common/, shared
// with the shells that implement it) and where to find it at run time.
export type * from '../common/api.js'
export { API_VERSION, PIECE } from '../common/api.js'
export { reportCsv } from '../common/report-csv.js'
