// What a person does on an agent's page in the end-to-end tests: find an element by its test id,
// share a file by its path and tick machines, answer an offer, read a machine's row, and measure
// whether the page fits its width.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import type { LabFixture } from '../multi/lab-fixture.js'
import { patternBytes } from './ui-lab.js'

/** The first element with `data-testid="id"`. */
export const testId = (page: Page, id: string): Locator => page.locator(`[data-testid="${id}"]`).first()

/** The state a machine's row shows (its `data-state`), '' when the row is not there. */
export async function stateOf (page: Page, member: string): Promise<string> {
  return (await page.locator(`[data-testid="member-${member}"]`).first().getAttribute('data-state')) ?? ''
}

/** A machine row's progress in whole per cent, as its progress bar says it. */
export async function progressOf (page: Page, member: string): Promise<number> {
  return Number.parseInt((await testId(page, `member-${member}`).locator('progress').getAttribute('aria-valuetext')) ?? '0', 10)
}

/** A file of pattern bytes in the scratch folder, as it would sit on the sender's disk. */
export function fileOnSender (fx: LabFixture, name: string, size: number, seed: number): string {
  const dir = join(fx.work, 'on-sender')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeFileSync(path, patternBytes(size, seed))
  return path
}

/** Shares `path` through the path field, waits for its distribution, and sends it to `to`. */
export async function sendByPath (sender: Page, path: string, name: string, to: readonly string[]): Promise<void> {
  await testId(sender, 'nav-send-path').click()
  await testId(sender, 'path-input').fill(path)
  await testId(sender, 'path-send').click()
  await testId(sender, `dist-${name}`).waitFor({ timeout: 60_000 })
  await testId(sender, `dist-${name}`).click()
  for (const m of to) await testId(sender, `machine-${m}`).check()
  await testId(sender, 'send-button').click()
}

/** Answers the offer of `name` on a recipient's page. */
export async function answer (page: Page, name: string, how: 'accept' | 'decline'): Promise<void> {
  await testId(page, `${how}-${name}`).waitFor({ timeout: 30_000 })
  await testId(page, `${how}-${name}`).click()
}

/** Widths the page and the machine table's card would need, against what they have. */
export async function overflow (page: Page): Promise<{ main: number; card: number; body: number }> {
  return await page.evaluate(() => {
    const over = (el: Element | null): number => el === null ? -1 : el.scrollWidth - el.clientWidth
    return {
      main: over(document.querySelector('main')),
      card: over(document.querySelector('[data-testid="members-card"]')),
      body: over(document.documentElement)
    }
  })
}
