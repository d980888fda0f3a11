#!/usr/bin/env bash
# On a lent GPU machine: unpack gpu/c1 (Training/remote_pack.py pack gpu/c1 --mels train val),
# train two codec variants side by side for MINUTES, encode the token caches with each, and
# leave slim checkpoints (no optimiser state), token caches and logs in $OUT.
set -uo pipefail
MINUTES=${MINUTES:-7}
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.is_available())"
python3 Training/remote_pack.py unpack gpu/c1 /tmp/fw || exit 1
for v in a b; do mkdir -p /tmp/$v && ln -sf /tmp/fw/train /tmp/fw/val /tmp/$v/; done
python3 Training/train_codec.py --data /tmp/a --device cuda --steps 1000000 --save-every 2000 --minutes "$MINUTES" \
  --disc-after "$(python3 -c "print($MINUTES * 0.55)")" --batch 32 --lr 1e-4 >"$OUT/codec-a.log" 2>&1 &
python3 Training/train_codec.py --data /tmp/b --device cuda --steps 1000000 --save-every 2000 --minutes "$MINUTES" \
  --disc-after "$(python3 -c "print($MINUTES * 0.55)")" --batch 64 --lr 2e-4 >"$OUT/codec-b.log" 2>&1 &
wait
tail -n 3 "$OUT"/codec-*.log
for v in a b; do
  rm -f /tmp/$v/train /tmp/$v/val; mkdir -p /tmp/$v/train /tmp/$v/val
  cp /tmp/fw/train/cache.npz /tmp/$v/train/; cp /tmp/fw/val/cache.npz /tmp/$v/val/
  python3 Training/train_sampler.py --data /tmp/$v --device cuda --tokens-only >>"$OUT/codec-$v.log" 2>&1
  python3 - "$v" <<'PY'
import os, sys, torch
v = sys.argv[1]
s = torch.load(f"/tmp/{v}/codec.ckpt", map_location="cpu")
slim = {k: s[k] for k in ("model", "disc", "last_seen", "disc_from", "ema_count", "ema_sum", "step") if k in s}
torch.save(slim, os.path.join(os.environ["OUT"], f"codec-{v}.ckpt"))
PY
  for split in train val; do cp /tmp/$v/$split/codec-tokens-*.npz "$OUT/$v-$split-$(basename /tmp/$v/$split/codec-tokens-*.npz)"; done
done
ls -la "$OUT"
