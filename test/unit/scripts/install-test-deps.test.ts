// `npm test` brings what the tests need itself (scripts/install-test-deps.sh --before-test): one
// quick line when everything is present, apt-get for what is missing when it can, and otherwise
// one line saying what is missing and how to get it, without stopping the tests. The missing
// cases run the real script with a PATH that lacks the tools (and, for the install case, whose
// apt-get only records what it was asked for, so this machine's packages are never touched).
import { execFile, execFileSync } from 'node:child_process'
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const SCRIPT = join(process.cwd(), 'scripts/install-test-deps.sh')
const dirs: string[] = []
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }) })

/** A bin folder with only what the script itself needs (bash, id), none of the test tools. */
async function bareBin (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'swarmdrop-deps-'))
  dirs.push(dir)
  for (const tool of ['bash', 'id']) {
    const { stdout } = await run('bash', ['-c', `command -v ${tool}`])
    await symlink(stdout.trim(), join(dir, tool))
  }
  return dir
}

const root = process.getuid?.() === 0
const allPresent = execFileSync('bash', [SCRIPT, '--missing'], { encoding: 'utf8' }).trim() === ''
const packageJson = JSON.parse(await readFile(join(process.cwd(), 'package.json'), 'utf8')) as { scripts: Record<string, string> }

describe('npm test brings its own test dependencies', () => {
  it('runs the check first, before the build', () => {
    expect(packageJson.scripts.test).toMatch(/^bash scripts\/install-test-deps\.sh --before-test && /)
  })

  it('says in one line what is missing and how to get it, and lets the tests run', async () => {
    const bin = await bareBin()
    const { stdout } = await run(join(bin, 'bash'), [SCRIPT, '--before-test'], { env: { PATH: bin } })
    const lines = stdout.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^npm test: missing iproute2 .*curl mktorrent/)
    expect(lines[0]).toMatch(/to get them: /)
  })

  it.skipIf(!root)('as root with apt-get, asks apt-get for exactly the missing packages', async () => {
    const bin = await bareBin()
    const log = join(bin, 'apt-get.log')
    await writeFile(join(bin, 'apt-get'), `#!${join(bin, 'bash')}\necho "$*" >> ${log}\n`)
    await chmod(join(bin, 'apt-get'), 0o755)
    const { stdout } = await run(join(bin, 'bash'), [SCRIPT, '--before-test'], { env: { PATH: bin } })
    const calls = (await readFile(log, 'utf8')).trim().split('\n')
    expect(calls[0]).toBe('update -qq')
    expect(calls[1]).toMatch(/^install -y -qq iproute2 .*curl mktorrent/)
    expect(stdout).toMatch(/^npm test: installing the Debian packages the tests need: iproute2/)
    // The recording apt-get installed nothing: the script still says what is missing.
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^npm test: missing iproute2/)
  })

  it.skipIf(!root || !allPresent)('is one quick line when everything is present', async () => {
    const started = Date.now()
    const { stdout } = await run('bash', [SCRIPT, '--before-test'])
    expect(stdout.trim()).toBe('test dependencies present: iproute2, python3-libtorrent, curl, mktorrent, chromium')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
