// Local micro-benchmark of the many-small-files path, phase by phase, without a lab:
// hash (createDistribution), an origin's guarded reads of every piece (twice: two recipients), a
// recipient's writes of every piece in random order into NAME.part, then the final check and
// rename (verifyAndPlace). Usage: npx tsx bench/probes/many-phases.ts DIR [files] [kib] [phases]
import { randomFillSync } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createDistribution } from '../../main/core/distributions/create.js'
import { targetsFor, verifyAndPlace } from '../../main/core/distributions/finish.js'
import { FileStore } from '../../main/core/engine/file-store.js'
import { guardOf } from '../../main/core/engine/source-guard.js'

const [dir = '/tmp/many-phases', filesArg = '50000', kibArg = '8', phasesArg = 'hash,serve,write,final'] = process.argv.slice(2)
const files = Number(filesArg)
const bytes = Number(kibArg) * 1024
const phases = new Set(phasesArg.split(','))
const src = join(dir, 'src', 'segments')
const dl = join(dir, 'dl')
const IN_FLIGHT = 16

function lap (label: string, t0: number, c0: NodeJS.CpuUsage): void {
  const c = process.cpuUsage(c0)
  console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(2)} s wall, main-thread process CPU ${((c.user + c.system) / 1e6).toFixed(2)} s`)
}

async function main (): Promise<void> {
  rmSync(dir, { recursive: true, force: true })
  const buf = Buffer.allocUnsafe(bytes)
  const per = Math.ceil(files / 5)
  for (let i = 0; i < files; i++) {
    const d = join(src, `d${Math.floor(i / per)}`)
    if (i % per === 0) mkdirSync(d, { recursive: true })
    randomFillSync(buf)
    writeFileSync(join(d, `seg${String(i).padStart(6, '0')}.ts`), buf)
  }
  let t0 = performance.now(); let c0 = process.cpuUsage()
  const created = await createDistribution(src, { createdBy: 'bench' })
  if (!created.ok) throw new Error(created.error.message)
  lap(`hash (${created.value.metainfo.pieceCount} pieces of ${created.value.metainfo.pieceLength})`, t0, c0)
  const m = created.value.metainfo
  const pieces = m.pieceCount
  const srcTargets = created.value.source.entries.map((e, i) => ({ path: e.absolutePath, length: e.length, offset: m.files[i]?.offset ?? 0 }))
  const data: Buffer[] = []
  const origin = new FileStore(m.pieceLength, {
    fileStore: { targets: srcTargets, readOnly: true, guard: guardOf(m, srcTargets, { mtimesMs: created.value.source.entries.map(e => e.mtimeMs), ctimesMs: created.value.source.entries.map(e => e.ctimeMs) }, r => { throw new Error(r) }) }
  } as never)
  const getAll = async (keep: boolean): Promise<void> => {
    let next = 0
    const lane = async (): Promise<void> => {
      while (next < pieces) {
        const i = next++
        const b = await new Promise<Uint8Array>((resolve, reject) => origin.get(i, null, (e, v) => e || !v ? reject(e ?? new Error('none')) : resolve(v)))
        if (keep) data[i] = Buffer.from(b)
      }
    }
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane))
  }
  t0 = performance.now(); c0 = process.cpuUsage()
  await getAll(true)
  if (phases.has('serve')) await getAll(false)
  lap('serve (every piece read, guarded, twice)', t0, c0)
  origin.close()
  const placement = { downloadsDir: dl, finalName: 'segments' }
  mkdirSync(dl, { recursive: true })
  const store = new FileStore(m.pieceLength, { fileStore: { targets: targetsFor(m, placement, true), readOnly: false } } as never)
  const order = Array.from({ length: pieces }, (_, i) => i).sort(() => Math.random() - 0.5)
  t0 = performance.now(); c0 = process.cpuUsage()
  let k = 0
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (k < order.length) {
      const i = order[k++] as number
      await new Promise<void>((resolve, reject) => store.put(i, data[i] as Buffer, e => e ? reject(e) : resolve()))
    }
  }))
  lap('write (every piece, random order)', t0, c0)
  store.close()
  t0 = performance.now(); c0 = process.cpuUsage()
  const placed = await verifyAndPlace(m, placement, created.value.sha256)
  if (!placed.ok) throw new Error(placed.error.message)
  lap('final check + rename', t0, c0)
  rmSync(dir, { recursive: true, force: true })
}
main().catch((err: unknown) => { console.error(err); process.exitCode = 1 })
