#!/usr/bin/env bash
# Installs a built foley binary and its data under PREFIX:
#   PREFIX/bin/foley, PREFIX/share/foley/{Weights,Themes,Projects/demo}, PREFIX/share/doc/foley.
# The binary finds its data relative to itself (../share/foley), so the tree can move.
# Usage: Scripts/install.sh PREFIX [BINARY]   (BINARY default: .build/release/foley)
set -euo pipefail
prefix=${1:?usage: Scripts/install.sh PREFIX [BINARY]}
binary=${2:-.build/release/foley}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
[ -x "$binary" ] || { echo "error: $binary: no such executable; run make build first" >&2; exit 1; }
share="$prefix/share/foley"
install -D -m 0755 "$binary" "$prefix/bin/foley"
rm -rf "$share.new"
mkdir -p "$share.new/Projects/demo"
# Only the committed bundles and themes (not training checkpoints or local experiments).
# A committed link (Weights/foleyworld2/fullband-vocoder → ../fullband-vocoder) stays a link.
git ls-files -z Weights Themes | while IFS= read -r -d '' f; do
  if [ -L "$f" ]; then mkdir -p "$(dirname "$share.new/$f")" && cp -P "$f" "$share.new/$f"
  else install -D -m 0644 "$f" "$share.new/$f"; fi
done
cp -R Projects/demo/project.json Projects/demo/clips Projects/demo/README.md "$share.new/Projects/demo/"
install -D -m 0644 README.md "$prefix/share/doc/foley/README.md"
install -D -m 0644 CREDITS.md "$prefix/share/doc/foley/CREDITS.md"
rm -rf "$share"
mv "$share.new" "$share"
echo "installed $prefix/bin/foley and $share"
