#!/usr/bin/env python3
# The control channel's share of CPU in a `perf record -a -g` of a bench run whose Node processes
# had bench/probes/tls-count.mjs preloaded (NODE_OPTIONS="--perf-basic-prof --import ...", with
# SWARMDROP_TLS_COUNT_DIR=DIR). Roles come from DIR/<pid>.json (the `send` process is the origin,
# `agent --name rN` the recipients). Usage:
#   perf script -i X.data -F pid,ip,sym | python3 bench/probes/control-path-perf.py DIR
# Per role: handshakes and requests counted by the probe, and perf samples (499 Hz) whose stack
# passes through a TLS handshake or context (statem, SecureContext, Ed25519, X509, PEM), TLS record
# crypto, or the control channel's HTTP and JS (node's _http_*, core/control, peer-routes, origin).
# TLS roots loaded once at process start-up are counted apart. Categories are matched on the whole
# stack, so "control HTTP/JS" on the origin also holds `send --wait` polling its own local API.
import collections, glob, json, os, re, sys

role = {}
probe = collections.defaultdict(collections.Counter)
for f in glob.glob(os.path.join(sys.argv[1], '*.json')):
    j = json.load(open(f))
    r = 'origin' if j['argv'].startswith('send') or '--name origin' in j['argv'] else 'recipients' if re.match(r'agent --name r\d', j['argv']) else None
    if r is None: continue
    role[str(j['pid'])] = r
    for k in ('dialled', 'accepted', 'requests'): probe[r][k] += j[k]
cats = {
    'TLS handshake+context': re.compile(r'ossl_statem|statem_|tls_process_|tls_construct_|SSL_do_handshake|SecureContext|ed25519|ED25519|[Xx]509|PEM_|TLSWrap::Start|TLSSocket._start|tlsConnectionListener|createSecureContext'),
    'TLS records': re.compile(r'aes|gcm|GCM|chacha|poly1305|ssl3_read|ssl3_write|tls13_enc|tls_write_records|tls_get_more_records|ssl_read_internal|ssl_write_internal'),
    'control HTTP/JS': re.compile(r'_http_|/core/control/|peer-routes\.js|node/origin\.js|swarm-view|report-order|node/recipient\.js:.*(sendReport|report)'),
}
startup = re.compile(r'InitializeOncePerProcess|UseExtraCaCerts|NewRootCertStore')
total = collections.Counter(); hit = collections.defaultdict(collections.Counter)
cur, stack = None, []
def flush():
    if cur not in role: return
    r = role[cur]; total[r] += 1
    if any(startup.search(f) for f in stack): hit[r]['(TLS roots at process start-up)'] += 1; return
    for c, p in cats.items():
        if any(p.search(f) for f in stack): hit[r][c] += 1
for line in sys.stdin:
    if line.strip() and line[0] != '\t':
        flush(); cur = line.split()[0]; stack = []
    elif line.strip():
        parts = line.strip().split(None, 1); stack.append(parts[1] if len(parts) > 1 else '')
flush()
for r in sorted(total):
    p = probe[r]
    print(f"{r}: TLS connections dialled {p['dialled']}, accepted {p['accepted']}, requests served {p['requests']}; {total[r]} perf samples = {total[r] / 499:.2f} CPU-s")
    for c in [*cats, '(TLS roots at process start-up)']:
        v = hit[r][c]; print(f"   {c:32s} {v:6d}  {100 * v / total[r]:5.1f} %  {v / 499:.2f} CPU-s")
