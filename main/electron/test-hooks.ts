// Read-mostly handles for the end-to-end test (test/e2e/electron-app.test.ts), which drives the
// built app through Playwright and cannot otherwise see the tray or send a command with a path.
// Installed only when SWARMDROP_TEST_HOOKS=1; a normal run exposes nothing.
import type { ApiResult } from '../../common/api.js'

export interface TestHooks {
  /** The command path the window uses (validate, then route), without the IPC sender check. */
  execute (raw: unknown): Promise<ApiResult<unknown>>
  trayPresent (): boolean
  trayTooltip (): string
}

export function installTestHooks (hooks: TestHooks, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.SWARMDROP_TEST_HOOKS !== '1') return false
  ;(globalThis as { swarmdropTestHooks?: TestHooks }).swarmdropTestHooks = hooks
  return true
}
