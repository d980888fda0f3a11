#!/usr/bin/env bash
# On a lent GPU machine: smaller MelGAN generators trained from scratch side by side (each
# process loads its own batches on its own core), for the speed the full-size one cannot reach
# on one CPU core. Unpacks gpu/c5 (Training/remote_pack.py pack gpu/c5 --audio-mb N
# --codec-from Weights/specvqgan: the codec for the --codec batches; PACK names another such
# folder). VARIANTS, ';'-separated train_vocoder.py options, replaces the Draft search's three
# (the multi-band runs: "--bands 4 --ngf 48;--bands 4 --ngf 32;--bands 4 --ngf 64 --residual-layers 2"). Resumes from /tmp/vN
# (the same warm machine) or from $PACK/vN.ckpt (carried back in; then only those variants run),
# so a later call continues an earlier one. Leaves each generator (float16, with its
# discriminator and sizes: what export and a resumed run need) and every log in $OUT.
set -uo pipefail
MINUTES=${MINUTES:-9}
PACK=${PACK:-gpu/c5}
export PYTHONUNBUFFERED=1
[ -d /tmp/fw/audio/train ] || python3 Training/remote_pack.py unpack "$PACK" /tmp/fw || exit 1
IFS=';' read -r -a variants <<<"${VARIANTS:---ngf 16 --residual-layers 3;--ngf 16 --residual-layers 2;--ngf 24 --residual-layers 2}"
ls "$PACK"/v*.ckpt >/dev/null 2>&1 && resuming=1 || resuming=0
for i in "${!variants[@]}"; do
  [ $resuming = 1 ] && [ ! -f "$PACK/v$i.ckpt" ] && [ ! -f /tmp/v$i/vocoder.ckpt ] && continue
  mkdir -p /tmp/v$i && ln -sfn /tmp/fw/audio/train /tmp/v$i/train && cp "$PACK/codec.ckpt" /tmp/v$i/
  [ -f /tmp/v$i/vocoder.ckpt ] || { [ -f "$PACK/v$i.ckpt" ] && cp "$PACK/v$i.ckpt" /tmp/v$i/vocoder.ckpt; }
  python3 Training/train_vocoder.py --data /tmp/v$i --device "${DEVICE:-cuda}" --steps 1000000 --save-every 1000 --minutes "$MINUTES" \
    --disc-start 1000 --batch 16 --codec /tmp/v$i/codec.ckpt --codec-share 0.5 ${variants[$i]} >>/tmp/v$i.log 2>&1 &
done
wait
for i in "${!variants[@]}"; do
  [ -f /tmp/v$i/vocoder.ckpt ] || continue
  echo "== variant $i: ${variants[$i]}"; tail -n 2 /tmp/v$i.log
  python3 - "$i" <<'PY'
import os, sys, torch
i = sys.argv[1]
s = torch.load(f"/tmp/v{i}/vocoder.ckpt", map_location="cpu")
torch.save({"gen": {k: v.half() for k, v in s["gen"].items()}, "disc": {k: v.half() for k, v in s["disc"].items()},
            "config": s["config"], "step": s["step"]}, os.path.join(os.environ["OUT"], f"v{i}.ckpt"))
PY
  cp /tmp/v$i.log "$OUT/v$i.log"
done
ls -la "$OUT"
