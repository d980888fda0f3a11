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
/usr/bin/python3 - "$work" "$rows" "$corpus" <<'PY'
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
lines = ["# FoleyWorld 2 test split: the FoleyWorld 1 bundle (before retraining)", "",
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
          "| row | FoleyWorld 1 classes | new classes |", "|---|---|---|"]
for r in rows:
    by = r.get("classAccuracyByClass", {})
    old = [v for c, v in by.items() if c in CLASSES_1]
    new = [v for c, v in by.items() if c not in CLASSES_1]
    avg = lambda xs: f"{100 * sum(xs) / len(xs):.1f}% ({len(xs)} classes)" if xs else "—"
    lines.append(f"| {r['label']} | {avg(old)} | {avg(new)} |")
for k in kinds:
    t = os.path.join(work, k + ".time")
    if os.path.exists(t):
        lines += ["", f"{k}: `{open(t).read().strip()}`"]
open("Reports/foleyworld2-before.md", "w").write("\n".join(lines) + "\n")
json.dump({"rows": rows, "encoders": enc}, open("Reports/foleyworld2-before.json", "w"), indent=1)
print("wrote Reports/foleyworld2-before.md")
PY
