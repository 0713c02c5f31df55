#!/usr/bin/env bash
# Debian packages the tests and the benchmark use: iproute2 (network namespaces), python3-libtorrent
# (the reference BitTorrent client), curl (plain copies in the benchmark), mktorrent (its hashing
# comparison), chromium (the UI's end-to-end tests, driven by Playwright).
#
#   install-test-deps.sh                installs what is missing (CI, .ci/run); fails if it cannot
#   install-test-deps.sh --before-test  what `npm test` runs first: one line when all is present,
#                                       installs what is missing when root with apt-get, and
#                                       otherwise says in one line what is missing and how to get
#                                       it, then lets the tests run (the ones needing it fail)
#   install-test-deps.sh --missing      prints the missing Debian packages, one line, nothing if none
set -euo pipefail
mode="${1:-install}"

missing_packages () {
  local need=()
  command -v ip >/dev/null || need+=(iproute2)
  /usr/bin/python3 -c 'import libtorrent' 2>/dev/null || need+=(python3-libtorrent)
  command -v curl >/dev/null || need+=(curl)
  command -v mktorrent >/dev/null || need+=(mktorrent)
  [ -x /usr/bin/chromium ] || need+=(chromium)
  echo "${need[*]:-}"
}

install_packages () {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # a list of package names, split on purpose
  apt-get install -y -qq $1 >/dev/null
}

need="$(missing_packages)"
case "$mode" in
  --missing)
    [ -z "$need" ] || echo "$need"
    ;;
  --before-test)
    root=yes
    [ "$(id -u)" = 0 ] || root=no
    if [ -n "$need" ] && [ "$root" = yes ] && command -v apt-get >/dev/null; then
      echo "npm test: installing the Debian packages the tests need: $need"
      install_packages "$need"
      need="$(missing_packages)"
    fi
    if [ -z "$need" ] && [ "$root" = yes ]; then
      echo "test dependencies present: iproute2, python3-libtorrent, curl, mktorrent, chromium"
    elif [ -z "$need" ]; then
      echo "npm test: not root, so the multi-machine tests (network namespaces) will fail; run: sudo npm test"
    else
      how="sudo bash scripts/install-test-deps.sh"
      command -v apt-get >/dev/null || how="install them with your system's package manager (Debian names)"
      echo "npm test: missing $need (interop, multi-machine and end-to-end tests will fail); to get them: $how"
    fi
    ;;
  install)
    if [ -n "$need" ]; then install_packages "$need"; fi
    need="$(missing_packages)"
    if [ -n "$need" ]; then echo "still missing after apt-get: $need" >&2; exit 1; fi
    echo "test dependencies present: iproute2, python3-libtorrent, curl, mktorrent, chromium"
    ;;
  *)
    echo "usage: install-test-deps.sh [--before-test | --missing]" >&2
    exit 2
    ;;
esac
