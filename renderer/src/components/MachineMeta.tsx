// A machine's platform, address and id fingerprint, as every list of machines shows them; every
// address its id answers from when more than one machine holds it.
export function MachineMeta ({ m }: { readonly m: { readonly platform: string; readonly address: string; readonly fingerprint: string; readonly twinAddresses?: readonly string[] } }) {
  return (
    <span className="machine-meta">
      <span>{m.platform}</span>
      <span>{m.twinAddresses !== undefined ? m.twinAddresses.join(' and ') : m.address}</span>
      <span className="fingerprint">{m.fingerprint}</span>
    </span>
  )
}
