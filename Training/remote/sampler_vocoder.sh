#!/usr/bin/env bash
# On a lent GPU machine: unpack gpu/c2 (Training/remote_pack.py pack gpu/c2 --features train val
# --tokens codec-tokens-STEP.npz --audio-mb N, plus a slim vocoder.ckpt), then side by side for
# MINUTES: four sampler variants (dropout / weight decay / batch), keeping each one's best
# validation checkpoint, and the vocoder fine-tuned on the audio that travelled. Leaves the
# best sampler, the vocoder (float16) and the logs in $OUT.
set -uo pipefail
MINUTES=${MINUTES:-8}
STEP=${STEP:?codec step of the token caches}
export PYTHONUNBUFFERED=1
python3 Training/remote_pack.py unpack gpu/c2 /tmp/fw || exit 1
mkdir -p /tmp/voc && ln -sf /tmp/fw/audio/train /tmp/voc/train && cp gpu/c2/vocoder.ckpt /tmp/voc/
python3 Training/train_vocoder.py --data /tmp/voc --device cuda --steps 1000000 --save-every 5000 --minutes "$MINUTES" \
  --disc-start 0 --batch 16 >"$OUT/vocoder.log" 2>&1 &
variants=("--dropout 0.1 --weight-decay 0.01 --batch 32" "--dropout 0.2 --weight-decay 0.05 --batch 32"
          "--dropout 0.3 --weight-decay 0.1 --batch 32" "--dropout 0.2 --weight-decay 0.05 --batch 64 --max-lr 1e-3")
for i in 0 1 2 3; do
  mkdir -p /tmp/s$i && ln -sf /tmp/fw/train /tmp/fw/val /tmp/s$i/
  python3 Training/train_sampler.py --data /tmp/s$i --device cuda --codec-step "$STEP" --steps 1000000 --save-every 100000 \
    --minutes "$MINUTES" --eval-every 500 ${variants[$i]} >/tmp/s$i.log 2>&1 &
done
wait
source "$(dirname "$0")/collect.sh"
collect "${variants[@]}"
