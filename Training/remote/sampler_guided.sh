#!/usr/bin/env bash
# On a lent GPU machine: unpack gpu/c4 (visual features and the token caches of the codec at
# STEP and of its mels shifted by 4, 8 and 12 frames), then side by side for MINUTES: four
# sampler variants trained for classifier-free guidance (--uncond, a share of windows without
# their picture). Leaves the best validation checkpoint and the logs in $OUT.
set -uo pipefail
MINUTES=${MINUTES:-7}
STEP=${STEP:?codec step of the token caches}
export PYTHONUNBUFFERED=1
python3 Training/remote_pack.py unpack gpu/c4 /tmp/fw || exit 1
variants=("--dropout 0.3 --weight-decay 0.1 --uncond 0.1" "--dropout 0.3 --weight-decay 0.1 --uncond 0.2"
          "--dropout 0.4 --weight-decay 0.1 --uncond 0.2" "--dropout 0.3 --weight-decay 0.1 --uncond 0.3")
for i in 0 1 2 3; do
  mkdir -p /tmp/s$i && ln -sf /tmp/fw/train /tmp/fw/val /tmp/s$i/
  python3 Training/train_sampler.py --data /tmp/s$i --device cuda --codec-step "$STEP" --shifts 4 8 12 --steps 1000000 \
    --save-every 100000 --batch 32 --minutes "$MINUTES" --eval-every 250 ${variants[$i]} >/tmp/s$i.log 2>&1 &
done
wait
source "$(dirname "$0")/collect.sh"
collect "${variants[@]}"
