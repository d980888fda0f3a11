#!/usr/bin/env bash
# Installs PyPI's aisfx 0.1.2 (a pretrained sound-effects CNN, CC BY 4.0) into a cache outside
# the repository and converts its checkpoint into a Foley bundle that `foley eval` reads.
# Silent when the bundle is already there. Nothing here is ever committed.
#   cache: $FOLEY_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/foley)/aisfx-0.1.2/{pkg,bundle}
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${FOLEY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/foley}/aisfx-0.1.2"
# Converted by this converter version already: nothing to do.
if [ -f "$cache/bundle/weights.safetensors" ] && grep -q '"converter": 1' "$cache/bundle/config.json" 2>/dev/null; then exit 0; fi
mkdir -p "$cache"
if [ ! -f "$cache/pkg/aisfx/models/checkpoint.pth" ]; then
  echo "installing aisfx 0.1.2 (no dependencies) into $cache/pkg"
  rm -rf "$cache/pkg.tmp"
  # The wheel's own pins (librosa 0.9.2, numpy 1.23 …) are not installed: the model is loaded
  # with the project's torch, and the mel is computed by our own code.
  /usr/bin/python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps --no-compile \
    --target "$cache/pkg.tmp" --require-hashes -r Training/sfx/requirements.txt
  rm -rf "$cache/pkg"
  mv "$cache/pkg.tmp" "$cache/pkg"
fi
OMP_NUM_THREADS=1 /usr/bin/python3 Training/convert_aisfx.py --package "$cache/pkg" --out "$cache/bundle"
