// Command-line options of `npm run bench` (bench/run.ts).

export interface BenchOptions {
  /** Recipient counts, one lab per count. */
  readonly ns: readonly number[]
  /** Every host's cap, up and down, in Mbit/s. */
  readonly rateMbit: number
  /** The random file's size in MiB. */
  readonly sizeMiB: number
  /** 'all' = the one-to-many table; 'hash' = torrent-creation speed only. */
  readonly only: 'all' | 'hash'
  /** --only hash: size of the hashed file in MiB (default 4096). */
  readonly hashSizeMiB: number
  /** Run only these methods (default all four). */
  readonly methods: readonly MethodName[]
}

export const METHODS = ['plain-sequential', 'plain-parallel', 'libtorrent', 'swarmdrop'] as const
export type MethodName = typeof METHODS[number]

export const USAGE = `usage: npm run bench -- [--n 1,4,10] [--rate 200] [--size 256] [--methods plain-sequential,plain-parallel,libtorrent,swarmdrop]
       npm run bench -- --only hash [--hash-size 4096]`

function isMethod (s: string): s is MethodName {
  return (METHODS as readonly string[]).includes(s)
}

function positiveInt (flag: string, value: string | undefined): number {
  const n = Number(value)
  if (value === undefined || !Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number, got ${String(value)}\n${USAGE}`)
  return n
}

export function parseOptions (argv: readonly string[]): BenchOptions {
  let ns: number[] = [1, 4, 10]
  let rateMbit = 200
  let sizeMiB = 256
  let only: 'all' | 'hash' = 'all'
  let hashSizeMiB = 4096
  let methods: MethodName[] = [...METHODS]
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
      case '--only':
        if (value !== 'hash' && value !== 'all') throw new Error(`--only takes "hash" or "all"\n${USAGE}`)
        only = value
        i++
        break
      case '--methods': {
        const list = (value ?? '').split(',').map((s) => s.trim())
        const bad = list.filter((m) => !isMethod(m))
        if (bad.length > 0) throw new Error(`unknown method(s) ${bad.join(', ')}\n${USAGE}`)
        methods = list.filter(isMethod)
        i++
        break
      }
      case '--help': case '-h':
        console.log(USAGE)
        process.exit(0)
        break
      default:
        throw new Error(`unknown option ${String(flag)}\n${USAGE}`)
    }
  }
  if (ns.some((n) => n > 20)) throw new Error('--n: at most 20 recipients (the lab has room for 21 hosts... and this box has 2 cores)')
  return { ns, rateMbit, sizeMiB, only, hashSizeMiB, methods }
}
