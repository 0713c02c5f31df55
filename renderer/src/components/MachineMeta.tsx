// A machine's platform, address and id fingerprint, as every list of machines shows them.
export function MachineMeta ({ m }: { readonly m: { readonly platform: string; readonly address: string; readonly fingerprint: string } }) {
  return (
    <span className="machine-meta">
      <span>{m.platform}</span>
      <span>{m.address}</span>
      <span className="fingerprint">{m.fingerprint}</span>
    </span>
  )
}
