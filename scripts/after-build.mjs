// The CLI is the package's bin: make the built entry executable after tsc writes it.
import { chmodSync, existsSync } from 'node:fs'

const cli = new URL('../dist/main/agent/cli/swarmdrop.js', import.meta.url)
if (existsSync(cli)) chmodSync(cli, 0o755)
