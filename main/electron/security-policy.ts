// The window's security rules as plain decisions: the Content-Security-Policy, which URLs count
// as our own page, and that every navigation elsewhere is refused. window.ts and ipc.ts apply them.

/**
 * Nothing but the app's own files: no inline script or style, no eval, no network from the page
 * (the engine is reached over IPC only), no plugins, frames or forms.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

export type HeaderMap = Record<string, string | string[]>

/** The response headers with our CSP in place of any the response carried (any letter case). */
export function withCsp (headers: HeaderMap | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue
    out[name] = Array.isArray(value) ? value : [value]
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY]
  return out
}

/**
 * True when `url` is our renderer's index page: the same file URL, whatever its `#/view` hash or
 * query. Anything else (another file, http, data:, devtools) is not our page.
 */
export function isOwnPage (url: string, indexUrl: string): boolean {
  let actual: URL
  let expected: URL
  try {
    actual = new URL(url)
    expected = new URL(indexUrl)
  } catch {
    return false
  }
  return actual.protocol === 'file:' && expected.protocol === 'file:' &&
    actual.host === expected.host && actual.pathname === expected.pathname
}

export interface SenderInfo {
  /** The frame's URL, or null when the frame is gone. */
  readonly frameUrl: string | null
  /** The frame has no parent: it is the page itself, not an iframe in it. */
  readonly isMainFrame: boolean
  /** It belongs to the app's window, not to some other webContents. */
  readonly fromOurWindow: boolean
}

/** Only our window's top frame, showing our page, may send commands to the engine. */
export function isTrustedSender (sender: SenderInfo, indexUrl: string): boolean {
  return sender.fromOurWindow && sender.isMainFrame && sender.frameUrl !== null && isOwnPage(sender.frameUrl, indexUrl)
}

/**
 * Navigation away from the page is refused, even to another of our files: a page that could
 * navigate could also be made to load something that is not ours.
 */
export function mayNavigate (url: string, indexUrl: string): boolean {
  return isOwnPage(url, indexUrl)
}
