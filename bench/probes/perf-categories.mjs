// Where a swarm's CPU goes, from a system-wide perf recording (round nine of issue 12).
//
//   perf record -a -g -F 299 -o run.perf      # around the timed window; agents started with
//                                             # NODE_OPTIONS=--perf-basic-prof for JS names
//   perf script -i run.perf -F comm,pid,tid,time,ip,sym | node bench/probes/perf-categories.mjs --comm node --hosts 10
//
// Prints the CPU seconds of every process named --comm by category (each sample counted once, by
// the first category its stack matches, in the order below), per host (÷ --hosts: the recipients;
// the origin's share is spread over them), and second by
// second the samples of the two categories that move most over a run: the kernel copying written
// data into the page cache, and V8's optimizing compiler. --hz is perf's sampling rate.
import { createInterface } from 'node:readline'

const args = process.argv.slice(2)
const arg = (name, fallback) => { const i = args.indexOf(name); return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback }
const comm = arg('--comm', 'node')
const hosts = Number(arg('--hosts', '1'))
const hz = Number(arg('--hz', '299'))

/** [category, test on the whole stack]: first match wins. */
const CATEGORIES = [
  ['V8 optimizing compiler', s => s.includes('OptimizingCompileDispatcher') || s.includes('compiler::Pipeline')],
  ['V8 garbage collector', s => /Heap::|Scavenge|ConcurrentMarking|Sweeper|MarkCompact|MinorMC|IncrementalMarking/.test(s)],
  ['page-cache write (kernel copy)', s => s.includes('generic_perform_write') || s.includes('ext4_buffered_write_iter')],
  ['page-cache read (serving, read-back)', s => s.includes('filemap_read')],
  ['socket send', s => /tcp_sendmsg|sock_write_iter|sock_sendmsg/.test(s)],
  ['socket receive', s => /tcp_recvmsg|sock_read_iter/.test(s)],
  ['network softirq', s => s.includes('handle_softirqs') || s.includes('do_softirq')],
  ['SHA-1 / SHA-256', s => /sha1_block|sha256_block/.test(s)],
  ['page faults', s => s.includes('exc_page_fault')],
  ['waits and scheduling', s => /futex|schedule|finish_task_switch|epoll_wait/.test(s)],
  ['other system calls', s => s.includes('do_syscall_64')]
]

const totals = new Map()
const perSecond = new Map()
let samples = 0
let t0 = Infinity
let head = ''
let frames = []

function take () {
  const m = /^\s*(.+?)\s+(\d+)\/(\d+)\s+([\d.]+):/.exec(head)
  if (m === null || m[1] !== comm) return
  const stack = frames.join('\n')
  const main = m[2] === m[3]
  const found = CATEGORIES.find(([, test]) => test(stack))
  const category = found !== undefined ? found[0] : main ? 'main thread, user space (JavaScript, V8 runtime)' : 'other threads, user space'
  totals.set(category, (totals.get(category) ?? 0) + 1)
  samples++
  const t = Number(m[4])
  t0 = Math.min(t0, t)
  const second = Math.floor(t)
  const row = perSecond.get(second) ?? { all: 0, pageCache: 0, compiler: 0 }
  row.all++
  if (category === 'page-cache write (kernel copy)') row.pageCache++
  if (category === 'V8 optimizing compiler') row.compiler++
  perSecond.set(second, row)
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
for await (const line of lines) {
  if (line.trim() === '') { take(); head = ''; frames = []; continue }
  if (head === '') head = line
  else frames.push(line.trim().replace(/^[0-9a-f]+ /, ''))
}
take()

const s = n => (n / hz).toFixed(2)
console.log(`${comm}: ${s(samples)} CPU-s in all, ${(samples / hz / hosts).toFixed(2)} per host (${hosts})`)
for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(48)} ${s(v).padStart(7)}  ${(v / hz / hosts).toFixed(3).padStart(7)} per host`)
console.log('second: samples · page-cache write · optimizing compiler')
const first = Math.floor(t0)
for (const k of [...perSecond.keys()].sort((a, b) => a - b)) {
  const r = perSecond.get(k)
  console.log(`  ${String(k - first).padStart(3)}: ${r.all} · ${r.pageCache} · ${r.compiler}`)
}
