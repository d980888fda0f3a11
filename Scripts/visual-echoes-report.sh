#!/usr/bin/env bash
# Visual Echoes on the FoleyWorld test split at N ∈ {30 (default), 16, 8} next to the reference rows and
# SpecVQGAN's defaults → Reports/visual-echoes.{md,json}. Needs `make reference-report` and `make specvqgan-report`.
# Rows already evaluated (JSON newer than their takes) are kept. ROWS="8" measures fewer step counts (the first is compared).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-data/foleyworld}
work=$(dirname "$corpus")/visual-echoes-eval
spec=$(dirname "$corpus")/specvqgan-eval
ref=$(dirname "$corpus")/reference
foley=.build/release/foley
mkdir -p Reports "$work"
rows=${ROWS:-30 16 8}
first=${rows%% *}
for n in $rows; do
  out="$work/steps-$n"
  timing=$($foley generate --generator visual-echoes --set steps=$n --seed 1 "$corpus"/test/*.mp4 -o "$out/" --resume 2>&1 | tail -n 1)
  case $timing in *"generated 0.0 s"*) ;; *) echo "$timing" >"$out.time" ;; esac
  if [ ! -f "$out.json" ] || [ -n "$(find "$out" -newer "$out.json" -name '*.wav' | head -n 1)" ]; then
    $foley eval "$out" --split "$corpus/test" --label "visual-echoes N=$n" --json "$out.json" | tail -n 1
  fi
done
# Paired comparisons of the first row, unless already made since its evaluation.
for pair in "retrieval:$ref/retrieval" "specvqgan:$spec/top-x-64-cfg2-c4"; do
  name=${pair%%:*} a=${pair#*:} out="$work/compare-$name.txt"
  if [ ! -s "$out" ] || [ "$work/steps-$first.json" -nt "$out" ]; then
    $foley eval --compare "$a" "$work/steps-$first" --split "$corpus/test" >"$out" || true
  fi
done
# Inpainting: the middle second of the first 50 test clips, both sides kept, against SpecVQGAN's
# inpainting of the same spans (data/inpaint/specvqgan, made by Scripts/frieren-report.sh's recipe).
tests=("$corpus"/test/*.mp4); clips50=("${tests[@]:0:50}")   # no `ls | head`: pipefail would stop the script
inpaint=$(dirname "$corpus")/inpaint
$foley generate --generator visual-echoes --seed 1 --inpaint-middle 1 "${clips50[@]}" -o "$inpaint/visual-echoes/" --resume 2>&1 | tail -n 1
if [ -d "$inpaint/specvqgan" ]; then
  $foley inpaint-study "$inpaint/specvqgan" "$inpaint/visual-echoes" --split "$corpus/test" --span 1 >"$work/inpaint-study.txt"
fi
/usr/bin/python3 - "$work" "$spec" $rows <<'PY'
import json, os, sys, time
sys.path.insert(0, "Scripts")
import eval_table
work, spec, steps = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3:]]
rows = json.load(open("Reports/foleyworld-reference.json"))
rows += [json.load(open(os.path.join(spec, "top-x-64-cfg2-c4.json")))]
rows += [json.load(open(os.path.join(work, f"steps-{n}.json"))) for n in steps if os.path.exists(os.path.join(work, f"steps-{n}.json"))]
lines = ["# Visual Echoes on the FoleyWorld test split", "",
         f"Measured {time.strftime('%Y-%m-%d')} with `Scripts/visual-echoes-report.sh` (whole clips generated window by window as in",
         "the workstation; seed 1, T 4.5, CFG 3; Weights/visual-echoes, demo scale: see its card).", "", *eval_table.tables(rows)]
for name in ("retrieval", "specvqgan"):
    p = os.path.join(work, f"compare-{name}.txt")
    if os.path.exists(p):
        lines += [f"Paired comparison against {name} (`foley eval --compare A B`, B = Visual Echoes N={steps[0]}):", "", "```", open(p).read().rstrip(), "```", ""]
p = os.path.join(work, "inpaint-study.txt")
if os.path.exists(p):
    lines += ["Inpainting: the middle second of the first 50 test clips, both sides kept (`foley generate --inpaint-middle 1`,",
              "then `foley inpaint-study A B`; A = SpecVQGAN's left-primed inpainting of the same spans, B = Visual Echoes at",
              "its defaults, N 30):", "", "```", open(p).read().rstrip(), "```", ""]
times = [(n, open(os.path.join(work, f"steps-{n}.time")).read().strip()) for n in steps if os.path.exists(os.path.join(work, f"steps-{n}.time"))]
if times:
    lines += ["Generation time (release build, one core, including the visual inputs):", ""] + [f"- N={n}: {t}" for n, t in times] + [""]
open("Reports/visual-echoes.md", "w").write("\n".join(lines))
json.dump(rows, open("Reports/visual-echoes.json", "w"), indent=1)
print("\n".join(lines))
PY
