#!/usr/bin/env bash
# Debian packages the test suite uses: iproute2 (network namespaces for the multi-machine tests)
# and python3-libtorrent (the reference BitTorrent client of the interop tests).
set -euo pipefail
need=()
command -v ip >/dev/null || need+=(iproute2)
/usr/bin/python3 -c 'import libtorrent' 2>/dev/null || need+=(python3-libtorrent)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "test dependencies present: iproute2, python3-libtorrent"
