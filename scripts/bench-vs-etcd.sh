#!/usr/bin/env bash
# Issue 8: Coffer against etcd 3.4 on this machine, one run (see scripts/bench/vs-etcd.ts).
#   scripts/bench-vs-etcd.sh [--seconds 10] [--rounds 3] [--connections 64] [--keys 1000] [--kills 5] ...
# Needs etcd 3.4 on PATH (Debian: apt-get install -y etcd-server) or ETCD_BIN. Builds first: the
# Coffer nodes run the built packages/cli/dist/main.js. The TypeScript side kills every process it
# started on exit, error, Ctrl-C or SIGTERM; this wrapper only forwards the signal to it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v "${ETCD_BIN:-etcd}" >/dev/null || { echo "bench-vs-etcd: no '${ETCD_BIN:-etcd}' on PATH: apt-get install -y etcd-server (3.4), or set ETCD_BIN" >&2; exit 2; }
npx tsc -b
exec node --conditions=@coffer/source --import tsx scripts/bench/vs-etcd.ts "$@"
