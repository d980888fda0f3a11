"""FoleyWorld 2's readers and rules on small archives and packages built here: a C4Group (with
OpenClonk's gzip magic) and a zip, then fake packages laid out like the real ones, whose
recordings are synthetic, built into clips of the new classes and checked like FoleyWorld 1's."""
import gzip
import json
import os
import struct
import subprocess
import wave
import zipfile

import numpy as np
import pytest

from corpus import archives, build, camera, captions, rules, scenes, sources
from foleytrain import dataset

SR = 22050


# --- a C4Group writer (the format in archives.py, written independently of its reader) ---
def scramble(b):
    h = bytearray(x ^ 0xED for x in b)
    for i in range(0, len(h) - 2, 3):
        h[i], h[i + 2] = h[i + 2], h[i]
    return bytes(h)


def c4group(members):
    """members: {name: bytes | dict (a child group)} → the group's bytes."""
    blobs = [(n, c4group(v) if isinstance(v, dict) else v, isinstance(v, dict)) for n, v in members.items()]
    head = archives.C4_ID + b"\0" * 4 + struct.pack("<3i", 1, 2, len(blobs)) + b"\0" * 164
    entries, data = b"", b""
    for name, blob, child in blobs:
        entries += name.encode().ljust(260, b"\0") + struct.pack("<5i", 0, int(child), len(blob), 0, len(data)) + b"\0" * 36
        data += blob
    return scramble(head) + entries + data


def ocg(path, members):
    raw = gzip.compress(c4group(members))
    with open(path, "wb") as f:
        f.write(archives.OCG_MAGIC + raw[2:])


def test_c4group_members_nested_and_bytes(tmp_path):
    path = str(tmp_path / "Sound.ocg")
    ocg(path, {"authors.txt": b"x", "Hits.ocg": {"Materials.ocg": {"Wood.ocg": {"WoodHit1.ogg": b"OggS-one", "WoodHit2.wav": b"RIFF-two"}}},
               "Splash1.ogg": b"OggS-three"})
    a = archives.Archive(path)
    assert a.members() == ["Hits.ocg/Materials.ocg/Wood.ocg/WoodHit1.ogg", "Hits.ocg/Materials.ocg/Wood.ocg/WoodHit2.wav", "Splash1.ogg"]
    assert a.read("Hits.ocg/Materials.ocg/Wood.ocg/WoodHit2.wav") == b"RIFF-two"
    assert a.read("authors.txt") == b"x"


def test_damaged_groups_are_named_errors(tmp_path):
    good = gzip.compress(c4group({"a.ogg": b"123"}))
    cases = {"plain-gzip.ocg": good,                                              # the real gzip magic: not a group file
             "truncated.ocg": archives.OCG_MAGIC + good[2:len(good) // 2],
             "bad-id.ocg": archives.OCG_MAGIC + gzip.compress(b"\0" * 400)[2:]}
    bad_offset = bytearray(c4group({"a.ogg": b"123"}))
    struct.pack_into("<i", bad_offset, archives.C4_HEADER + 260 + 16, 10_000)   # offset past the end
    cases["bad-offset.ocg"] = archives.OCG_MAGIC + gzip.compress(bytes(bad_offset))[2:]
    problems = {}
    for name, blob in cases.items():
        (tmp_path / name).write_bytes(blob)
        with pytest.raises(archives.ArchiveError) as e:
            archives.Archive(str(tmp_path / name))
        assert name in str(e.value)
        problems[name] = e.value.problem
    assert "expected 1e8c" in problems["plain-gzip.ocg"]
    assert "damaged" in problems["truncated.ocg"]
    assert "expected b'RedWolf" in problems["bad-id.ocg"]
    assert "a.ogg" in problems["bad-offset.ocg"]


def test_zip_members(tmp_path):
    path = tmp_path / "public.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("audio/attack/impact/arrow_wood_1.ogg", b"OggS")
        z.writestr("art/texture.png", b"png")
    a = archives.Archive(str(path))
    assert a.members() == ["audio/attack/impact/arrow_wood_1.ogg"] and a.read("audio/attack/impact/arrow_wood_1.ogg") == b"OggS"
    (tmp_path / "bad.zip").write_bytes(b"PK\3\4 not really")
    with pytest.raises(archives.ArchiveError, match="bad.zip"):
        archives.Archive(str(tmp_path / "bad.zip"))


# --- recording rules on real paths from the packages ---
REAL_PATHS = [
    ("openclonk-data", "usr/share/games/openclonk/Sound.ocg!Hits.ocg/Materials.ocg/Wood.ocg/WoodHit2.ogg", ("wood-hit", "wood")),
    ("openclonk-data", "usr/share/games/openclonk/Sound.ocg!Structures.ocg/HingeCreak1.ogg", ("creak", "hinge")),
    ("openclonk-data", "usr/share/games/openclonk/Sound.ocg!Clonk.ocg/Skin.ocg/Farmer.ocg/Hurt1.ogg", None),        # a voice
    ("openclonk-data", "usr/share/games/openclonk/Sound.ocg!UI.ocg/Click.ogg", None),
    ("0ad-data", "usr/share/games/0ad/mods/public/public.zip!audio/attack/impact/arrow_metal_3.ogg", ("metal-hit", "metal")),
    ("0ad-data", "usr/share/games/0ad/mods/public/public.zip!audio/actor/fauna/animal/cattle_2.ogg", ("farm", "cattle")),
    ("0ad-data", "usr/share/games/0ad/mods/public/public.zip!audio/voice/hellenes/civ/civ_male_attack_1.ogg", None),
    ("0ad-data", "usr/share/games/0ad/mods/public/public.zip!audio/music/common/Eastern_Dawn.ogg", None),
    ("redeclipse-data", "usr/share/games/redeclipse/data/sounds/ambience/nightcrickets.ogg", ("crickets", "crickets")),
    ("redeclipse-data", "usr/share/games/redeclipse/data/sounds/announcer/headshot.ogg", None),
    ("flightgear-data-base", "usr/share/games/flightgear/Sounds/helicopter.wav", ("aircraft", "rotor")),
    ("flightgear-data-base", "usr/share/games/flightgear/Sounds/mk-viii/pull-up.wav", None),                          # a callout
    ("tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/dogs/dog.ogg", ("dog", "dog")),
    ("tuxpaint-stamps-default", "usr/share/tuxpaint/stamps/animals/mammals/dogs/dog_fr.ogg", None),                   # its spoken name
    ("widelands-data", "usr/share/games/widelands/data/sound/animals/bird3_02.ogg", ("birds", "bird")),
    ("widelands-data", "usr/share/games/widelands/data/music/ingame_01.ogg", None),
    ("torcs-data", "usr/share/games/torcs/data/sound/skid_tyres.wav", ("car", "skid")),
    ("wesnoth-1.16-data", "usr/share/games/wesnoth/1.16/data/core/sounds/bow-miss.ogg", ("whoosh", "swing")),
    ("wesnoth-1.16-data", "usr/share/games/wesnoth/1.16/data/core/sounds/human-die-1.ogg", None),
    ("megaglest-data", "usr/share/games/megaglest/techs/megapack/commondata/sounds/anvil1.wav", ("hammer", "metal")),
    ("supertuxkart-data", "usr/share/games/supertuxkart/data/sfx/waterfall_loop_2.ogg", ("waterfall", "waterfall")),
    ("ufoai-sound", "usr/share/games/ufoai/base/sound/footsteps/gravel2.ogg", ("footsteps", "gravel")),
]


@pytest.mark.parametrize("package,path,expected", REAL_PATHS)
def test_rules_on_real_paths(package, path, expected):
    assert sources.classify(package, path) == expected


def test_every_class_has_a_scene_and_a_rule():
    assert len(sources.CLASSES) == len(set(sources.CLASSES)) >= 24
    assert set(sources.CLASSES) == set(scenes.SCENES)
    assert {c for _, _, c, _ in rules.RULES} == set(sources.CLASSES)


def test_split_keeps_three_test_recordings_and_drops_repeated_bytes():
    ids = [f"x:{i}" for i in range(12)]
    splits = [sources._split_for(i, ids, min_test=3) for i in ids]
    assert splits.count("test") == 3 and splits.count("train") >= 7
    assert [sources._split_for(i, ids) for i in ids].count("test") == 2          # FoleyWorld 1's rule unchanged


# --- fake packages laid out like the real ones, with synthetic recordings ---
def _tone(seed, seconds, impulsive):
    rng = np.random.default_rng(seed)
    n = int(seconds * 44100)
    x = rng.standard_normal(n) * (np.exp(-np.arange(n) / (0.05 * 44100)) if impulsive else 0.5)
    return np.concatenate([np.zeros(2205), x]).astype(np.float32) * 0.8        # 50 ms of silence first


def _encode(path, x):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fmt = ["-c:a", "libvorbis"] if path.endswith(".ogg") else []
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "f32le", "-ar", "44100", "-ac", "1", "-i", "pipe:0", *fmt, path],
                   input=x.tobytes(), check=True)


FAKE = {  # package → [(path, seconds, impulsive)]: two recordings of every class the fakes cover
    "0ad-data": [(f"audio/attack/impact/arrow_{m}_{k}.ogg", 0.4, True) for m in ("wood", "metal", "stone") for k in (1, 2, 3)] +
                [(f"audio/attack/weapon/bow_attack_{k}.ogg", 0.4, True) for k in (1, 2)] +
                [(f"audio/resource/construction/con_wood_{k}.ogg", 0.4, True) for k in (1, 2)] +
                [(f"audio/ambient/dayscape/day_temperate_{k}.ogg", 3.0, False) for k in (1, 2)] +
                [(f"audio/attack/weapon/Musket_{k}.ogg", 0.4, True) for k in (1, 2)],
    "tuxpaint-stamps-default": [(f"usr/share/tuxpaint/stamps/animals/mammals/dogs/{n}.ogg", 0.4, True) for n in ("dog", "fox")],
    "flightgear-data-base": [(f"usr/share/games/flightgear/Sounds/{n}.wav", 3.0, False) for n in ("jet", "helicopter")],
}


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    root = tmp_path_factory.mktemp("data")
    env = pytest.MonkeyPatch()                                                         # undone even if set-up fails
    env.setenv("FOLEY_CACHE", str(cache))
    try:
        yield from _fake_setup(cache, root, tmp_path_factory)
    finally:
        env.undo()


def _fake_setup(cache, root, tmp_path_factory):
    for i, (pkg, files) in enumerate(FAKE.items()):
        base = cache / "pkgs" / pkg
        doc = base / "usr" / "share" / "doc" / pkg
        doc.mkdir(parents=True)
        (doc / "copyright").write_text("Files: *\nCopyright: 2026 Test Holder\nLicense: CC0-1.0\n")
        if pkg == "0ad-data":
            zpath = base / "usr/share/games/0ad/mods/public/public.zip"
            zpath.parent.mkdir(parents=True)
            with zipfile.ZipFile(zpath, "w") as z:
                for k, (p, sec, imp) in enumerate(files):
                    tmp = str(cache / f"member{k}.ogg")
                    _encode(tmp, _tone([i, k], sec, imp))
                    z.write(tmp, p)
        else:
            for k, (p, sec, imp) in enumerate(files):
                _encode(str(base / p), _tone([i, k], sec, imp))
    for k, name in enumerate(["Garden", "Dune", "Storm", "Aqua", "Wood"]):            # backdrop photographs
        base = cache / "pkgs" / "mate-backgrounds"
        if k == 0:
            (base / "usr/share/doc/mate-backgrounds").mkdir(parents=True)
            (base / "usr/share/doc/mate-backgrounds/copyright").write_text("Files: *\nCopyright: 2026 Photo Holder\nLicense: GPL-2+\n")
            (base / "usr/share/backgrounds/mate/nature").mkdir(parents=True)
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=0x{40 * k + 30:02x}a050:s=800x600",
                        "-frames:v", "1", str(base / f"usr/share/backgrounds/mate/nature/{name}.jpg")], check=True)
    plasma = cache / "pkgs" / "plasma-workspace-wallpapers" / "usr/share/doc/plasma-workspace-wallpapers"
    plasma.mkdir(parents=True)                                                         # present, no photographs
    (plasma / "copyright").write_text("Files: *\nCopyright: 2026 Photo Holder\nLicense: GPL-2+\n")
    packages = list(FAKE)
    cat = sources.catalogue(str(root), packages)
    out = tmp_path_factory.mktemp("fw2")
    build.build(str(out), "test", 16, seed=2, root=str(root), packages=packages, log=None, jobs=2)
    yield root, packages, cat, out / "test"


def _clips(folder):
    return [json.load(open(folder / f)) for f in sorted(os.listdir(folder)) if f.endswith(".json") and f != "index.json"]


def test_fake_packages_catalogue_with_licences(fake):
    _, _, cat, _ = fake
    classes = {r.cls for r in cat}
    assert classes == {"wood-hit", "metal-hit", "stone-hit", "bow", "hammer", "forest", "dog", "aircraft", "gunshot"}
    assert all(r.license == "CC0-1.0" and r.copyright == "2026 Test Holder" for r in cat)
    assert any("public.zip!" in r.path for r in cat)


def test_new_scenes_use_only_test_recordings_and_are_deterministic(fake, tmp_path):
    root, packages, cat, folder = fake
    split_of = {r.id: r.split for r in cat}
    used = [e["recording"] for m in _clips(folder) for e in m["events"] if e["recording"]]
    assert used and all(split_of[u] == "test" for u in used)
    assert len({m["class"] for m in _clips(folder)}) >= 6
    build.build(str(tmp_path), "test", 4, seed=2, root=str(root), packages=packages, log=None, jobs=1)
    for n in sorted(os.listdir(tmp_path / "test")):
        if n != "index.json":
            assert build.file_digest(tmp_path / "test" / n) == build.file_digest(folder / n), n


def test_new_impulsive_events_are_heard_on_their_frame(fake):
    _, _, _, folder = fake
    total, hits = 0, 0
    for m in _clips(folder):
        with wave.open(str(folder / (m["id"] + ".wav"))) as w:
            x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768
        energy = np.convolve(x * x, np.ones(110), "same")[::110] + 1e-9
        for e in m["events"]:
            if e["class"] not in scenes.IMPULSIVE or not e["recording"]:
                continue
            k = int(round(e["onset"] * SR / 110))
            best = max(energy[j:j + 8].mean() / energy[j - 8:j - 1].mean() for j in range(max(8, k - 10), min(len(energy) - 8, k + 11)))
            total, hits = total + 1, hits + (best > 2.0)
    assert total >= 8 and hits / total >= 0.9, f"{hits}/{total}"


def test_fake_clips_are_filmed_over_photographs(fake):
    root, _, _, folder = fake
    photo_ids = {p.id: p for p in camera.photos(str(root))}
    assert {p.split for p in photo_ids.values()} >= {"train", "test"}
    for m in _clips(folder):
        w, h = m["size"]
        assert min(w, h) >= 256 and m["camera"]["aspect"] in camera.SIZES and 10 <= m["fps"] <= 60
        assert photo_ids[m["backdrop"]].split == "test"                               # test pictures never seen in training
        assert len(m["captions"]) >= 3 and len(set(m["captions"])) == len(m["captions"])
        probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=width,height,r_frame_rate",
                                "-of", "json", str(folder / (m["id"] + ".mp4"))], capture_output=True, check=True).stdout
        st = json.loads(probe)["streams"][0]
        assert (st["width"], st["height"]) == (w, h) and st["r_frame_rate"] == f"{m['fps']}/1"


def test_flashes_land_on_their_frames_under_a_moving_camera(fake):
    """Gunshots light the whole filmed picture (photo included) on the onset's frame."""
    _, _, _, folder = fake
    checked = 0
    for m in _clips(folder):
        if m["class"] != "gunshot":
            continue
        w, h = m["size"]
        mp4 = str(folder / (m["id"] + ".mp4"))
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", mp4, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"],
                             capture_output=True, check=True).stdout
        frames = np.frombuffer(raw, np.uint8).reshape(-1, h, w).astype(np.float32)
        times = dataset.frame_times(mp4)                                              # constant or variable rate alike
        for e in m["events"]:
            if e["class"] == "gunshot" and e["recording"]:
                f = int(np.searchsorted(times, e["onset"] - 1e-4))                     # the first frame at or after the shot
                before = int(np.searchsorted(times, e["onset"] - 0.25))
                assert frames[f].mean() > frames[min(before, f - 1)].mean() + 5, (m["id"], e["onset"], m["fps"], m.get("vfr"))
                checked += 1
    assert checked >= 1


def test_camera_composites_the_set_over_the_photo_and_moves():
    photo = np.zeros((480, 854, 3), np.float32)
    photo[..., 2] = 0.6                                                               # a blue photograph
    cam = camera.Camera("16:9", 30, (20.0, 0.0), (0.85, 0.85), 0.0, 0.0, (1.0, 1.0), 0.0, 0.0, 20)

    def draw(c, t):
        c.clear((0.5, 0.5, 0.5))                                                      # the backdrop: the photograph, lit ×0.8
        c.rect(40, 30, 88, 70, (1.0, 0.0, 0.0))                                       # a red box, drawn
    frames = camera.Camera.film(cam, draw, 1.0, photo, np.random.default_rng(0))
    assert len(frames) == 30 and frames[0].shape == (256, 456, 3)
    f = frames[15].astype(int)
    assert abs(f[5, 5, 2] - 0.6 * 0.8 * 255) < 3 and f[5, 5, 0] < 3                  # a corner: the photo
    assert f[128, 228, 0] > 200 and f[128, 228, 2] < 30                               # the centre: the box
    box_x = lambda fr: np.mean(np.nonzero(fr[128, :, 0] > 150)[0])                    # noqa: E731
    assert box_x(frames[0]) > box_x(frames[29]) + 8                                  # panning right moves the set left


def test_captions_describe_source_count_and_setting():
    rng = np.random.default_rng(0)
    rec = sources.Recording("p:dog.ogg", "p", "dog.ogg", "dog", "dog", "CC0-1.0", "x")
    scene = scenes.SCENES["dog"](rng, 6.0, [rec])
    phr = captions.captions(scene, None, "usr/share/backgrounds/mate/nature/GreenMeadow.jpg", "hand-held")
    n = sum(e.recording is not None for e in scene.events)
    assert phr[0] == "a dog barks in a green meadow"
    assert "a dog barking" in phr[1] and captions.TIMES.get(n, f"{n} times") in phr[2] and phr[3].endswith("filmed hand-held")


def test_variable_frame_rate_keeps_each_frames_time(tmp_path):
    """A variable-rate clip: frames dropped irregularly from 60 fps (gaps of 1-3 frames), and
    the trainers' resampling shows, at each feature time, the last frame shown by then."""
    mp4 = str(tmp_path / "vfr.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=s=128x96:r=60:d=2", *camera.vfr_filter(0.5),
                    "-c:v", "libx264", "-preset", "veryfast", mp4], check=True)
    times = dataset.frame_times(mp4)
    gaps = set(np.round(np.diff(times) * 60).astype(int))
    assert 50 <= len(times) <= 70 and gaps <= {1, 2, 3} and len(gaps) >= 2
    frames = dataset.decode_frames(mp4, 128, 96, 60, vfr=True)
    assert len(frames) == len(times)
    idx = np.arange(len(frames))[:, None, None, None] * np.ones((1, 1, 1, 3), np.uint8)
    shown = dataset.resample_frames(idx, 60, 2.0, times)[:, 0, 0, 0]
    for k, n in enumerate(shown):
        t = k / dataset.VISUAL_RATE
        assert times[n] <= t + 1e-6 and (n + 1 == len(times) or times[n + 1] > t + 1e-6)
