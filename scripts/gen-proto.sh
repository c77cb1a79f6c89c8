#!/usr/bin/env bash
# Generates the TypeScript types for every proto/*.proto into packages/wire/src/gen/.
# The output is generated (never hand-edit it) and committed: tsc builds it with the package.
# Run from anywhere: scripts/gen-proto.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/packages/wire/src/gen"
gen="$root/node_modules/.bin/proto-loader-gen-types"

shopt -s nullglob
protos=("$root"/proto/*.proto)
if [ ${#protos[@]} -eq 0 ]; then
  echo "gen-proto: no .proto files in $root/proto" >&2
  exit 1
fi
if [ ! -x "$gen" ]; then
  echo "gen-proto: $gen not found; run npm ci first" >&2
  exit 1
fi

# Start clean so that a message or file removed from proto/ leaves no stale type behind.
rm -rf "$out"
mkdir -p "$out"

# The flags must match the loader options in packages/wire/src/load-protos.ts.
# --importFileExtension=.js: NodeNext needs explicit extensions on relative imports.
"$gen" --keepCase --longs=String --enums=String --defaults --oneofs \
  --grpcLib=@grpc/grpc-js --importFileExtension=.js \
  --includeDirs="$root/proto" --outDir="$out" \
  "${protos[@]##*/}"

# Keep the output independent of where the repository is checked out.
find "$out" -name '*.ts' -exec sed -i "s|^// Original file: $root/|// Original file: |" {} +

echo "gen-proto: generated $(find "$out" -name '*.ts' | wc -l) files from ${#protos[@]} proto file(s) into ${out#"$root"/}"
