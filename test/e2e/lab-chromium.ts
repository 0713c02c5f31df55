// A Chromium for the end-to-end tests that need a browser but no agent: it runs inside host 0 of
// the test's lab (chromium-in-ns.ts says why a namespace), is started by the first page asked
// for, and is closed after the file's tests. Call inside `describe`.
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll } from 'vitest'
import { writeChromiumWrapper, type NsWrapper } from '../lab/chromium-in-ns.js'
import type { LabFixture } from '../multi/lab-fixture.js'

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update']

export interface LabChromium {
  /** A new page, the browser started first if it is not yet. */
  newPage (viewport?: { readonly width: number; readonly height: number }): Promise<Page>
}

export function labChromium (fx: LabFixture): LabChromium {
  let browser: Browser | undefined
  let wrapper: NsWrapper | undefined
  afterAll(async () => {
    await browser?.close().catch(() => {})
    await wrapper?.remove()
  })
  return {
    async newPage (viewport) {
      if (wrapper === undefined) {
        const w = await writeChromiumWrapper(fx.host(0).ns)
        if (!w.ok) throw new Error(w.error.message)
        wrapper = w.value
      }
      browser ??= await chromium.launch({ executablePath: wrapper.path, args: ARGS, timeout: 30_000 })
      return await browser.newPage(viewport === undefined ? {} : { viewport: { ...viewport } })
    }
  }
}
