"""FoleyWorld builder: determinism, split hygiene, and that annotations match what is heard
and seen. Builds a tiny corpus from the two small packages (fetched with apt-get download)."""
import json
import os
import subprocess
import wave

import numpy as np
import pytest

from corpus import build, scenes, sources

ROOT = sources.data_dir()
SHARP = {"footsteps", "glass", "bounce", "dig", "gunshot", "explosion"}


@pytest.fixture(scope="module")
def catalogue():
    sources.fetch(sources.SMALL_PACKAGES, ROOT)
    return sources.catalogue(ROOT)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, catalogue):
    out = tmp_path_factory.mktemp("fw")
    build.build(str(out), "test", 14, seed=3, root=ROOT, log=None)
    return out / "test"


def clips(folder):
    return [json.load(open(folder / f)) for f in sorted(os.listdir(folder)) if f.endswith(".json") and f != "index.json"]


def read_wav(path):
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768


def test_same_seed_same_bytes(tmp_path, catalogue):
    for d in ("a", "b"):
        build.build(str(tmp_path / d), "val", 3, seed=5, root=ROOT, log=None)
    names = sorted(os.listdir(tmp_path / "a" / "val"))
    assert len(names) == 3 * 4 + 1                                 # mp4, wav, 44k.wav, json; index
    for n in names:
        assert build.file_digest(tmp_path / "a" / "val" / n) == build.file_digest(tmp_path / "b" / "val" / n), n
    build.build(str(tmp_path / "c"), "val", 3, seed=6, root=ROOT, log=None)
    assert build.file_digest(tmp_path / "a" / "val" / "val-00000.wav") != build.file_digest(tmp_path / "c" / "val" / "val-00000.wav")


def test_test_split_only_uses_recordings_never_used_in_training(catalogue, tiny):
    ids = [r.id for r in catalogue]
    assert len(ids) == len(set(ids))
    split_of = {r.id: r.split for r in catalogue}
    by_class = {}
    for r in catalogue:
        by_class.setdefault(r.cls, set()).add(r.split)
    assert set(by_class) == set(sources.rules.CLASSES_1)                   # FoleyWorld 1: the small packages' twelve
    for cls, splits in by_class.items():
        assert "train" in splits, cls
        if sum(r.cls == cls for r in catalogue) >= 2:
            assert "test" in splits, cls
    used = [e["recording"] for m in clips(tiny) for e in m["events"] if e["recording"]]
    assert used and all(split_of[u] == "test" for u in used)


def test_at_least_ten_classes_with_captions(tiny):
    ms = clips(tiny)
    assert len({m["class"] for m in ms}) >= 10
    for m in ms:
        assert m["caption"] and m["class"] in scenes.SCENES
        assert m["duration"] >= 4 and m["events"], m["id"]


def test_annotated_onsets_are_audible(tiny):
    """Each sharp event starts a clear rise in energy within ±50 ms of its annotation."""
    hits, total, errors = 0, 0, []
    for m in clips(tiny):
        x = read_wav(tiny / (m["id"] + ".wav"))
        hop = 110                                                  # 5 ms
        energy = np.convolve(x * x, np.ones(hop), "same")[::hop] + 1e-9
        for e in m["events"]:
            if e["class"] not in SHARP or not e["recording"]:
                continue
            total += 1
            k = int(round(e["onset"] * sources.SAMPLE_RATE / hop))
            best = 0.0
            for j in range(max(8, k - 10), min(len(energy) - 8, k + 11)):        # ±50 ms
                best = max(best, energy[j:j + 8].mean() / energy[j - 8:j - 1].mean())
            if best > 2.0:
                hits += 1
            # Where the rise is, relative to the annotation.
            win = energy[max(1, k - 10):k + 11]
            rise = np.argmax(np.diff(np.log(win))) - 9 if len(win) > 2 else 0
            errors.append(abs(rise) * 5)
    assert total >= 10
    assert hits / total >= 0.9, f"{hits}/{total} onsets audible"
    assert np.median(errors) <= 10, f"median onset error {np.median(errors)} ms"


def test_flashes_are_visible_at_their_sounds(tiny):
    """Gunshots, explosions and breaking glass light up the frame at the annotated onset."""
    checked = 0
    for m in clips(tiny):
        if m["class"] not in ("gunshot", "explosion", "glass"):
            continue
        w, h = m["size"]
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tiny / (m["id"] + ".mp4")), "-f", "rawvideo",
                              "-pix_fmt", "gray", "pipe:1"], capture_output=True, check=True).stdout
        frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.float32)
        for e in m["events"]:
            if e["class"] != m["class"] or not e["recording"]:
                continue
            f = int(e["onset"] * m["fps"]) + 1
            before = max(0, f - 6)
            assert frames[f].mean() > frames[before].mean() + 5, (m["id"], e["onset"])
            checked += 1
    assert checked >= 1


def test_credits_name_a_licence_for_every_recording(tmp_path, catalogue):
    path = tmp_path / "CREDITS.md"
    sources.write_credits(catalogue, str(path))
    text = path.read_text()
    assert all(r.license not in ("", "unknown") for r in catalogue), [r.id for r in catalogue if r.license in ("", "unknown")][:5]
    assert text.count("\n| `") == len(catalogue)


def test_full_band_copy_is_the_same_mix_with_the_upper_band(tiny):
    """`<id>.44k.wav` is the clip's mix at 44.1 kHz: exactly twice the samples, the same mel
    as the working copy once brought to 22.05 kHz (level and timing kept), and energy above
    the working copy's 11 kHz Nyquist where the recordings have it."""
    from foleytrain import audio, fullband
    upper = []
    for meta in clips(tiny):
        assert meta["full_band"] == {"file": meta["id"] + ".44k.wav", "sample_rate": 44100}
        with wave.open(str(tiny / meta["full_band"]["file"])) as w:
            assert w.getframerate() == 44100
        full, work = read_wav(tiny / meta["full_band"]["file"]), read_wav(tiny / (meta["id"] + ".wav"))
        assert len(full) == 2 * len(work), meta["id"]
        diff = np.abs(audio.normalized_mel(fullband.to_working_rate(full)) - audio.normalized_mel(work))
        assert diff.mean() < 0.005 and diff.max() < 0.12, (meta["id"], diff.mean(), diff.max())
        spectrum = np.abs(np.fft.rfft(full)) ** 2
        upper.append(spectrum[np.fft.rfftfreq(len(full), 1 / 44100) > 11025].sum() / spectrum.sum())
    assert max(upper) > 1e-3, upper
