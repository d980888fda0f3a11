#!/usr/bin/env bash
# FRIEREN on the FoleyWorld test split → Reports/frieren.{md,json}: its VAE floor (true audio →
# VAE → vocoder), 25-step Euler (the defaults), Dopri5, reflow at 5 steps and the 1-step model
# (the variants the bundle has), next to the reference rows and SpecVQGAN's defaults, with paired
# comparisons. Needs `make reference-report` and SpecVQGAN's default row
# (data/specvqgan-eval/top-x-64-cfg2-c4, from `make specvqgan-report`). Rows already evaluated are kept.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-data/foleyworld}
work=$(dirname "$corpus")/frieren-eval
spec=$(dirname "$corpus")/specvqgan-eval
ref=$(dirname "$corpus")/reference
foley=.build/release/foley
mkdir -p Reports "$work"
variants=$(/usr/bin/python3 -c 'import json; print(" ".join(json.load(open("Weights/frieren/config.json"))["variants"]))')
tests=("$corpus"/test/*.mp4); clips50=("${tests[@]:0:50}")   # no `ls | head`: pipefail would stop the script
row() {  # name label args…   (CLIPS=50: the first 50 test clips only)
  local name=$1 label=$2 out="$work/$1"; shift 2
  local clips=("${tests[@]}"); [ "${CLIPS:-}" = 50 ] && clips=("${clips50[@]}")
  timing=$($foley generate --generator frieren --seed 1 "$@" "${clips[@]}" -o "$out/" --resume 2>&1 | tail -n 1)
  case $timing in *"generated 0.0 s"*) ;; *) echo "$timing" >"$out.time" ;; esac
  if [ ! -f "$out.json" ] || [ -n "$(find "$out" -newer "$out.json" -name '*.wav' | head -n 1)" ]; then
    $foley eval "$out" --split "$corpus/test" --label "$label" --json "$out.json" | tail -n 1
  fi
}
# The CFG sweep on the first 50 validation clips (the test split is not used to pick the default).
vals=("$corpus"/val/*.mp4); vals50=("${vals[@]:0:50}")
for s in ${SWEEP:-2 3 4.5 6}; do
  out="$work/val-cfg-$s"
  $foley generate --generator frieren --seed 1 --cfg-scale "$s" "${vals50[@]}" -o "$out/" --resume 2>&1 | tail -n 1
  [ -f "$out.json" ] || $foley eval "$out" --split "$corpus/val" --label "val CFG $s" --json "$out.json" | tail -n 1
done
row vae-floor "frieren VAE floor" --reconstruct
row euler-25 "frieren Euler 25"
CLIPS=50 row dopri5 "frieren Dopri5 1e-3 (50 clips)" --set solver=dopri5     # 3–4× Euler's cost: the first 50 clips
case " $variants " in *" reflow "*) row reflow-5 "frieren reflow Euler 5" --set variant=reflow --set steps=5 ;; esac
case " $variants " in *" onestep "*) row onestep "frieren 1-step" --set variant=onestep ;; esac
# Inpainting: the middle second of the first 50 test clips regenerated with both sides kept, against
# SpecVQGAN's inpainting of the same spans at its defaults (data/inpaint/specvqgan, made here once).
$foley generate --generator frieren --seed 1 --inpaint-middle 1 "${clips50[@]}" -o "$work/inpaint/" --resume 2>&1 | tail -n 1
base=$(dirname "$corpus")/inpaint/specvqgan
$foley generate --temperature 1 --seed 1 --top-x 64 --cfg-scale 2 --inpaint-middle 1 "${clips50[@]}" -o "$base/" --resume 2>&1 | tail -n 1
$foley inpaint-study "$base" "$work/inpaint" --split "$corpus/test" --span 1 >"$work/inpaint-study.txt"
compare() {  # A B name
  local out="$work/compare-$3.txt"
  if [ -d "$1" ] && [ -d "$2" ] && { [ ! -s "$out" ] || [ "$2.json" -nt "$out" ] || [ "$1.json" -nt "$out" ]; }; then
    $foley eval --compare "$1" "$2" --split "$corpus/test" >"$out" || true
  fi
}
compare "$ref/retrieval" "$work/euler-25" retrieval
compare "$spec/top-x-64-cfg2-c4" "$work/euler-25" specvqgan
compare "$work/euler-25" "$work/onestep" onestep
compare "$work/euler-25" "$work/reflow-5" reflow
compare "$work/euler-25" "$work/dopri5" dopri5
/usr/bin/python3 - "$work" "$spec" <<'PY'
import json, os, sys, time
sys.path.insert(0, "Scripts")
import eval_table
work, spec = sys.argv[1], sys.argv[2]
names = ["vae-floor", "euler-25", "dopri5", "reflow-5", "onestep"]
rows = json.load(open("Reports/foleyworld-reference.json"))
if os.path.exists(os.path.join(spec, "top-x-64-cfg2-c4.json")):
    rows += [json.load(open(os.path.join(spec, "top-x-64-cfg2-c4.json")))]
if os.path.exists("Reports/visual-echoes.json"):                 # its row as reported (Reports/visual-echoes.md)
    rows += [r for r in json.load(open("Reports/visual-echoes.json")) if r["label"].startswith("visual-echoes")]
rows += [json.load(open(os.path.join(work, n + ".json"))) for n in names if os.path.exists(os.path.join(work, n + ".json"))]
lines = ["# FRIEREN on the FoleyWorld test split", "",
         f"Measured {time.strftime('%Y-%m-%d')} with `Scripts/frieren-report.sh` (whole clips generated window by window as in",
         "the workstation; seed 1, CFG 4.5; Weights/frieren, demo scale: see its card). The VAE floor is the clip's own",
         "audio through the VAE and the shared renderer (`foley generate --reconstruct`).", "", *eval_table.tables(rows)]
for name, what in [("retrieval", "retrieval, B = Euler 25"), ("specvqgan", "SpecVQGAN's defaults, B = Euler 25"),
                   ("dopri5", "Euler 25, B = Dopri5"), ("reflow", "Euler 25, B = reflow at 5 steps"), ("onestep", "Euler 25, B = 1-step")]:
    p = os.path.join(work, f"compare-{name}.txt")
    if os.path.exists(p) and os.path.getsize(p):
        lines += [f"Paired comparison, A = {what} (`foley eval --compare A B`):", "", "```", open(p).read().rstrip(), "```", ""]
sweep = sorted((float(f[8:-5]), json.load(open(os.path.join(work, f)))) for f in os.listdir(work) if f.startswith("val-cfg-") and f.endswith(".json"))
if sweep:
    lines += ["CFG sweep on the first 50 validation clips (25-step Euler, seed 1), which picks the default:", "",
              *eval_table.tables([r for _, r in sweep]), ""]
p = os.path.join(work, "inpaint-study.txt")
if os.path.exists(p):
    lines += ["Inpainting: the middle second of the first 50 test clips, both sides kept (`foley generate --inpaint-middle 1`,",
              "then `foley inpaint-study A B`; A = SpecVQGAN's inpainting of the same spans, B = FRIEREN Euler 25):", "",
              "```", open(p).read().rstrip(), "```", ""]
times = [(n, open(os.path.join(work, n + ".time")).read().strip()) for n in names if os.path.exists(os.path.join(work, n + ".time"))]
if times:
    lines += ["Generation time (release build, one core, including the visual features):", ""] + [f"- {n}: {t}" for n, t in times] + [""]
open("Reports/frieren.md", "w").write("\n".join(lines))
json.dump(rows, open("Reports/frieren.json", "w"), indent=1)
print("\n".join(lines))
PY
