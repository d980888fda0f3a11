#!/usr/bin/env bash
# The renderer table of the full-band issue on the FoleyWorld test split, scored against the
# corpus's 44.1 kHz truth (<id>.44k.wav; make corpus writes it), and Reports/fullband.{md,json}.
# Rows: ground truth (44.1 kHz), the working copy (22.05 kHz), band-limited truth, Griffin-Lim,
# the renderer floors (the true mel straight to today's MelGAN, and to the full-band vocoder),
# the codec floors (true audio → SpecVQGAN's codec → today's renderer, and → the full-band
# vocoder), the band-split floor (the shared full-band renderer as the workstation runs it: today's
# floor below 9 kHz, the full-band vocoder's above), shuffled truth, and SpecVQGAN's and FRIEREN's
# takes at their defaults, at the working rate and through the full-band renderer (`foley full-band`
# on the same takes, which is what `foley generate --full-band` does). Resumable: a row already
# scored is kept (rm its .json to redo).
# ROWS="a b" picks rows; TABLE_ONLY=1 rebuilds the tables from the rows measured so far.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-data/foleyworld}
work=$(dirname "$corpus")/fullband-eval
foley=.build/release/foley
split="$corpus/test"
ls "$split"/*.44k.wav >/dev/null 2>&1 || { echo "$split has no full-band truth (<id>.44k.wav): rebuild it with make corpus" >&2; exit 1; }
mkdir -p Reports "$work"
all="ground-truth working-copy band-limited griffin-lim renderer-floor-melgan renderer-floor-fullband codec-floor-today codec-floor-fullband band-split shuffled specvqgan-today specvqgan-fullband frieren-today frieren-fullband"
rows=${ROWS:-$all}
make_row() {
  local kind=$1 out=$2
  case $kind in
    ground-truth|band-limited|griffin-lim|shuffled) $foley reference "$kind" --split "$split" --out "$out" ;;
    working-copy) mkdir -p "$out"; for f in "$split"/*.wav; do case $f in *.44k.wav) ;; *) cp "$f" "$out/";; esac; done ;;
    renderer-floor-melgan) $foley generate --reconstruct --mel-only --vocoder melgan-raw "$split"/*.mp4 -o "$out/" | tail -n 1 ;;
    renderer-floor-fullband) $foley generate --reconstruct --mel-only --full-band "$split"/*.mp4 -o "$out/" | tail -n 1 ;;
    codec-floor-today) $foley generate --reconstruct "$split"/*.mp4 -o "$out/" | tail -n 1 ;;
    codec-floor-fullband) $foley generate --reconstruct --full-band --full-band-mode vocoder "$split"/*.mp4 -o "$out/" | tail -n 1 ;;
    band-split) $foley generate --reconstruct --full-band "$split"/*.mp4 -o "$out/" | tail -n 1 ;;
    specvqgan-today|frieren-today) $foley generate --generator "${kind%-today}" "$split"/*.mp4 -o "$out/" | tail -n 1 ;;
    specvqgan-fullband|frieren-fullband) $foley full-band "$work/${kind%-fullband}-today"/*.wav -o "$out/" | tail -n 1 ;;
  esac
}
if [ "${TABLE_ONLY:-0}" != 1 ]; then
  for kind in $rows; do
    if [ ! -f "$work/$kind.json" ]; then
      # Written whole or not at all: an interrupted row leaves only $kind.tmp, redone next time.
      rm -rf "$work/$kind.tmp"
      make_row "$kind" "$work/$kind.tmp"
      rm -rf "$work/$kind"; mv "$work/$kind.tmp" "$work/$kind"
      $foley eval "$work/$kind" --split "$split" --label "$kind" --json "$work/$kind.json" | tail -n 2
    fi
  done
  for pair in "codec-floor-today codec-floor-fullband" "codec-floor-today band-split" "renderer-floor-melgan renderer-floor-fullband" "band-limited renderer-floor-fullband" \
              "specvqgan-today specvqgan-fullband" "frieren-today frieren-fullband"; do
    set -- $pair
    [ -f "$work/$1.json" ] && [ -f "$work/$2.json" ] && [ ! -f "$work/compare-$1-$2.txt" ] &&
      $foley eval --compare "$work/$1" "$work/$2" --split "$split" >"$work/compare-$1-$2.txt"
  done
fi
/usr/bin/python3 - "$work" "$all" <<'PY'
import glob, json, os, sys, time
sys.path.insert(0, "Scripts")
import eval_table
work, kinds = sys.argv[1], sys.argv[2].split()
rows = [json.load(open(os.path.join(work, k + ".json"))) for k in kinds if os.path.exists(os.path.join(work, k + ".json"))]
compares = [open(f).read().rstrip() for f in sorted(glob.glob(os.path.join(work, "compare-*.txt")))]
lines = ["# The renderer on the FoleyWorld test split, against the 44.1 kHz truth", "",
         f"Measured {time.strftime('%Y-%m-%d')} with `Scripts/fullband-report.sh` ({rows[0]['clips']} test clips, "
         f"{rows[0]['bootstrapResamples']} bootstrap resamples). The truth is the corpus's full-band copy of each clip's mix "
         "(`<id>.44k.wav`, the recordings at their own rate); every row is heard by aisfx at 44.1 kHz.", "", *eval_table.tables(rows)]
lines += ["- ground-truth: the 44.1 kHz truth itself (FD and KL 0 by construction).",
          "- working-copy: the same mix as the corpus keeps it for the generators (22.05 kHz: nothing above 11 kHz).",
          "- band-limited: the working copy with every STFT bin outside our mel's 125–7600 Hz zeroed.",
          "- griffin-lim: the true mel → 32 iterations of fast Griffin-Lim (22.05 kHz).",
          "- renderer-floor-melgan / -fullband: the true mel (no codec) → today's MelGAN alone (22.05 kHz) / the shared",
          "  full-band vocoder (Weights/fullband-vocoder, 44.1 kHz): what each renderer gives from a perfect mel.",
          "- codec-floor-today: true audio → SpecVQGAN's codec → multi-band MelGAN → mel envelope match (`foley generate",
          "  --reconstruct`), the floor SpecVQGAN's takes start from today.",
          "- codec-floor-fullband: the same codec output → the full-band vocoder (`--reconstruct --full-band`).",
          "- band-split: the shared full-band renderer as takes get it (`--reconstruct --full-band`): codec-floor-today",
          "  below 9 kHz, the full-band vocoder on its mel above (a 1 kHz linear-phase crossover, DSP/BandSplit).",
          "- shuffled: the next test clip's real 44.1 kHz audio: where \"unrelated\" lies.",
          "- specvqgan-/frieren-today: the generator's takes at its defaults (seed 1) as they were rendered before",
          "  (22.05 kHz); -fullband: the same takes through the full-band renderer (`foley full-band`), as the",
          "  workstation now writes them.",
          "- Metrics and intervals as in Reports/foleyworld-reference.md; FD compares distributions (at 200 clips biased",
          "  upwards: compare rows with each other on these clips only), KL_sfx is paired. A difference counts only",
          "  where the paired comparison below excludes 0.", ""]
for c in compares:
    lines += eval_table.comparison(c)
notes = "Reports/fullband-notes.md"                 # what was seen in the spectrograms, written by hand
if os.path.exists(notes):
    lines += [open(notes).read().rstrip(), ""]
open("Reports/fullband.md", "w").write("\n".join(lines))
json.dump(rows, open("Reports/fullband.json", "w"), indent=1)
print("\n".join(lines))
PY
