# Foley — set-up, build, test and benchmarks. `make test` does everything from a fresh
# Debian machine (as root): installs the apt packages it needs, builds, runs every suite.
SHELL := /bin/bash
export LANG := C.UTF-8
export LC_ALL := C.UTF-8
PYTHON := /usr/bin/python3
SWIFT ?= swift

# What the workstation needs to build and run (make demo, make build, make install) …
RUN_PACKAGES := pkg-config libncurses-dev libasound2-dev \
	libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev \
	libopenblas-dev libfftw3-dev
# … and what the tests, benchmarks and training add (FFmpeg's CLI, tmux, PyTorch).
APT_PACKAGES := $(RUN_PACKAGES) ffmpeg tmux \
	python3-torch python3-numpy python3-pytest python3-pip
PREFIX ?= /usr/local

.PHONY: deps deps-run install sfx-model build test test-python bench fuzz golden clean demo corpus corpus2 corpus2-report foleyworld2-before train-yardstick2 train-specvqgan2 train-sfx-probe train-encoders train-classifier train-codec train-vocoder train-vocoder-draft train-sampler train-onsets export-specvqgan train-visual-echoes export-visual-echoes train-frieren reflow-frieren export-frieren train-fullband export-fullband fullband-report specvqgan-report reference-report

deps:
	@Scripts/install-deps.sh $(APT_PACKAGES)

deps-run:
	@Scripts/install-deps.sh $(RUN_PACKAGES)

build: deps-run
	$(SWIFT) build -c release --product foley

# The binary in PREFIX/bin and its data (weights, themes, the demo) in PREFIX/share/foley; it
# finds them relative to itself, so the checkout can go.
install: build
	Scripts/install.sh $(PREFIX)

# The evaluation's external sound-effects embedding (PyPI aisfx, pretrained): installed --no-deps
# into a cache outside the repository and converted for Swift; silent when already there.
sfx-model: deps
	@Scripts/fetch-sfx-model.sh

test: deps sfx-model
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory test-python

test-python: sfx-model
	cd Training && OMP_NUM_THREADS=1 $(PYTHON) -m pytest -q -p no:cacheprovider tests

bench: deps
	$(SWIFT) build -c release --product foley
	$(SWIFT) build -c release --product foley-bench
	.build/release/foley-bench

# The fuzz suite (issue 25): mutated project.json, bundle config.json and theme files, each
# read the way Foley reads it; fails on an error that does not name the file, a file changed by
# reading it, or a file appearing beside it (a trap kills it; the case to replay is printed).
# 100 000 project files and 100 000 themes (a few minutes each); 20 000 bundle configs, as an
# accepted config loads real weights (about 12 ms a case, 4 minutes). `make test` runs a few
# thousand (Tests/FuzzTests).
FUZZ_CASES ?= 100000
FUZZ_BUNDLE_CASES ?= 20000
FUZZ_SEED ?= 1
fuzz: deps
	$(SWIFT) build -c release --product foley-fuzz
	@status=0; for run in "project $(FUZZ_CASES)" "bundle $(FUZZ_BUNDLE_CASES)" "theme $(FUZZ_CASES)"; do \
	  set -- $$run; .build/release/foley-fuzz --only $$1 --cases $$2 --seed $(FUZZ_SEED) || status=1; \
	done; exit $$status

# Regenerates the committed golden files (needs PyPI's librosa, installed into a venv).
golden: sfx-model
	Scripts/make-golden.sh

clean:
	rm -rf .build

# The workstation on the demo project with the shipped models (needs a terminal): opens your
# copy of the bundled demo (made in ~/.local/share/foley/demo on first use).
demo: build
	.build/release/foley open

# FoleyWorld corpus (issue 4): the default splits, into $(FOLEY_DATA) (default data/, ignored).
CORPUS_SEED ?= 1
corpus: deps
	$(PYTHON) Training/corpus/build.py build --split train --count 1500 --seed $(CORPUS_SEED)
	$(PYTHON) Training/corpus/build.py build --split val --count 200 --seed $(CORPUS_SEED)
	$(PYTHON) Training/corpus/build.py build --split test --count 200 --seed $(CORPUS_SEED)

# FoleyWorld 2 (issue 20): all twelve packages (5.2 GB of .debs, downloaded and unpacked once
# into $(FOLEY_CACHE) or ~/.cache/foley, 13.6 GB in all), 33 classes, into $(FOLEY_DATA)/foleyworld2; every
# core. The recordings report and contact sheet → Reports/foleyworld2.md, .png.
corpus2: deps
	$(PYTHON) Training/corpus/build.py build --corpus 2 --split train --count 3000 --seed $(CORPUS_SEED)
	$(PYTHON) Training/corpus/build.py build --corpus 2 --split val --count 300 --seed $(CORPUS_SEED)
	$(PYTHON) Training/corpus/build.py build --corpus 2 --split test --count 500 --seed $(CORPUS_SEED)
corpus2-report: deps
	$(PYTHON) Training/corpus/report.py
# The FoleyWorld 1 bundle on FoleyWorld 2's test split (issue 20's before rows) → Reports/foleyworld2-before.md.
foleyworld2-before: build sfx-model
	Scripts/foleyworld2-before.sh $(FOLEY_DATA)/foleyworld2
# The yardstick retrained on FoleyWorld 2 → Weights/foleyworld2 (visual encoder and sync judge
# fine-tuned from FoleyWorld 1's at a quarter of the learning rate, whole frames; evaluation
# classifier; class probe), with their goldens → Tests/Fixtures/models/foleyworld2. About 50 min
# on one core at the reduced corpus (1000 train clips).
FW2_WEIGHTS := Weights/foleyworld2
train-yardstick2: sfx-model
	FOLEY_FIXTURES=Tests/Fixtures/models/foleyworld2 OMP_NUM_THREADS=1 $(PYTHON) Training/train_encoders.py \
		--data $(FOLEY_DATA)/foleyworld2 --framing whole-frame --init Weights --lr 5e-4 --steps 1000 --out $(FW2_WEIGHTS)
	FOLEY_FIXTURES=Tests/Fixtures/models/foleyworld2 OMP_NUM_THREADS=1 $(PYTHON) Training/train_classifier.py \
		--data $(FOLEY_DATA)/foleyworld2 --out $(FW2_WEIGHTS)
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_sfx_probe.py --data $(FOLEY_DATA)/foleyworld2 \
		--out $(FW2_WEIGHTS)/eval-sfx-probe --golden Tests/Fixtures/models/foleyworld2/sfx_probe_golden.safetensors

# SpecVQGAN's picture-reading parts (sampler, onset head) retrained on FoleyWorld 2's encoder,
# codec and vocoders kept → Weights/foleyworld2/specvqgan (+ golden). SAMPLER2_MINUTES on one core.
SAMPLER2_MINUTES ?= 40
train-specvqgan2: deps
	OMP_NUM_THREADS=1 FOLEY_ENCODER_WEIGHTS=$(FW2_WEIGHTS) $(PYTHON) Training/train_sampler.py --data $(FOLEY_DATA)/foleyworld2 \
		--from-bundle Weights/specvqgan --shifts 4 8 12 --dropout 0.3 --weight-decay 0.1 --uncond 0.2 --max-lr 3e-4 \
		--eval-every 250 --minutes $(SAMPLER2_MINUTES)
	OMP_NUM_THREADS=1 FOLEY_ENCODER_WEIGHTS=$(FW2_WEIGHTS) $(PYTHON) Training/train_onsets.py --data $(FOLEY_DATA)/foleyworld2
	OMP_NUM_THREADS=1 FOLEY_ENCODER_WEIGHTS=$(FW2_WEIGHTS) FOLEY_FIXTURES=Tests/Fixtures/models/foleyworld2 $(PYTHON) \
		Training/export_specvqgan.py --data $(FOLEY_DATA)/foleyworld2 --base Weights/specvqgan \
		--reference-base specvqgan-foleyworld1 --sampler $(FOLEY_DATA)/foleyworld2/sampler-best.ckpt --out $(FW2_WEIGHTS) --training Training/specvqgan-foleyworld2-training.md

# Shared encoders and the evaluation classifier (issue 4), trained on the corpus; export to Weights/.
FOLEY_DATA ?= $(CURDIR)/data
train-encoders: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_encoders.py --data $(FOLEY_DATA)/foleyworld
train-classifier: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_classifier.py --data $(FOLEY_DATA)/foleyworld
# The evaluation's class probe on frozen aisfx embeddings → Weights/eval-sfx-probe (minutes on one core).
train-sfx-probe: sfx-model
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_sfx_probe.py --data $(FOLEY_DATA)/foleyworld

# Reference rows (ground truth, Griffin-Lim, retrieval) on the test split → Reports/.
reference-report: build sfx-model
	Scripts/reference-report.sh $(FOLEY_DATA)/foleyworld

# SpecVQGAN's spectrogram codec: resumable, checkpoints to $(FOLEY_DATA)/foleyworld/codec.ckpt.
train-codec: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_codec.py --data $(FOLEY_DATA)/foleyworld --batch 8

# The multi-band MelGAN vocoder (the shipped sizes): resumable, checkpoints to $(FOLEY_DATA)/foleyworld/vocoder.ckpt.
train-vocoder: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_vocoder.py --data $(FOLEY_DATA)/foleyworld --batch 8 --bands 4 --ngf 64 --residual-layers 2 \
	  --disc-start 1000

# The draft vocoder (the Draft parameter): multi-band, 32 channels, three residual blocks per stage → vocoder-draft.ckpt.
train-vocoder-draft: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_vocoder.py --data $(FOLEY_DATA)/foleyworld --batch 8 --bands 4 --ngf 32 --residual-layers 3 \
	  --disc-start 1000 --name vocoder-draft.ckpt

# SpecVQGAN's sampler over the codec's tokens (needs $(FOLEY_DATA)/foleyworld/codec.ckpt): resumable.
train-sampler: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_sampler.py --data $(FOLEY_DATA)/foleyworld

# The visual onset head that ranks candidate takes (a few minutes): $(FOLEY_DATA)/foleyworld/onsets.ckpt.
train-onsets: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_onsets.py --data $(FOLEY_DATA)/foleyworld

# The three checkpoints (and the onset head and draft vocoder, when trained) → Weights/specvqgan (float16) + card + parity golden.
export-specvqgan: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/export_specvqgan.py --data $(FOLEY_DATA)/foleyworld --training Training/remote/specvqgan-training.md \
	  $$(test -f $(FOLEY_DATA)/foleyworld/vocoder-draft.ckpt && echo --draft-vocoder $(FOLEY_DATA)/foleyworld/vocoder-draft.ckpt)

# Visual Echoes: the image tokenizer, then the masked transformer over the shipped codec's tokens
# (resumable; VE_MINUTES per phase), then Weights/visual-echoes (float16) + card.
VE_MINUTES ?= 30
train-visual-echoes: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_visual_echoes.py tokenizer --data $(FOLEY_DATA)/foleyworld --minutes $(VE_MINUTES)
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_visual_echoes.py transformer --data $(FOLEY_DATA)/foleyworld --minutes $(VE_MINUTES)

export-visual-echoes: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/export_visual_echoes.py --data $(FOLEY_DATA)/foleyworld

# FRIEREN: the shared mel VAE, then the flow's estimator on its latents (resumable;
# FRIEREN_MINUTES per phase); reflow-frieren adds the reflow and one-step variants (pairs from
# 25 guided Euler steps); then Weights/frieren (float16) + card.
FRIEREN_MINUTES ?= 30
FRIEREN_PAIRS ?= 2000
train-frieren: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_frieren.py vae --data $(FOLEY_DATA)/foleyworld --batch 16 --minutes $(FRIEREN_MINUTES)
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_frieren.py flow --data $(FOLEY_DATA)/foleyworld --batch 16 --minutes $(FRIEREN_MINUTES)

reflow-frieren: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_frieren.py pairs --data $(FOLEY_DATA)/foleyworld --batch 16 --pairs $(FRIEREN_PAIRS)
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_frieren.py reflow --data $(FOLEY_DATA)/foleyworld --batch 16 --minutes $(FRIEREN_MINUTES)
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_frieren.py distill --data $(FOLEY_DATA)/foleyworld --batch 16 --minutes $(FRIEREN_MINUTES)

export-frieren: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/export_frieren.py --data $(FOLEY_DATA)/foleyworld

# The shared full-band renderer (mel → 44.1 kHz), trained on the corpus recordings at their own
# band (FULLBAND_MINUTES of wall clock, resumable), then Weights/fullband-vocoder (float16) + card;
# fullband-report scores the renderer rows against the corpus's 44.1 kHz truth → Reports/fullband.md.
FULLBAND_MINUTES ?= 80
train-fullband: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/train_fullband.py --data $(FOLEY_DATA)/foleyworld --minutes $(FULLBAND_MINUTES)

export-fullband: deps
	OMP_NUM_THREADS=1 $(PYTHON) Training/export_fullband.py --data $(FOLEY_DATA)/foleyworld

fullband-report: build sfx-model
	Scripts/fullband-report.sh $(FOLEY_DATA)/foleyworld

# SpecVQGAN rows (codec+vocoder floor, Top-X 16/64/all) next to the reference rows → Reports/specvqgan.md.
specvqgan-report: build
	Scripts/specvqgan-report.sh $(FOLEY_DATA)/foleyworld