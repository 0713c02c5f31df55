// A long name shortened for a tray menu or a notification, recognisably.

/**
 * Shortens a long name in the middle and keeps its extension, so "ubuntu-24.04-server-amd64.iso"
 * stays recognisable in a tray menu: "ubuntu-24.04…iso".
 */
export function shortName (name: string, max = 24): string {
  const chars = [...name]
  if (chars.length <= max) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1) : ''
  const head = Math.max(1, max - 1 - [...ext].length)
  // No dangling separator before the ellipsis: "ubuntu-24.04-server…iso", not "…server-…iso".
  const start = chars.slice(0, head).join('').replace(/[-_.\s]+$/, '')
  return `${start || chars.slice(0, head).join('')}…${ext}`
}
