// Command-line options of `npm run bench` (bench/run.ts).

export interface BenchOptions {
  /** Recipient counts, one lab per count. */
  readonly ns: readonly number[]
  /** Every host's cap, up and down, in Mbit/s. */
  readonly rateMbit: number
  /** The random file's size in MiB. */
  readonly sizeMiB: number
  /** The parts to run, in this order (default: every part). */
  readonly parts: readonly PartName[]
  /** --only hash: size of the hashed file in MiB (default 4096). */
  readonly hashSizeMiB: number
  /** --only hash: another tree's built CLI, timed as `swarmdrop create (baseline)` in the same rounds (A/B). */
  readonly hashBaselineCli: string | undefined
  /** --only hash: rounds of every tool, interleaved (default 3). */
  readonly hashRounds: number
  /** Run only these methods (default all four). */
  readonly methods: readonly MethodName[]
  /** --only link: the file sent over one link, MiB (default 1024). */
  readonly linkSizeMiB: number
  /** --only link: how many times each tool sends it, interleaved (default 3). */
  readonly linkRounds: number
  /** Another build's CLI: its agent method runs beside this build's in the same rounds. */
  readonly linkBaselineCli: string | undefined
  /** --only footprint: the file seeded and downloaded, MiB (default 4096). */
  readonly footprintSizeMiB: number
  /** --only resume: the file whose download is interrupted, MiB (default 4096). */
  readonly resumeSizeMiB: number
  /** --only resume: how the download is interrupted; 'none' = an uninterrupted download for comparison. */
  readonly resumeStops: readonly StopKind[]
  /** --only resume: another tree's built CLI; each stop then runs on a baseline and a built recipient, interleaved. */
  readonly resumeBaselineCli: string | undefined
  /** --only resume: rounds of every stop (with a baseline: each round one baseline and one built recipient per stop). */
  readonly resumeRounds: number
  /** Part `slow`: the file, MiB. */
  readonly slowSizeMiB: number
  /** --only many: the many-small-files case. */
  readonly many: ManyOptions
}

export interface ManyOptions {
  /** How many files (default 50,000). */
  readonly files: number
  /** Each file's size in KiB (default 8). */
  readonly kib: number
  /** Every host's cap, up and down, Mbit/s (default 1000). */
  readonly rateMbit: number
  /** Rounds of both tools, order alternating (default 2). */
  readonly rounds: number
}

export const METHODS = ['plain-sequential', 'plain-parallel', 'libtorrent', 'swarmdrop'] as const
export type MethodName = typeof METHODS[number]

/** Parts of the bench: `table` is the one-to-many table (N = 1,4,10 by default). */
export const PARTS = ['table', 'hash', 'link', 'footprint', 'resume', 'slow', 'many'] as const
export type PartName = typeof PARTS[number]

export const STOP_KINDS = ['none', 'SIGTERM', 'SIGKILL'] as const
export type StopKind = typeof STOP_KINDS[number]

export const USAGE = `usage: npm run bench -- [--only table,hash,link,footprint,resume,slow,many] [options]
  (no --only: every part, in that order)
  table:     [--n 1,4,10] [--rate 200] [--size 256] [--methods plain-sequential,plain-parallel,libtorrent,swarmdrop]
  hash:      [--hash-size 4096] [--hash-rounds 3] [--hash-baseline OTHER_TREE/dist/main/agent/cli/swarmdrop.js]
  link:      [--link-size 1024] [--link-rounds 3] [--link-baseline OTHER/dist/main/agent/cli/swarmdrop.js]
  footprint: [--footprint-size 4096]
  resume:    [--resume-size 4096] [--resume-stops none,SIGTERM,SIGKILL] [--resume-rounds 1] [--resume-baseline OTHER_TREE/dist/main/agent/cli/swarmdrop.js]
  slow:      [--slow-size 256] [--rate 200]   (three machines at --rate, one at 20 Mbit/s)
  many:      [--many-files 50000] [--many-kib 8] [--many-rate 1000] [--many-rounds 2]`

function isMethod (s: string): s is MethodName {
  return (METHODS as readonly string[]).includes(s)
}

function isPart (s: string): s is PartName {
  return (PARTS as readonly string[]).includes(s)
}

function isStopKind (s: string): s is StopKind {
  return (STOP_KINDS as readonly string[]).includes(s)
}

function positiveInt (flag: string, value: string | undefined): number {
  const n = Number(value)
  if (value === undefined || !Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number, got ${String(value)}\n${USAGE}`)
  return n
}

/** A comma-separated list of known names, in the order given, without repeats. */
function nameList<T extends string> (flag: string, value: string | undefined, known: (s: string) => s is T): T[] {
  const list = (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  const bad = list.filter((s) => !known(s))
  if (list.length === 0 || bad.length > 0) throw new Error(`${flag}: unknown or missing value(s) ${bad.join(', ') || String(value)}\n${USAGE}`)
  return [...new Set(list.filter(known))]
}

export function parseOptions (argv: readonly string[]): BenchOptions {
  let ns: number[] = [1, 4, 10]
  let rateMbit = 200
  let sizeMiB = 256
  let parts: PartName[] = [...PARTS]
  let hashSizeMiB = 4096
  let hashBaselineCli: string | undefined
  let hashRounds = 3
  let methods: MethodName[] = [...METHODS]
  let linkSizeMiB = 1024
  let linkRounds = 3
  let linkBaselineCli: string | undefined
  let footprintSizeMiB = 4096
  let resumeSizeMiB = 4096
  let resumeStops: StopKind[] = [...STOP_KINDS]
  let resumeBaselineCli: string | undefined
  let resumeRounds = 1
  let slowSizeMiB = 256
  let many: ManyOptions = { files: 50_000, kib: 8, rateMbit: 1000, rounds: 2 }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = argv[i + 1]
    switch (flag) {
      case '--n':
        ns = (value ?? '').split(',').map((s) => positiveInt('--n', s.trim()))
        i++
        break
      case '--rate': rateMbit = positiveInt(flag, value); i++; break
      case '--size': sizeMiB = positiveInt(flag, value); i++; break
      case '--hash-size': hashSizeMiB = positiveInt(flag, value); i++; break
      case '--hash-rounds': hashRounds = positiveInt(flag, value); i++; break
      case '--hash-baseline':
        if (value === undefined || value === '') throw new Error(`--hash-baseline needs the path of a built swarmdrop.js\n${USAGE}`)
        hashBaselineCli = value
        i++
        break
      case '--link-size': linkSizeMiB = positiveInt(flag, value); i++; break
      case '--link-rounds': linkRounds = positiveInt(flag, value); i++; break
      case '--link-baseline':
        if (value === undefined || value === '') throw new Error(`--link-baseline needs the path of a built swarmdrop.js\n${USAGE}`)
        linkBaselineCli = value
        i++
        break
      case '--footprint-size': footprintSizeMiB = positiveInt(flag, value); i++; break
      case '--resume-size': resumeSizeMiB = positiveInt(flag, value); i++; break
      case '--many-files': many = { ...many, files: positiveInt(flag, value) }; i++; break
      case '--many-kib': many = { ...many, kib: positiveInt(flag, value) }; i++; break
      case '--many-rate': many = { ...many, rateMbit: positiveInt(flag, value) }; i++; break
      case '--many-rounds': many = { ...many, rounds: positiveInt(flag, value) }; i++; break
      case '--resume-baseline':
        if (value === undefined || value === '') throw new Error(`--resume-baseline needs the path of a built swarmdrop.js\n${USAGE}`)
        resumeBaselineCli = value
        i++
        break
      case '--resume-rounds': resumeRounds = positiveInt(flag, value); i++; break
      case '--resume-stops': resumeStops = nameList(flag, value, isStopKind); i++; break
      case '--slow-size': slowSizeMiB = positiveInt(flag, value); i++; break
      case '--only':
        // 'all' is kept for scripts written before the parts existed.
        parts = value === 'all' ? [...PARTS] : nameList(flag, value, isPart)
        i++
        break
      case '--methods':
        methods = nameList(flag, value, isMethod)
        i++
        break
      case '--help': case '-h':
        console.log(USAGE)
        process.exit(0)
        break
      default:
        throw new Error(`unknown option ${String(flag)}\n${USAGE}`)
    }
  }
  if (ns.some((n) => n > 20)) throw new Error('--n: at most 20 recipients (the lab has room for 21 hosts... and this box has 2 cores)')
  if (linkRounds > 10) throw new Error('--link-rounds: at most 10')
  if (resumeRounds > 4) throw new Error('--resume-rounds: at most 4 (each round is a recipient host per stop, two with a baseline)')
  if (hashRounds > 20) throw new Error('--hash-rounds: at most 20')
  return { ns, rateMbit, sizeMiB, parts, hashSizeMiB, hashBaselineCli, hashRounds, methods, linkSizeMiB, linkRounds, linkBaselineCli, footprintSizeMiB, resumeSizeMiB, resumeStops, resumeBaselineCli, resumeRounds, slowSizeMiB, many }
}
