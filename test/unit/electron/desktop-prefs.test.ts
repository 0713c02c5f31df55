import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseNotice, claimCloseNotice, desktopPrefsPath, loadDesktopPrefs } from '../../../main/electron/desktop-prefs.js'

let dir = ''
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'swarmdrop-prefs-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

describe('desktop prefs', () => {
  it('grants the close-to-tray notice once, remembered across runs in a JSON file', async () => {
    const path = desktopPrefsPath(dir)
    expect(await claimCloseNotice(path)).toBe(true)
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ closeToTrayNoticeShown: true })
    // A later run of the app reads the file and stays quiet.
    expect(await new CloseNotice(path).claim()).toBe(false)
  })

  it('answers once per run even when two closes race', async () => {
    const notice = new CloseNotice(desktopPrefsPath(dir))
    const answers = await Promise.all([notice.claim(), notice.claim(), notice.claim()])
    expect(answers.filter(Boolean)).toHaveLength(1)
  })

  it('reads a damaged file as the defaults', async () => {
    const path = desktopPrefsPath(dir)
    await writeFile(path, '{ not json')
    expect(await loadDesktopPrefs(path)).toEqual({ closeToTrayNoticeShown: false })
  })
})
