// A minimal DER (X.690) encoder: just the types a self-signed X.509 certificate needs. Node can
// parse certificates but not make them, and a dependency for ~60 lines of encoding is not worth it.

/** Encodes a length: short form below 128, else 0x80|n followed by n big-endian bytes. */
function length (n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

export function tlv (tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content])
}

export function sequence (...items: readonly Uint8Array[]): Buffer { return tlv(0x30, Buffer.concat(items)) }

export function set (...items: readonly Uint8Array[]): Buffer { return tlv(0x31, Buffer.concat(items)) }

/** A non-negative INTEGER from big-endian bytes (leading zeros dropped, a 0x00 added if the top bit is set). */
export function unsignedInteger (bytes: Uint8Array): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const body = Buffer.from(bytes.subarray(start))
  const first = body[0] ?? 0
  return tlv(0x02, first >= 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body.length === 0 ? Buffer.from([0]) : body)
}

export function objectIdentifier (dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number)
  const [a = 0, b = 0, ...rest] = arcs
  const out: number[] = [a * 40 + b]
  for (const arc of rest) {
    // Base-128, most significant group first, continuation bit on all but the last.
    const groups: number[] = [arc % 128]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v % 128) | 0x80)
    out.push(...groups)
  }
  return tlv(0x06, Buffer.from(out))
}

export function utf8String (text: string): Buffer { return tlv(0x0c, Buffer.from(text, 'utf8')) }

/** BIT STRING with no unused bits (signatures and keys are whole bytes). */
export function bitString (bytes: Uint8Array): Buffer { return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes])) }

/** [n] EXPLICIT, constructed context-specific tag wrapping one element. */
export function explicit (n: number, content: Uint8Array): Buffer { return tlv(0xa0 | n, content) }

const two = (n: number): string => String(n).padStart(2, '0')

/**
 * RFC 5280 §4.1.2.5: dates through 2049 are UTCTime (YYMMDDHHMMSSZ), later ones GeneralizedTime
 * (YYYYMMDDHHMMSSZ); 9999-12-31T23:59:59Z means "no expiry".
 */
export function time (d: Date): Buffer {
  const y = d.getUTCFullYear()
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`
  return y < 2050 ? tlv(0x17, Buffer.from(`${two(y % 100)}${rest}`, 'ascii')) : tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`, 'ascii'))
}
