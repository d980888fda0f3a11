#!/usr/bin/env bash
# The shipped models (trained on FoleyWorld 1) on FoleyWorld 2's test split: issue 20's "before"
# rows, for the after rows once they are retrained → Reports/foleyworld2-before.{md,json}.
# Rows: ground truth (what the metrics give the real sound), SpecVQGAN and FRIEREN with their
# defaults (44.1 kHz takes through the full-band renderer, seed 1), and the visual encoder's
# retrieval and the sync judge's accuracy (Training/eval_encoders.py). Resumable by row.
# Needs the split: build.py build --corpus 2 --split test --count 500 --seed 1.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-data/foleyworld2}
work=$(dirname "$corpus")/fw2-before
foley=.build/release/foley
mkdir -p Reports "$work"
rows="ground-truth specvqgan frieren"
for kind in $rows; do
  if [ ! -d "$work/$kind" ]; then
    # Written whole or not at all: an interrupted row leaves only $kind.tmp, redone next time.
    rm -rf "$work/$kind.tmp"
    case $kind in
      ground-truth) $foley reference ground-truth --split "$corpus/test" --out "$work/$kind.tmp" ;;
      *) $foley generate --generator "$kind" --seed 1 "$corpus"/test/*.mp4 -o "$work/$kind.tmp/" 2>&1 | tail -n 1 | tee "$work/$kind.time" ;;
    esac
    mv "$work/$kind.tmp" "$work/$kind"
  fi
  [ -f "$work/$kind.json" ] || $foley eval "$work/$kind" --split "$corpus/test" --label "$kind (FoleyWorld 1 bundle)" --json "$work/$kind.json" | tail -n 2
done
[ -f "$work/encoders.json" ] || OMP_NUM_THREADS=1 /usr/bin/python3 Training/eval_encoders.py --data "$corpus/test" --json "$work/encoders.json"
# The same takes scored again by the yardstick retrained on FoleyWorld 2 (make train-yardstick2),
# whose class probe knows all 33 classes, and that set's encoders (the encoder's "after" row).
fw2=Weights/foleyworld2
# The after row: SpecVQGAN with the sampler and onset head retrained on FoleyWorld 2 (make
# train-specvqgan2), the same seed and clips, and its paired comparison with the before row.
fw2rows=$rows
if [ -f "$fw2/eval-classifier/weights.safetensors" ]; then
  if [ -f "$fw2/specvqgan/weights.safetensors" ]; then
    fw2rows="$rows specvqgan-fw2"
    if [ ! -d "$work/specvqgan-fw2" ]; then
      rm -rf "$work/specvqgan-fw2.tmp"
      FOLEY_WEIGHTS=$fw2 $foley generate --generator specvqgan --seed 1 "$corpus"/test/*.mp4 -o "$work/specvqgan-fw2.tmp/" 2>&1 \
        | tail -n 1 | tee "$work/specvqgan-fw2.time"
      mv "$work/specvqgan-fw2.tmp" "$work/specvqgan-fw2"
    fi
  fi
  for kind in $fw2rows; do
    [ -f "$work/$kind.fw2.json" ] || FOLEY_WEIGHTS=$fw2 $foley eval "$work/$kind" --split "$corpus/test" \
      --label "$kind ($([ $kind = specvqgan-fw2 ] && echo FoleyWorld 2 sampler and onsets || echo FoleyWorld 1 bundle), FoleyWorld 2 yardstick)" \
      --json "$work/$kind.fw2.json" | tail -n 2
  done
  if [ -d "$work/specvqgan-fw2" ] && [ ! -f "$work/specvqgan-compare.txt" ]; then
    FOLEY_WEIGHTS=$fw2 $foley eval --compare "$work/specvqgan" "$work/specvqgan-fw2" --split "$corpus/test" > "$work/specvqgan-compare.txt.tmp"
    mv "$work/specvqgan-compare.txt.tmp" "$work/specvqgan-compare.txt"
  fi
  [ -f "$work/encoders-fw2.json" ] || OMP_NUM_THREADS=1 /usr/bin/python3 Training/eval_encoders.py --data "$corpus/test" \
    --weights "$fw2" --trials 1000 --json "$work/encoders-fw2.json"
fi
/usr/bin/python3 - "$work" "$rows" "$corpus" "$fw2rows" <<'PY'
import json, os, sys, time
sys.path.insert(0, "Scripts")
import eval_table
work, kinds, corpus = sys.argv[1], sys.argv[2].split(), sys.argv[3]
rows = [json.load(open(os.path.join(work, k + ".json"))) for k in kinds if os.path.exists(os.path.join(work, k + ".json"))]
enc = json.load(open(os.path.join(work, "encoders.json")))
# The same bundle on FoleyWorld 1's test split, as measured for the reports named (same evaluation, 200 clips).
fw1 = []
for report, label in (("Reports/foleyworld-reference.json", "ground-truth"), ("Reports/fullband.json", "specvqgan-today"),
                      ("Reports/fullband.json", "frieren-today")):
    for r in json.load(open(report)):
        if r["label"] == label:
            fw1.append({**r, "label": f"{label.replace('-today', '')} on FoleyWorld 1 test ({os.path.basename(report)})"})
pct = lambda v, ci: f"{100 * v:.1f}% ({100 * ci[0]:.1f}–{100 * ci[1]:.1f})"
lines = ["# FoleyWorld 2 test split: the FoleyWorld 1 bundle before retraining, and what is retrained so far", "",
         f"Measured {time.strftime('%Y-%m-%d')} with `Scripts/foleyworld2-before.sh` on {rows[0]['clips'] if rows else '?'} clips of "
         "FoleyWorld 2's test split (seed 1: 33 classes, photographs, moving cameras, 10–60 fps and variable rates), "
         "every shipped model as trained on FoleyWorld 1 (12 classes, flat drawings). Intervals: 95% bootstrap over clips "
         "(metrics), Wilson over trials (encoders). These are the rows a bundle retrained on FoleyWorld 2 must beat on the same clips. "
         "FD and KL are measured against each split's own truth: compare rows within a split, not across. SpecVQGAN and FRIEREN "
         "were generated at the same time (one core each), so their times are comparable with each other only.", "",
         *eval_table.tables(rows + fw1), "",
         "## Visual encoder and sync judge", "",
         "| measure | FoleyWorld 2 test | card (FoleyWorld 1 test) |", "|---|---|---|",
         f"| retrieval (1 of 10, incl. ±0.5 s shifts; chance 10%) | {pct(enc['retrieval'], enc['retrieval_ci'])} ({enc['retrieval_trials']} trials) | 48.0% (200 trials) |",
         f"| sync (aligned vs ≥ 0.5 s shifted) | {pct(enc['sync'], enc['sync_ci'])} ({enc['sync_windows']} windows) | 68.0% |"]
sys.path.insert(0, "Training")
from corpus.rules import CLASSES_1
lines += ["", "## Class accuracy by kind of class", "",
          "The probe's accuracy per true class, averaged over FoleyWorld 1's classes and over the classes FoleyWorld 2 adds "
          "(the probe itself knows only FoleyWorld 1's twelve, so the second column is 0 by construction for every row: "
          "it says the yardstick, too, must be retrained before it can score the new classes).", "",
          ""]


def by_kind(rows):
    """Class accuracy averaged over FoleyWorld 1's classes and over the ones FoleyWorld 2 adds."""
    avg = lambda xs: f"{100 * sum(xs) / len(xs):.1f}% ({len(xs)} classes)" if xs else "—"  # noqa: E731
    out = ["| row | FoleyWorld 1 classes | new classes |", "|---|---|---|"]
    for r in rows:
        by = r.get("classAccuracyByClass", {})
        out.append(f"| {r['label']} | {avg([v for c, v in by.items() if c in CLASSES_1])} | "
                   f"{avg([v for c, v in by.items() if c not in CLASSES_1])} |")
    return out


lines += by_kind(rows)
fw2_kinds = sys.argv[4].split()
fw2_rows = [json.load(open(os.path.join(work, k + ".fw2.json"))) for k in fw2_kinds if os.path.exists(os.path.join(work, k + ".fw2.json"))]
enc2_path = os.path.join(work, "encoders-fw2.json")
if fw2_rows or os.path.exists(enc2_path):
    lines += ["", "## Scored by the yardstick retrained on FoleyWorld 2", "",
              "The same takes and truth scored by `Weights/foleyworld2` (visual encoder and sync judge fine-tuned on "
              "FoleyWorld 2's 1000 training clips from FoleyWorld 1's, seeing whole frames; evaluation classifier and class "
              "probe trained on its 33 classes; `make train-yardstick2`). Class accuracy now covers the new classes; "
              "FD, KL and onsets do not depend on the retrained networks, sync does (a different judge).", ""]
    if fw2_rows:
        lines += [*eval_table.tables(fw2_rows), *by_kind(fw2_rows)]
        lines += ["", *eval_table.per_class_section(fw2_rows)]
    compare = os.path.join(work, "specvqgan-compare.txt")
    if os.path.exists(compare):
        lines += ["", "SpecVQGAN after (sampler and onset head retrained on FoleyWorld 2's encoder) against before (the FoleyWorld 1 "
                  "bundle), paired by clip (`foley eval --compare`, FoleyWorld 2 yardstick): B − A with its 95% bootstrap interval; "
                  "a difference whose interval holds 0 is no difference.", "", "```", open(compare).read().rstrip(), "```"]
    if os.path.exists(os.path.join(work, "specvqgan-fw2")):
        lines += ["", "`Reports/foleyworld2-specvqgan-spectrograms.png`: 0–22.05 kHz spectrograms of three test clips (a dog, "
                  "footsteps, a hammer; first 4 s), each as truth, before and after."]
    if os.path.exists(enc2_path):
        e2 = json.load(open(enc2_path))
        lines += ["", "Visual encoder and sync judge, before (FoleyWorld 1's) and after (retrained), on the same test clips "
                  "(the after row's trials are drawn with the same seed):", "",
                  "| measure | before (FoleyWorld 1 encoders) | after (FoleyWorld 2 encoders) |", "|---|---|---|",
                  f"| retrieval (1 of 10, chance 10%) | {pct(enc['retrieval'], enc['retrieval_ci'])} | {pct(e2['retrieval'], e2['retrieval_ci'])} ({e2['retrieval_trials']} trials) |",
                  f"| sync (aligned vs ≥ 0.5 s shifted) | {pct(enc['sync'], enc['sync_ci'])} | {pct(e2['sync'], e2['sync_ci'])} ({e2['sync_windows']} windows) |"]
for k in fw2_kinds:
    t = os.path.join(work, k + ".time")
    if os.path.exists(t):
        lines += ["", f"{k}: `{open(t).read().strip()}`"]
open("Reports/foleyworld2-before.md", "w").write("\n".join(lines) + "\n")
json.dump({"rows": rows, "encoders": enc, "rows_fw2_yardstick": fw2_rows,
           "encoders_fw2": json.load(open(enc2_path)) if os.path.exists(enc2_path) else None}, open("Reports/foleyworld2-before.json", "w"), indent=1)
print("wrote Reports/foleyworld2-before.md")
PY
if [ -d "$work/specvqgan-fw2" ]; then
  /usr/bin/python3 Scripts/spectrograms.py -o Reports/foleyworld2-specvqgan-spectrograms.png --clips test-00000 test-00006 test-00030 \
    --source truth="$corpus/test" --source before="$work/specvqgan" --source after="$work/specvqgan-fw2" \
    --seconds 4 --full-band --suffix truth=.44k.wav
fi
