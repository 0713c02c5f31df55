// Two engines as swarm members on loopback, each in its own process: the origin seeds a random
// file, the recipient downloads it, and the recipient reports its CPU seconds (user + system, all
// threads) from the first request to the last piece written. Measures the engine's data path
// alone (no agent, no reports, no final SHA-256), interleaving request sizes in one run, so the
// figures compare within the run on a shared machine.
//
//   npx tsx bench/probes/member-pair.ts [--size 256] [--rounds 2] [--blocks 16384,1048576] [--check thread,here] [--prof DIR]
//
// --check: where received pieces are hashed (the engine's pieceCheckThread), each value in turn.
//
// --prof DIR writes a V8 CPU profile of each recipient (node --cpu-prof) into DIR; --node-flags
// passes Node/V8 flags to the recipients (comma-separated, e.g. --single-threaded-gc).
import { fork } from 'node:child_process'
import { generateKeyPairSync, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createDistribution } from '../../main/core/distributions/create.js'
import { targetsFor } from '../../main/core/distributions/finish.js'
import { Engine } from '../../main/core/engine/engine.js'
import { deviceIdFromPublicKey } from '../../main/core/identity/device-id.js'
import { rawPublicKey, type Identity } from '../../main/core/identity/identity.js'
import { parseTorrentFile } from '../../main/core/torrent/metainfo.js'

interface Job {
  readonly role: 'origin' | 'recipient'
  readonly torrentPath: string
  readonly dataPath: string
  readonly keyPem: string
  readonly members: ReadonlyArray<{ id: string; address: string }>
  readonly blockBytes: number
  readonly checkThread: boolean
  readonly originPort?: number
}

type Reply = { port: number } | { cpuSeconds: number; seconds: number; mainThreadSeconds: number } | { error: string }

/** CPU seconds (user + system) the process's main thread has used so far (/proc, Linux). */
function mainThreadCpu (): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(rest[11]) + Number(rest[12])) / 100
  } catch {
    return Number.NaN
  }
}

function identityOf (pem: string): Identity {
  const privateKey = createPrivateKey(pem)
  const publicKey = createPublicKey(privateKey)
  return { id: deviceIdFromPublicKey(rawPublicKey(publicKey)), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey, publicKey }
}

async function child (job: Job): Promise<void> {
  const send = (r: Reply): void => { process.send?.(r) }
  const m = parseTorrentFile(readFileSync(job.torrentPath))
  if (!m.ok) return send({ error: m.error.message })
  const e = await Engine.start({ btPort: 0, identity: identityOf(job.keyPem), memberBlockBytes: job.blockBytes, pieceCheckThread: job.checkThread })
  if (!e.ok) return send({ error: e.error.message })
  const metainfo = m.value
  if (job.role === 'origin') {
    const seeded = e.value.seed({ metainfo, targets: targetsFor(metainfo, { downloadsDir: job.dataPath, finalName: metainfo.name }, false), members: job.members, schedule: { role: 'origin' } })
    if (!seeded.ok) return send({ error: seeded.error.message })
    return send({ port: e.value.port })
  }
  const started = e.value.download({ metainfo, targets: targetsFor(metainfo, { downloadsDir: job.dataPath, finalName: metainfo.name }, true), members: job.members })
  if (!started.ok) return send({ error: started.error.message })
  let cpu0 = process.cpuUsage()
  let t0 = performance.now()
  let main0 = mainThreadCpu()
  e.value.once('ready', () => { cpu0 = process.cpuUsage(); t0 = performance.now(); main0 = mainThreadCpu() })
  e.value.once('done', () => {
    const cpu = process.cpuUsage(cpu0)
    send({ cpuSeconds: (cpu.user + cpu.system) / 1e6, seconds: (performance.now() - t0) / 1000, mainThreadSeconds: mainThreadCpu() - main0 })
    void e.value.stop().then(() => process.exit(0))
  })
  e.value.connect(metainfo.infoHash, [`127.0.0.1:${job.originPort ?? 0}`])
}

function run (job: Job, execArgv: string[]): Promise<{ reply: Reply; stop: () => void }> {
  const p = fork(fileURLToPath(import.meta.url), ['--child'], { execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  p.send(job)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { p.kill(); reject(new Error(`${job.role} timed out`)) }, 300_000)
    p.once('message', (reply: Reply) => { clearTimeout(timer); resolve({ reply, stop: () => p.kill() }) })
    p.once('exit', code => { clearTimeout(timer); reject(new Error(`${job.role} exited (${code})`)) })
  })
}

function arg (name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback
}

async function main (): Promise<void> {
  const sizeMiB = Number(arg('size', '256'))
  const rounds = Number(arg('rounds', '2'))
  const blocks = arg('blocks', `${16 * 1024},${1024 * 1024}`).split(',').map(Number)
  const prof = arg('prof', '')
  const nodeFlags = arg('node-flags', '').split(',').filter(f => f !== '')
  const checks = arg('check', 'thread').split(',').map(c => c === 'thread')
  const dir = mkdtempSync(join(tmpdir(), 'sd-member-pair-'))
  try {
    const src = join(dir, 'origin', 'data.bin')
    rmSync(join(dir, 'origin'), { recursive: true, force: true })
    const { mkdirSync } = await import('node:fs')
    mkdirSync(join(dir, 'origin'))
    const chunk = randomBytes(16 * 1024 * 1024)
    writeFileSync(src, Buffer.alloc(0))
    const { appendFileSync } = await import('node:fs')
    for (let i = 0; i < sizeMiB / 16; i++) appendFileSync(src, chunk.subarray(0, Math.min(chunk.length, (sizeMiB - i * 16) * 1024 * 1024)))
    const created = await createDistribution(src, { createdBy: 'bench' })
    if (!created.ok) throw new Error(created.error.message)
    const torrentPath = join(dir, 'data.torrent')
    writeFileSync(torrentPath, created.value.metainfo.torrentFile)
    const keys = [0, 1].map(() => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
    const members = keys.map(k => ({ id: identityOf(k).id, address: '127.0.0.1' }))
    console.log(`member pair: ${sizeMiB} MiB, piece ${created.value.metainfo.pieceLength / 1024} KiB, request sizes ${blocks.map(b => `${b / 1024} KiB`).join(', ')}, ${rounds} round(s)`)
    for (let round = 1; round <= rounds; round++) {
      for (const blockBytes of blocks) for (const checkThread of checks) {
        const origin = await run({ role: 'origin', torrentPath, dataPath: join(dir, 'origin'), keyPem: keys[0] ?? '', members, blockBytes, checkThread }, [])
        if (!('port' in origin.reply)) throw new Error(JSON.stringify(origin.reply))
        const into = join(dir, `r${round}-${blockBytes}-${checkThread ? 'thread' : 'here'}`)
        mkdirSync(into)
        // One folder per recipient: Node names each thread's profile (the main thread's is the largest).
        const profArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${join(prof, `recipient-${blockBytes}-${checkThread ? 'thread' : 'here'}-r${round}`)}`] : []
        const recipient = await run({ role: 'recipient', torrentPath, dataPath: into, keyPem: keys[1] ?? '', members, blockBytes, checkThread, originPort: origin.reply.port }, [...nodeFlags, ...profArgs])
        origin.stop()
        rmSync(into, { recursive: true, force: true })
        const r = recipient.reply
        if (!('cpuSeconds' in r)) throw new Error(JSON.stringify(r))
        const perGiB = r.cpuSeconds / (sizeMiB / 1024)
        console.log(`round ${round}, requests of ${blockBytes / 1024} KiB, SHA-1 ${checkThread ? 'on a thread' : 'on the main loop'}: ${r.seconds.toFixed(2)} s, ${(sizeMiB * 1.048576 / r.seconds).toFixed(0)} MB/s, recipient CPU ${r.cpuSeconds.toFixed(2)} s (${perGiB.toFixed(2)} s per GiB; main thread ${r.mainThreadSeconds.toFixed(2)} s)`)
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv.includes('--child')) process.once('message', (job: Job) => { void child(job) })
else main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1) })
