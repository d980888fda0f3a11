#!/usr/bin/env bash
# Regenerates committed golden files. DSP goldens need librosa (PyPI) in a venv;
# runtime goldens need Debian's python3-torch.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv-golden/bin/python ]; then
  /usr/bin/python3 -m venv .venv-golden
  .venv-golden/bin/pip install -q librosa
fi
.venv-golden/bin/python Training/golden/make_dsp_golden.py Tests/Fixtures/dsp
if [ -f Training/golden/make_runtime_golden.py ]; then
  OMP_NUM_THREADS=1 /usr/bin/python3 Training/golden/make_runtime_golden.py Tests/Fixtures/runtime
fi
OMP_NUM_THREADS=1 /usr/bin/python3 Training/golden/make_codec_golden.py
OMP_NUM_THREADS=1 /usr/bin/python3 Training/golden/make_visual_echoes_golden.py
OMP_NUM_THREADS=1 /usr/bin/python3 Training/golden/make_frieren_golden.py
# aisfx: the package's librosa path (venv), then its PyTorch model (Debian's torch).
tmp=$(mktemp -d)
.venv-golden/bin/python Training/golden/make_sfx_golden.py mel "$tmp/sfx.npz"
OMP_NUM_THREADS=1 /usr/bin/python3 Training/golden/make_sfx_golden.py model "$tmp/sfx.npz" Tests/Fixtures/models/sfx_golden.safetensors
rm -rf "$tmp"
