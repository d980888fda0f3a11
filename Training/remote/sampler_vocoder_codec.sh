#!/usr/bin/env bash
# On a lent GPU machine, the second round: unpack gpu/c3 (visual features, token caches of the
# codec at STEP and of its mels shifted by 4, 8 and 12 frames, the codec and vocoder as float16,
# some train audio), then side by side for MINUTES: four sampler variants trained on all four
# token sets, and the vocoder fine-tuned partly on codec-decoded mels (--codec).
set -uo pipefail
MINUTES=${MINUTES:-7}
STEP=${STEP:?codec step of the token caches}
export PYTHONUNBUFFERED=1
python3 Training/remote_pack.py unpack gpu/c3 /tmp/fw || exit 1
mkdir -p /tmp/voc && ln -sf /tmp/fw/audio/train /tmp/voc/train && cp gpu/c3/vocoder.ckpt gpu/c3/codec.ckpt /tmp/voc/
python3 Training/train_vocoder.py --data /tmp/voc --device cuda --steps 1000000 --save-every 5000 --minutes "$MINUTES" \
  --disc-start 0 --batch 16 --codec /tmp/voc/codec.ckpt --codec-share 0.5 >"$OUT/vocoder.log" 2>&1 &
variants=("--dropout 0.3 --weight-decay 0.1" "--dropout 0.4 --weight-decay 0.1" "--dropout 0.2 --weight-decay 0.05"
          "--dropout 0.3 --weight-decay 0.1 --max-lr 3e-4")
for i in 0 1 2 3; do
  mkdir -p /tmp/s$i && ln -sf /tmp/fw/train /tmp/fw/val /tmp/s$i/
  python3 Training/train_sampler.py --data /tmp/s$i --device cuda --codec-step "$STEP" --shifts 4 8 12 --steps 1000000 \
    --save-every 100000 --batch 32 --minutes "$MINUTES" --eval-every 500 ${variants[$i]} >/tmp/s$i.log 2>&1 &
done
wait
source "$(dirname "$0")/collect.sh"
collect "${variants[@]}"
