#!/usr/bin/env bash
# SpecVQGAN on the FoleyWorld test split next to the reference rows → Reports/specvqgan.{md,json}.
# Rows (most telling first): the defaults (Top-X 64, CFG 2, 4 candidates ranked by the picture's hits), CFG 1,
# one candidate (no ranking), CFG 2 with one candidate, the raw vocoder (no envelope match), the draft vocoder and
# their floors, Top-X 16 and all; seed 1, temperature 1. The codec floor is a reference row (reference-report.sh).
# A row whose JSON is newer than its takes is not evaluated again. Needs `make reference-report` first.
# TABLE_ONLY=1 writes the table from the rows measured so far.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-data/foleyworld}
work=$(dirname "$corpus")/specvqgan-eval
foley=.build/release/foley
codes=$(/usr/bin/python3 -c "import json; print(json.load(open('Weights/specvqgan/config.json'))['codec']['n_embed'])")
mkdir -p Reports "$work"
# row NAME LABEL GENERATE-OPTIONS…: the takes (resumed), then their evaluation when missing or stale.
row() {
  local name=$1 label=$2
  shift 2
  if [ "$1" = --reconstruct ]; then
    $foley generate "$@" "$corpus"/test/*.mp4 -o "$work/$name/" --resume
  else
    local timing
    timing=$($foley generate --temperature 1 --seed 1 "$@" "$corpus"/test/*.mp4 -o "$work/$name/" --resume 2>&1 | tail -n 1)
    echo "$timing"
    case $timing in *"generated 0.0 s"*) ;; *) echo "$timing" >"$work/$name.time" ;; esac   # a finished row keeps its time
  fi
  # foley eval itself reuses per-clip scores only when the evaluation and the takes are unchanged.
  if [ ! -f "$work/$name.json" ] || ! grep -q '"metrics"' "$work/$name.json" || [ -n "$(find "$work/$name" -newer "$work/$name.json" -name '*.wav' | head -n 1)" ]; then
    $foley eval "$work/$name" --split "$corpus/test" --label "$label" --json "$work/$name.json" | tail -n 1
  fi
}
if [ "${TABLE_ONLY:-0}" != 1 ]; then
  # Most telling rows first, so an interrupted run still has them.
  row top-x-64-cfg2-c4 "specvqgan X=64 CFG 2" --top-x 64 --cfg-scale 2
  row top-x-64 "specvqgan X=64" --top-x 64 --cfg-scale 1
  row top-x-64-c1 "specvqgan X=64, 1 candidate" --top-x 64 --candidates 1 --cfg-scale 1
  row top-x-64-cfg2 "specvqgan X=64 CFG 2, 1 candidate" --top-x 64 --cfg-scale 2 --candidates 1
  row top-x-64-raw "specvqgan X=64, raw vocoder" --top-x 64 --vocoder melgan-raw --cfg-scale 1
  row top-x-64-draft "specvqgan X=64, draft" --top-x 64 --draft --cfg-scale 1
  row codec-draft-floor "codec+draft vocoder" --reconstruct --draft
  row codec-raw-floor "codec+vocoder, raw" --reconstruct --vocoder melgan-raw
  for x in 16 "$codes"; do row "top-x-$x" "specvqgan X=$x" --top-x "$x" --cfg-scale 1; done
  compare() {
    rm -f "$work/compare-$3.txt"
    [ -d "$1" ] && [ -d "$2" ] || { echo "compare $3: $1 or $2 missing, skipped" >&2; return 0; }
    if $foley eval --compare "$1" "$2" --split "$corpus/test" >"$work/compare-$3.tmp"; then mv "$work/compare-$3.tmp" "$work/compare-$3.txt"
    else echo "compare $3 failed" >&2; rm -f "$work/compare-$3.tmp"; fi
  }
  ref=$(dirname "$corpus")/reference
  compare "$ref/retrieval" "$work/top-x-64-cfg2-c4" retrieval-defaults
  compare "$work/top-x-64" "$work/top-x-64-cfg2-c4" cfg1-cfg2
  compare "$work/top-x-64-c1" "$work/top-x-64" c1-c4
  compare "$work/top-x-64-raw" "$work/top-x-64" raw-matched
  compare "$work/top-x-64" "$work/top-x-64-draft" vocoder-draft
fi
/usr/bin/python3 - "$work" "$codes" <<'PY'
import json, sys, os, time
sys.path.insert(0, "Scripts")
import eval_table
work, codes = sys.argv[1], sys.argv[2]
ref = json.load(open("Reports/foleyworld-reference.json"))
names = (["top-x-64-cfg2-c4", "top-x-64", "top-x-64-c1", "top-x-64-cfg2", "top-x-64-raw", "top-x-64-draft",
          "codec-draft-floor", "codec-raw-floor", "top-x-16", f"top-x-{codes}"])
missing = [n for n in names if not os.path.exists(os.path.join(work, n + ".json"))]
names = [n for n in names if n not in missing]
rows = ref + [json.load(open(os.path.join(work, n + ".json"))) for n in names]
times = {n: open(os.path.join(work, n + ".time")).read().strip() for n in names if os.path.exists(os.path.join(work, n + ".time"))}
compares = [(f, open(os.path.join(work, f"compare-{f}.txt")).read().rstrip())
            for f in ("retrieval-defaults", "cfg1-cfg2", "c1-c4", "raw-matched", "vocoder-draft") if os.path.exists(os.path.join(work, f"compare-{f}.txt"))]
lines = ["# SpecVQGAN on the FoleyWorld test split", "",
         f"Measured {time.strftime('%Y-%m-%d')} with `Scripts/specvqgan-report.sh` ({rows[0]['clips']} test clips, whole clips "
         "generated window by window as in the workstation; seed 1, temperature 1; Weights/specvqgan).", "",
         *eval_table.tables(rows)]
lines += ["- ground-truth … shuffled: the reference rows (Reports/foleyworld-reference.md, where the metrics are defined).",
          "- codec-floor: each clip's own audio → mel → codec tokens → mel → multi-band MelGAN → mel envelope match",
          "  (each STFT frame of the vocoder's output scaled per mel band to the decoded mel, phase kept).",
          f"- specvqgan X=…: generated from the video alone at Top-X 16, 64 and all {codes} codes, temperature 1, CFG 1 unless",
          "  the label says CFG 2 (classifier-free guidance at scale 2: the shipped default, so \"X=64 CFG 2\" is the",
          "  workstation's defaults), and 4 candidates per window where the visual onset head sees hits, the one whose",
          "  spectral-flux onsets meet them best kept (1 candidate: no ranking).",
          "- draft: the same tokens rendered by the bundle's draft vocoder; raw: without the envelope match.",
          *([f"- Not measured in this run: {', '.join(missing)}."] if missing else []),
          "- Which rows the old evaluation flattered: the codec's perceptual loss was computed on the mel classifier's",
          "  activations (Weights/eval-classifier), so every row that passes through the codec (codec-floor and every",
          "  specvqgan row) is flattered on FD_mel, KL_mel, IS_mel and class_mel. The headline metrics use networks no",
          "  generator was trained or ranked against. The candidate ranking maximises agreement of the spectral-flux",
          "  onsets with the picture's hits, so flux R / P flatter the 4-candidate rows; onset R / P / F1 come from the",
          "  independent detector.", ""]
for name, c in compares:
    lines += [f"Paired comparison `{name}` (`foley eval --compare A B`):", "", "```", c, "```", ""]
lines += eval_table.per_class_section(rows)
if times:
    lines += ["Generation time (release build, including the visual features; rows that ran side by side on the",
              "2-vCPU machine read slower; `make bench` has the single-run figure):", ""]
    lines += [f"- {n}: {t}" for n, t in times.items()] + [""]
open("Reports/specvqgan.md", "w").write("\n".join(lines))
json.dump(rows, open("Reports/specvqgan.json", "w"), indent=1)
print("\n".join(lines))
PY
