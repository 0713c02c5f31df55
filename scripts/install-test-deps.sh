#!/usr/bin/env bash
# Debian packages the tests and the benchmark use: iproute2 (network namespaces), python3-libtorrent
# (the reference BitTorrent client), curl (plain copies in the benchmark), mktorrent (its hashing
# comparison), chromium (the UI's end-to-end tests, driven by Playwright).
set -euo pipefail
need=()
command -v ip >/dev/null || need+=(iproute2)
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || need+=(python3-libtorrent)
command -v curl >/dev/null || need+=(curl)
command -v mktorrent >/dev/null || need+=(mktorrent)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "test dependencies present: iproute2, python3-libtorrent, curl, mktorrent, chromium"
