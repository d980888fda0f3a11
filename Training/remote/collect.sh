# Sourced by the lent-machine jobs once their runs have ended: picks the sampler variant with
# the lowest validation cross-entropy (logs /tmp/s$i.log, checkpoints /tmp/s$i/sampler-best.ckpt),
# and leaves it, the vocoder (float16, from /tmp/voc, when one was trained) and every log in $OUT.
# Usage: collect "${variants[@]}"
collect() {
  local variants=("$@") best=0 bestce=99 i ce
  for i in "${!variants[@]}"; do
    ce=$(grep -o 'val cross-entropy [0-9.]*' /tmp/s$i.log | awk '{print $3}' | sort -n | head -1)
    echo "variant $i (${variants[$i]}): best val cross-entropy $ce" | tee -a "$OUT/sampler.log"
    if python3 -c "import sys; sys.exit(0 if float('${ce:-99}') < $bestce else 1)"; then best=$i; bestce=$ce; fi
  done
  for i in "${!variants[@]}"; do echo "== variant $i: ${variants[$i]}"; cat /tmp/s$i.log; done >>"$OUT/sampler.log"
  echo "chosen: variant $best ($bestce)" | tee -a "$OUT/sampler.log"
  cp /tmp/s$best/sampler-best.ckpt "$OUT/sampler-best.ckpt"
  [ -f /tmp/voc/vocoder.ckpt ] && python3 - <<'PY'
import os, torch
s = torch.load("/tmp/voc/vocoder.ckpt", map_location="cpu")
torch.save({"gen": {k: v.half() for k, v in s["gen"].items()}, "disc": {k: v.half() for k, v in s["disc"].items()},
            "step": s["step"]}, os.path.join(os.environ["OUT"], "vocoder.ckpt"))
PY
  [ -f "$OUT/vocoder.log" ] && tail -n 3 "$OUT/vocoder.log"
  ls -la "$OUT"
}
