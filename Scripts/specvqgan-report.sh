#!/usr/bin/env bash
# SpecVQGAN on the FoleyWorld test split next to the reference rows → Reports/specvqgan.{md,json}.
# Rows: the codec+vocoder floor (the clips' own audio through the codec and vocoder) and
# generation at Top-X 16, 64 and all (seed 1, temperature 1, CFG 1, 4 candidates ranked by the picture's hits),
# Top-X 64 with one candidate (no ranking), at CFG scale 2 with one candidate and with four (the defaults), and the floor
# and the defaults rendered by the draft vocoder, and the floor and the defaults without the mel envelope match (raw). A row whose JSON is newer than its takes is not
# evaluated again. Needs `make reference-report` first. TABLE_ONLY=1 writes the table from the
# rows measured so far.
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
  if [ ! -f "$work/$name.json" ] || [ -n "$(find "$work/$name" -newer "$work/$name.json" -name '*.wav' | head -n 1)" ]; then
    $foley eval "$work/$name" --split "$corpus/test" --label "$label" --json "$work/$name.json" | tail -n 1
  fi
}
if [ "${TABLE_ONLY:-0}" != 1 ]; then
  row codec-vocoder-floor codec+vocoder --reconstruct
  for x in 16 64 "$codes"; do row "top-x-$x" "specvqgan X=$x" --top-x "$x" --cfg-scale 1; done
  row top-x-64-c1 "specvqgan X=64, 1 candidate" --top-x 64 --candidates 1 --cfg-scale 1
  row top-x-64-cfg2 "specvqgan X=64 CFG 2, 1 candidate" --top-x 64 --cfg-scale 2 --candidates 1
  row top-x-64-cfg2-c4 "specvqgan X=64 CFG 2" --top-x 64 --cfg-scale 2
  row codec-draft-floor "codec+draft vocoder" --reconstruct --draft
  row top-x-64-draft "specvqgan X=64, draft" --top-x 64 --draft --cfg-scale 1
  row codec-raw-floor "codec+vocoder, raw" --reconstruct --vocoder melgan-raw
  row top-x-64-raw "specvqgan X=64, raw vocoder" --top-x 64 --vocoder melgan-raw --cfg-scale 1
fi
/usr/bin/python3 - "$work" "$codes" <<'PY'
import json, sys, os, time
sys.path.insert(0, "Scripts")
import eval_table
work, codes = sys.argv[1], sys.argv[2]
ref = json.load(open("Reports/foleyworld-reference.json"))
names = (["codec-vocoder-floor"] + [f"top-x-{x}" for x in ("16", "64", codes)] + ["top-x-64-c1", "top-x-64-cfg2", "top-x-64-cfg2-c4"]
         + ["codec-draft-floor", "top-x-64-draft", "codec-raw-floor", "top-x-64-raw"])
missing = [n for n in names if not os.path.exists(os.path.join(work, n + ".json"))]
names = [n for n in names if n not in missing]
rows = ref + [json.load(open(os.path.join(work, n + ".json"))) for n in names]
times = {n: open(os.path.join(work, n + ".time")).read().strip() for n in names if os.path.exists(os.path.join(work, n + ".time"))}
card = open("Weights/specvqgan/card.md").read()
lines = ["# SpecVQGAN on the FoleyWorld test split", "",
         f"Measured {time.strftime('%Y-%m-%d')} with `Scripts/specvqgan-report.sh` ({rows[0]['clips']} test clips, whole clips "
         "generated window by window as in the workstation; seed 1, temperature 1; Weights/specvqgan).", "",
         *eval_table.HEADER, *map(eval_table.row, rows)]
lines += ["", "- ground-truth, griffin-lim, retrieval: the reference rows (Reports/foleyworld-reference.md).",
          "- codec+vocoder: each clip's own audio → mel → codec tokens → mel → multi-band MelGAN → mel envelope match",
          "  (each STFT frame of the vocoder's output scaled per mel band to the decoded mel, phase kept): the floor",
          "  generation starts from.",
          f"- specvqgan X=…: generated from the video alone at Top-X 16, 64 and all {codes} codes, temperature 1, CFG 1 unless",
          "  the label says CFG 2 (classifier-free guidance at scale 2: the shipped default, so the row \"X=64 CFG 2\" is the",
          "  workstation's defaults), and 4 candidates per window where the visual onset head sees hits, the best-synced",
          "  kept (1 candidate: no ranking).",
          "- draft: the same tokens rendered by the bundle's draft vocoder (multi-band, 32 channels, 3 residual blocks per",
          "  stage: a third of the vocoder's multiply-adds), the Draft parameter for fast auditioning; the floor row likewise.",
          "- raw: the same without the envelope match (`--vocoder melgan-raw`). Every metric here is computed on mels,",
          "  so a renderer that reproduces the decoded mel exactly scores as if it were perfect (Griffin-Lim scores",
          "  FD 0.11 on the true mel), phase artefacts unheard; the match brings the neural vocoder's mel onto the",
          "  decoded one, and what remains between the rows is judged by ear.",
          *([f"- Not measured in this run: {', '.join(missing)}."] if missing else []),
          "- Caveat (as in the reference report): class accuracy favours audio made of training-split recordings, and the",
          "  codec's perceptual loss was computed on the evaluation classifier's activations, which flatters this row's",
          "  class accuracy and IS a little. Retrieval's class accuracy is out of reach for a generator that makes new",
          "  sound: it scores above ground truth itself; the codec+vocoder row (the true sound through this codec) is",
          "  the practical ceiling for this generator.", ""]
lines += eval_table.per_class_section(rows)
if times:
    lines += ["Generation time (release build, including the visual features; rows that ran side by side on the",
              "2-vCPU machine read slower; a row resumed after an interruption times only the clips of its last run;",
              "`make bench` has the single-run figure):", ""]
    lines += [f"- {n}: {t}" for n, t in times.items()] + [""]
open("Reports/specvqgan.md", "w").write("\n".join(lines))
json.dump(rows, open("Reports/specvqgan.json", "w"), indent=1)
print("\n".join(lines))
PY
