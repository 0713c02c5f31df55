import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, isOwnPage, isTrustedSender, mayNavigate, withCsp } from '../../../main/electron/security-policy.js'

const index = 'file:///opt/Swarmdrop/resources/app.asar/renderer/dist/index.html'

describe('security policy', () => {
  it('allows only our own scripts and styles, and no network from the page', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map(d => {
      const [name, ...values] = d.split(' ')
      return [name, values.join(' ')]
    }))
    expect(directives.get('default-src')).toBe("'none'")
    expect(directives.get('script-src')).toBe("'self'")
    expect(directives.get('style-src')).toBe("'self'")
    expect(directives.get('connect-src')).toBe("'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/)
  })

  it('replaces any CSP a response carried, whatever its case, and keeps other headers', () => {
    const headers = withCsp({ 'content-security-policy': ["script-src *"], 'Content-Type': 'text/html' })
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] })
  })

  it('recognises our page with any view hash, and nothing else', () => {
    expect(isOwnPage(`${index}#/incoming`, index)).toBe(true)
    expect(isOwnPage('file:///opt/Swarmdrop/resources/app.asar/renderer/dist/other.html', index)).toBe(false)
    expect(isOwnPage('https://example.com/renderer/dist/index.html', index)).toBe(false)
    expect(isOwnPage('not a url', index)).toBe(false)
  })

  it('trusts only the main frame of our window showing our page', () => {
    const good = { frameUrl: index, isMainFrame: true, fromOurWindow: true }
    expect(isTrustedSender(good, index)).toBe(true)
    expect(isTrustedSender({ ...good, isMainFrame: false }, index)).toBe(false)
    expect(isTrustedSender({ ...good, fromOurWindow: false }, index)).toBe(false)
    expect(isTrustedSender({ ...good, frameUrl: null }, index)).toBe(false)
    expect(isTrustedSender({ ...good, frameUrl: 'data:text/html,hi' }, index)).toBe(false)
  })

  it('refuses navigation away from the page', () => {
    expect(mayNavigate('https://evil.example/', index)).toBe(false)
    expect(mayNavigate('file:///etc/passwd', index)).toBe(false)
    expect(mayNavigate(index, index)).toBe(true)
  })
})
