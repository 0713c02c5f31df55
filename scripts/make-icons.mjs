// Draws Swarmdrop's icons into build/ with no image tools: shapes as coverage functions, sampled
// several times per pixel for smooth edges, written by a small PNG encoder (zlib + CRC-32).
// The mark: a drop (one file) ringed by swarm dots (the machines that share it).
// Run `node scripts/make-icons.mjs`; its output is committed, so packaging needs no drawing step.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const buildDir = fileURLToPath(new URL('../build', import.meta.url))
const iconsDir = join(buildDir, 'icons')

// The palette: night-blue ground, off-white drop, teal swarm; amber and red only for tray states.
const COLOURS = {
  groundTop: [0x12, 0x3a, 0x5c],
  groundBottom: [0x0b, 0x1f, 0x3a],
  drop: [0xf8, 0xfa, 0xfc],
  dropShade: [0xd6, 0xe4, 0xf0],
  swarm: [0x2d, 0xd4, 0xbf],
  glyphOnLight: [0x1f, 0x29, 0x37],
  glyphOnDark: [0xf3, 0xf4, 0xf6],
  transferring: [0x14, 0xb8, 0xa6],
  attention: [0xf5, 0x9e, 0x0b],
  error: [0xdc, 0x26, 0x26]
}

// ---- PNG ----
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32 (bytes) {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk (type, data) {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  data.copy(out, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}
/** RGBA, 8 bits per channel, no interlace; every row with filter type 0. */
function encodePng (size, rgba) {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8
  header[9] = 6
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0))
  ])
}

// ---- Shapes, in unit coordinates (0..1, y down) ----
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
function roundedSquare (inset, radius) {
  return (x, y) => {
    const lo = inset + radius
    const hi = 1 - inset - radius
    const dx = Math.max(lo - x, 0, x - hi)
    const dy = Math.max(lo - y, 0, y - hi)
    return x >= inset && x <= 1 - inset && y >= inset && y <= 1 - inset && dx * dx + dy * dy <= radius * radius
  }
}
/** A drop: a circle and the cone from its tip, tangent to the circle. */
function drop (cx, cy, r, tipY) {
  const d = cy - tipY
  const tangentY = cy - (r * r) / d
  const tangentHalf = r * Math.sqrt(1 - (r * r) / (d * d))
  const round = circle(cx, cy, r)
  return (x, y) => {
    if (round(x, y)) return true
    if (y < tipY || y > tangentY) return false
    return Math.abs(x - cx) <= tangentHalf * (y - tipY) / (tangentY - tipY)
  }
}
const diamond = (cx, cy, r) => (x, y) => Math.abs(x - cx) + Math.abs(y - cy) <= r

/**
 * Paints layers in order ({ shape, colour(x, y) → rgb, alpha? }) with `samples`² samples per pixel.
 * `cut` shapes erase what lies under them (a clear gap around a badge).
 */
function render (size, layers, samples = 6) {
  const out = Buffer.alloc(size * size * 4)
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0; let g = 0; let b = 0; let a = 0
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size
          const y = (py + (sy + 0.5) / samples) / size
          let colour = null
          for (const layer of layers) {
            if (!layer.shape(x, y)) continue
            colour = layer.cut ? null : layer.colour(x, y)
          }
          if (colour === null) continue
          r += colour[0]; g += colour[1]; b += colour[2]; a += 1
        }
      }
      const i = (py * size + px) * 4
      if (a > 0) {
        // Colour averaged over covered samples only (straight alpha, as PNG wants).
        out[i] = Math.round(r / a); out[i + 1] = Math.round(g / a); out[i + 2] = Math.round(b / a)
      }
      out[i + 3] = Math.round((a / (samples * samples)) * 255)
    }
  }
  return out
}

const mix = (c1, c2, t) => c1.map((v, i) => Math.round(v + (c2[i] - v) * t))
const flat = colour => () => colour

// ---- The app icon ----
function appIconLayers () {
  const dots = [
    [0.20, 0.42, 0.040], [0.22, 0.70, 0.034], [0.80, 0.42, 0.040],
    [0.78, 0.70, 0.034], [0.34, 0.86, 0.030], [0.66, 0.86, 0.030], [0.50, 0.90, 0.026]
  ]
  return [
    { shape: roundedSquare(0.04, 0.2), colour: (_x, y) => mix(COLOURS.groundTop, COLOURS.groundBottom, y) },
    { shape: drop(0.5, 0.56, 0.22, 0.14), colour: (x, y) => mix(COLOURS.drop, COLOURS.dropShade, Math.max(0, (x - 0.4) * 1.2 + (y - 0.5) * 0.6)) },
    ...dots.map(([cx, cy, r]) => ({ shape: circle(cx, cy, r), colour: flat(COLOURS.swarm) }))
  ]
}

// ---- Tray icons: a plain glyph (one colour per panel theme) and a state badge ----
const BADGES = {
  idle: [],
  // A filled dot: something is moving.
  transferring: [{ shape: circle(0.76, 0.76, 0.2), colour: flat(COLOURS.transferring) }],
  // A ring: something waits for you.
  attention: [
    { shape: circle(0.76, 0.76, 0.22), colour: flat(COLOURS.attention) },
    { shape: circle(0.76, 0.76, 0.09), cut: true }
  ],
  // A diamond: something went wrong.
  error: [{ shape: diamond(0.76, 0.76, 0.24), colour: flat(COLOURS.error) }]
}

function trayLayers (state, theme) {
  const glyph = theme === 'dark' ? COLOURS.glyphOnDark : COLOURS.glyphOnLight
  const badge = BADGES[state]
  return [
    { shape: drop(0.42, 0.58, 0.3, 0.04), colour: flat(glyph) },
    { shape: circle(0.88, 0.22, 0.09), colour: flat(glyph) },
    { shape: circle(0.1, 0.3, 0.07), colour: flat(glyph) },
    // A clear margin around the badge so it reads against the glyph.
    ...(badge.length > 0 ? [{ shape: circle(0.76, 0.76, 0.3), cut: true }] : []),
    ...badge
  ]
}

function write (path, size, layers) {
  writeFileSync(path, encodePng(size, render(size, layers, size <= 32 ? 8 : 4)))
}

mkdirSync(iconsDir, { recursive: true })
write(join(buildDir, 'icon.png'), 512, appIconLayers())
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
  write(join(iconsDir, `${size}x${size}.png`), size, appIconLayers())
}
// File names: tray-<state>-<panel theme>-<size>[@2x].png; "dark" means for a dark panel.
for (const state of Object.keys(BADGES)) {
  for (const theme of ['light', 'dark']) {
    for (const size of [16, 32]) {
      write(join(iconsDir, `tray-${state}-${theme}-${size}.png`), size, trayLayers(state, theme))
      write(join(iconsDir, `tray-${state}-${theme}-${size}@2x.png`), size * 2, trayLayers(state, theme))
    }
  }
}
