// The sentences for one device key held by two machines (a disk image made after the agent had
// run once, a copied data folder): said by the device itself and by the machines that see both.
// The way out is the one a corrupt identity.json gets (identity.ts): move the file aside, and a new
// identity is made at the next start.

/** "a", "a and b", "a, b and c". */
export function addressList (addresses: readonly string[]): string {
  if (addresses.length <= 1) return addresses[0] ?? ''
  return `${addresses.slice(0, -1).join(', ')} and ${addresses[addresses.length - 1] ?? ''}`
}

/** What a device says when other addresses answer for its own id. */
export function ownIdClashMessage (others: readonly string[], fingerprint: string, identityPath: string): string {
  const who = others.length === 1 ? `Another machine, at ${others[0] ?? ''}, answers` : `Other machines, at ${addressList(others)}, answer`
  return `${who} for this device's id ${fingerprint}: they hold the same device key (a cloned disk image or a copied data folder), so other machines cannot tell them apart and refuse to send to it; stop Swarmdrop on one of them, or move its ${identityPath} aside so it makes a new identity at its next start.`
}

/** What a device says once no other address answers for its id any more. */
export function ownIdClashOverMessage (fingerprint: string): string {
  return `No other machine answers for this device's id ${fingerprint} any more.`
}

/** Why a machine whose id answers from several addresses (each with its key) is not sent to. */
export function twinMessage (name: string, fingerprint: string, addresses: readonly string[]): string {
  return `${name} (${fingerprint}) answers from ${addressList(addresses)}, each holding its device key: two machines share one identity (a cloned disk image or a copied data folder), so a file sent to it could reach either; on one of them, stop Swarmdrop and move identity.json in its data folder aside so it makes a new identity at its next start.`
}
