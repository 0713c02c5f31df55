// Request and piece order probe, preloaded into a Node process with `node --import <this file>` (or
// NODE_OPTIONS="--import <this file>"). Logs every request sent ('Q') and received ('q') and every
// piece message sent ('s') and received ('r') by bittorrent-protocol's Wire, as
// [kind, ms since the epoch, index, offset in MiB], and every second (and at exit) overwrites
// <SWARMDROP_PIECE_ORDER_DIR>/<pid>.json with {argv, log}. Without the variable it does nothing.
// piece-order-gaps.py puts an origin's and a recipient's logs on one timeline: where the gaps in
// arrivals are and which leg of a request held them (session 25 found Nagle's algorithm this way).

import { writeFileSync } from 'node:fs'

const dir = process.env.SWARMDROP_PIECE_ORDER_DIR
if (dir !== undefined && dir !== '') {
  const { default: Wire } = await import(new URL('../../node_modules/bittorrent-protocol/index.js', import.meta.url).href)
  const log = []
  const push = (kind, index, offset) => {
    log.push([kind, Date.now(), index, offset / 1048576])
    if (log.length > 40000) log.splice(0, 20000)
  }
  const wrap = (name, kind) => {
    const original = Wire.prototype[name]
    Wire.prototype[name] = function (index, offset, ...rest) {
      push(kind, index, offset)
      return original.call(this, index, offset, ...rest)
    }
  }
  wrap('request', 'Q')
  wrap('_onRequest', 'q')
  wrap('piece', 's')
  wrap('_onPiece', 'r')
  const file = `${dir}/${process.pid}.json`
  const dump = () => { if (log.length > 0) writeFileSync(file, JSON.stringify({ argv: process.argv.slice(2).join(' ').slice(0, 80), log })) }
  setInterval(dump, 1000).unref()
  process.on('exit', dump)
}
