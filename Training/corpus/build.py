"""Builds FoleyWorld clips: H.264 mp4 with AAC sound, the WAV at the working rate (22.05 kHz),
the same mix at 44.1 kHz (`<id>.44k.wav`: the recordings' own band, the full-band truth), and
JSON annotations.

  /usr/bin/python3 Training/corpus/build.py build --split train --count 1500 --seed 1 [--corpus 1|2] [--jobs N] [--out DIR]
  /usr/bin/python3 Training/corpus/build.py credits [--corpus 1|2] [--out CREDITS.md]

Every clip is a pure function of (seed, split, index): same inputs, same bytes. Recordings
are split by hash (see sources.py), so the test split only uses recordings never heard in
training. Data goes to $FOLEY_DATA (default: data/ in the repository, ignored by git).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
import wave

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from corpus import camera, captions, mix, scenes, sources  # noqa: E402
from corpus.raster import Canvas  # noqa: E402

FPS = 25
SPLITS = ["train", "val", "test"]
NEEDS_RECORDINGS = {c for c in sources.CLASSES if c != "wind"}   # wind can be fully synthesised


FULL_RATE = 44100


def write_wav(path, x, rate=mix.SR):
    pcm = (np.clip(x, -1, 1) * 32767).round().astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def encode(path, frames, wav_path, size=(scenes.W, scenes.H), fps=FPS, crf=20, video_filter=()):
    cmd = ["ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
           "-s", f"{size[0]}x{size[1]}", "-r", str(fps), "-i", "pipe:0", "-i", wav_path, *video_filter,
           "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf),
           "-pix_fmt", "yuv420p", "-threads", "1", "-c:a", "aac", "-b:a", "96k",
           "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1",
           "-movflags", "+faststart", path + ".tmp.mp4"]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    for f in frames:
        p.stdin.write(f.tobytes())
    p.stdin.close()
    err = p.stderr.read()
    if p.wait() != 0:
        raise RuntimeError(f"ffmpeg failed for {path}: {err.decode(errors='replace')}")
    os.replace(path + ".tmp.mp4", path)


def plan_classes(split, count, seed, available):
    """Balanced classes in a seeded order, skipping classes with no recordings in the split."""
    usable = [c for c in sources.CLASSES if c not in NEEDS_RECORDINGS or available.get(c)]
    order = np.random.default_rng([seed, SPLITS.index(split), 7]).permutation(len(usable))
    return [usable[order[i % len(usable)]] for i in range(count)]


def make_clip(index, cls, split, seed, by_class, bank, full_bank=None, photos=None, root=None):
    """One clip: (meta, frames, working-rate audio, 44.1 kHz audio). With `photos` (FoleyWorld
    2) the scene is composited over one of them and filmed by a sampled camera; the scene and
    sound draws come first either way, so FoleyWorld 1 clips are unchanged."""
    rng = np.random.default_rng([seed, SPLITS.index(split), index])
    duration = round(float(rng.uniform(4.0, 8.0)) * FPS) / FPS
    scene = scenes.SCENES[cls](rng, duration, by_class.get(cls, []))
    secondary = None
    if rng.random() < 0.3:
        choices = [c for c in scenes.SECONDARY if c != cls and (c not in NEEDS_RECORDINGS or by_class.get(c))]
        if choices:
            sc = choices[int(rng.integers(len(choices)))]
            secondary = scenes.SCENES[sc](rng, duration, by_class.get(sc, []))
            if sc in scenes.SECOND_CAUSES:                                           # FoleyWorld 2: a second cause, heard and seen
                for e in secondary.events:
                    e.gain_db -= 6.0
            else:
                secondary.events = [e for e in secondary.events if e.recording is None]   # ambience only
            for lp in secondary.loops:
                lp.gain_db -= 8.0                                                    # under the main cause
    state = rng.bit_generator.state                                   # the full-band render repeats these draws
    raw = mix.render(scene, duration, bank, rng, secondary, gain=1.0)
    gain = mix.headroom(raw)
    audio = raw * gain
    full = None
    if full_bank is not None:
        again = np.random.default_rng()
        again.bit_generator.state = state
        full = mix.render(scene, duration, full_bank, again, secondary, gain=gain)   # same mix, same level, 44.1 kHz
    caption = scene.caption + (", " + scenes.SECONDARY[secondary.cls] if secondary else "")
    extra = {}

    def draw(c, t):
        scene.draw(c, t)
        if secondary is not None:
            secondary.overlay(c, t)
    if photos:
        crng = np.random.default_rng([seed, SPLITS.index(split), index, 11])
        cam = camera.Camera.sample(crng)
        photo = photos[int(crng.integers(len(photos)))]
        onsets = [e.onset for s in [scene] + ([secondary] if secondary else []) for e in s.events]
        frames = cam.film(draw, duration, camera.load_photo(root, photo), crng, onsets)
        fps, size = cam.fps, list(cam.size)
        phrasings = captions.captions(scene, secondary, photo.path, cam.describe())
        caption = phrasings[0]
        extra = {"captions": phrasings, "backdrop": photo.id, "crf": cam.crf, **({"vfr": round(cam.vfr, 3)} if cam.vfr else {}),
                 "camera": {"aspect": cam.aspect, "pan": [round(v, 3) for v in cam.pan], "zoom": [round(v, 3) for v in cam.zoom],
                            "shake": round(cam.shake, 3), "blur": round(cam.blur, 3), "light": [round(v, 3) for v in cam.light],
                            "flicker": round(cam.flicker, 3), "noise": round(cam.noise, 4), "moves": cam.describe()}}
    else:
        canvas = Canvas(scenes.W, scenes.H)
        frames = []
        for f in range(int(round(duration * FPS))):
            draw(canvas, f / FPS)
            frames.append(canvas.rgb24())
        fps, size = FPS, [scenes.W, scenes.H]
    events = [{"onset": round(e.onset, 5), "class": e.cls, "material": e.material, "gain_db": round(e.gain_db, 2),
               "recording": e.recording.id if e.recording else None}
              for s in [scene] + ([secondary] if secondary else []) for e in s.events]
    meta = {"id": f"{split}-{index:05d}", "split": split, "duration": duration, "fps": fps,
            "size": size, "sample_rate": mix.SR, "class": cls, **extra,
            **({"full_band": {"file": f"{split}-{index:05d}.44k.wav", "sample_rate": FULL_RATE}} if full is not None else {}), "material": scene.material,
            "classes": [cls] + ([secondary.cls] if secondary else []), "caption": caption,
            "events": sorted(events, key=lambda e: e["onset"]), "seed": seed}
    return meta, frames, audio, full


CORPORA = {1: sources.SMALL_PACKAGES, 2: sources.ALL_PACKAGES}   # FoleyWorld 1 and 2: the packages they read

_job = {}


def _setup(root, split, seed, by_class, folder, full_band, photos):
    bank = mix.RecordingBank(root)
    _job.update(root=root, split=split, seed=seed, by_class=by_class, folder=folder, bank=bank, photos=photos,
                full_bank=mix.RecordingBank(root, rate=FULL_RATE, reference=bank) if full_band else None)


def _write_clip(task):
    """One clip's files, each written atomically. Pure in (seed, split, index): any worker
    writes the same bytes."""
    i, cls = task
    j = _job
    meta, frames, audio, full = make_clip(i, cls, j["split"], j["seed"], j["by_class"], j["bank"], j["full_bank"], j["photos"], j["root"])
    base = os.path.join(j["folder"], meta["id"])
    if full is not None:                                              # the full-band truth (evaluation, renderer)
        write_wav(base + ".44k.wav.tmp", full, FULL_RATE)
        os.replace(base + ".44k.wav.tmp", base + ".44k.wav")
    write_wav(base + ".wav.tmp", audio)
    os.replace(base + ".wav.tmp", base + ".wav")
    encode(base + ".mp4", frames, base + ".wav", meta["size"], meta["fps"], meta.get("crf", 20),
           camera.vfr_filter(meta.get("vfr", 0.0)))
    with open(base + ".json.tmp", "w") as f:
        json.dump(meta, f, indent=1, sort_keys=True)
    os.replace(base + ".json.tmp", base + ".json")
    return {k: meta[k] for k in ("id", "class", "material", "caption", "duration")}


def build(out, split, count, seed, root=None, packages=sources.SMALL_PACKAGES, log=print, full_band=True, jobs=1):
    """`count` clips of `split` into out/split; `jobs` worker processes (the bytes do not
    depend on it). Logs progress, then the time taken and the disk used."""
    root = root or sources.data_dir()
    sources.fetch(packages, root)
    recs = [r for r in sources.catalogue(root, packages) if r.split == split]
    by_class = {}
    for r in recs:
        by_class.setdefault(r.cls, []).append(r)
    photos = None
    if any(p in sources.LARGE_PACKAGES for p in packages):                 # FoleyWorld 2's pictures
        photos = [p for p in camera.photos(root) if p.split == split]
    folder = os.path.join(out, split)
    os.makedirs(folder, exist_ok=True)
    tasks = list(enumerate(plan_classes(split, count, seed, by_class)))
    t0 = time.time()
    index = []
    if jobs <= 1:
        _setup(root, split, seed, by_class, folder, full_band, photos)
        results = map(_write_clip, tasks)
    else:
        import multiprocessing
        pool = multiprocessing.get_context("fork").Pool(jobs, _setup, (root, split, seed, by_class, folder, full_band, photos))
        results = pool.imap(_write_clip, tasks, chunksize=4)
    for i, entry in enumerate(results):
        index.append(entry)
        if log and (i + 1) % 50 == 0:
            log(f"{split}: {i + 1}/{count} clips, {time.time() - t0:.0f} s")
    if jobs > 1:
        pool.close()
        pool.join()
    with open(os.path.join(folder, "index.json"), "w") as f:
        json.dump(index, f, indent=1)
    if log:
        size = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        log(f"{split}: {count} clips in {time.time() - t0:.0f} s with {jobs} worker(s), {size / 1e6:.0f} MB in {folder}")
    return index


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("--split", choices=SPLITS, required=True)
    b.add_argument("--count", type=int, required=True)
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--out", default=None)
    b.add_argument("--corpus", type=int, choices=sorted(CORPORA), default=1,
                   help="1: FoleyWorld 1 (two small packages, 12 classes); 2: FoleyWorld 2 (every package, 32 classes)")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: every core)")
    c = sub.add_parser("credits")
    c.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "CREDITS.md"))
    c.add_argument("--corpus", type=int, choices=sorted(CORPORA), default=2)
    args = ap.parse_args()
    root = sources.data_dir()
    if args.cmd == "build":
        default = "foleyworld" if args.corpus == 1 else "foleyworld2"
        build(args.out or os.path.join(root, default), args.split, args.count, args.seed, root,
              packages=CORPORA[args.corpus], jobs=args.jobs)
    else:
        sources.fetch(CORPORA[args.corpus], root)
        sources.write_credits(sources.catalogue(root, CORPORA[args.corpus]), args.out,
                              camera.photos(root) if args.corpus == 2 else ())


if __name__ == "__main__":
    main()
