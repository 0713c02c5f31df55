// Control-channel counter, preloaded into a Node process with `node --import <this file>` (or
// NODE_OPTIONS="--import <this file>"). Counts TLS connections this process dials (and how many of
// them resumed a session), TLS handshakes its servers complete, and HTTPS requests they serve, and
// every second overwrites <SWARMDROP_TLS_COUNT_DIR>/<pid>.json with the totals. Without the variable
// it does nothing. It wraps node:tls connect and node:https createServer before the app imports them
// (syncBuiltinESMExports updates the named ESM imports too), so it sees the app's real calls.

import { writeFileSync } from 'node:fs'
import https from 'node:https'
import { syncBuiltinESMExports } from 'node:module'
import tls from 'node:tls'
import { isMainThread } from 'node:worker_threads'

const dir = process.env.SWARMDROP_TLS_COUNT_DIR

if (isMainThread && typeof dir === 'string' && dir !== '') {
  const c = { pid: process.pid, argv: process.argv.slice(2).join(' '), dialled: 0, dialledResumed: 0, dialledFailed: 0, accepted: 0, acceptedResumed: 0, requests: 0 }
  const connect = tls.connect
  tls.connect = function (...args) {
    const socket = connect.apply(this, args)
    c.dialled++
    socket.once('secureConnect', () => { if (socket.isSessionReused()) c.dialledResumed++ })
    socket.once('error', () => { c.dialledFailed++ })
    return socket
  }
  const createServer = https.createServer
  https.createServer = function (...args) {
    const server = createServer.apply(this, args)
    server.on('secureConnection', s => { c.accepted++; if (s.isSessionReused()) c.acceptedResumed++ })
    server.on('request', () => { c.requests++ })
    return server
  }
  syncBuiltinESMExports()
  const flush = () => { try { writeFileSync(`${dir}/${process.pid}.json`, JSON.stringify(c)) } catch { /* folder gone */ } }
  setInterval(flush, 1000).unref()
  process.on('exit', flush)
}
