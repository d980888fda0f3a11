"""Real recorded effects from Debian packages: fetch, unpack, catalogue, split, load.

Packages are fetched with `apt-get download` and unpacked with `dpkg -x` (nothing is
installed). Each recording is classified by path rules into a corpus class (and material),
given its licence and copyright holders from the package's DEP-5 copyright file, and assigned
to train/val/test by a hash of its path, so test clips only use recordings never heard in
training.
"""
import fnmatch
import hashlib
import json
import os
import re
import subprocess
import zipfile
from dataclasses import asdict, dataclass

import numpy as np

SAMPLE_RATE = 22050

# package → (how to list its recordings, where the copyright file is)
SMALL_PACKAGES = ["ufoai-sound", "minetest-data"]

# (package, regex on the path inside the package) → (class, material). First match wins.
# Music, voices, UI and alien sounds are deliberately left out.
RULES = [
    ("ufoai-sound", r"footsteps/(carpet|dirt|grass|gravel|linoleum|metal|sand|snow|stone|tile|wood)\d*\.ogg$", "footsteps", 1),
    ("minetest-data", r"default_(dirt|grass|gravel|ice|metal|sand|snow|glass|wood)_footstep", "footsteps", 1),
    ("minetest-data", r"default_hard_footstep", "footsteps", "stone"),
    ("ufoai-sound", r"footsteps/splash\d\.ogg$", "water", "splash"),
    ("ufoai-sound", r"doors/door\d-(open|close)\.ogg$", "door", 1),
    ("ufoai-sound", r"doors/open_close\.ogg$", "door", "close"),
    ("minetest-data", r"doors_(?:steel_|glass_)?door_(open|close)", "door", 1),
    ("minetest-data", r"doors_fencegate_(open|close)", "door", 1),
    ("ufoai-sound", r"misc/breakglass\d+\.ogg$", "glass", "glass"),
    ("minetest-data", r"default_break_glass", "glass", "glass"),
    ("minetest-data", r"default_dig_choppy", "bounce", "wood"),
    ("minetest-data", r"default_place_node_hard|default_dig_cracky", "bounce", "stone"),
    ("minetest-data", r"default_dug_metal|default_place_node_metal|default_dig_metal", "bounce", "metal"),
    ("ufoai-sound", r"footsteps/hitground\d\.ogg$", "bounce", "stone"),
    ("ufoai-sound", r"weapons/grenade-bounce\.ogg$", "bounce", "metal"),
    ("minetest-data", r"default_dig_crumbly|default_gravel_dig|default_ice_dig|default_dig_snappy|default_gravel_dug", "dig", "earth"),
    ("ufoai-sound", r"misc/break(wood|metal)\d+\.ogg$", "dig", 1),
    ("ufoai-sound", r"weapons/bullet-(pistol2?|rifle(-1x)?|shotgun|smg(-1x)?|sniper|bolter)\.ogg$", "gunshot", "gun"),
    ("ufoai-sound", r"weapons/explosion(-grenade|-rocket|-fire|-plasma)?\.ogg$", "explosion", "blast"),
    ("minetest-data", r"tnt_explode", "explosion", "blast"),
    ("ufoai-sound", r"ambience/(fire\d*|smallfire|firesoft)\.ogg$", "fire", "fire"),
    ("minetest-data", r"fire_(fire|large|small)", "fire", "fire"),
    ("ufoai-sound", r"ambience/water(\d+|fontain)?\.ogg$", "water", "stream"),
    ("ufoai-sound", r"impact/water-impact\.ogg$", "water", "splash"),
    ("minetest-data", r"env_sounds_water|default_water_footstep", "water", "stream"),
    ("ufoai-sound", r"ugv/(diesel|hover)-(idle|move|stop)\.ogg$", "engine", 1),
    ("ufoai-sound", r"ambience/thunder\d\.ogg$", "rain", "thunder"),
    ("ufoai-sound", r"ambience/arcticwind\.ogg$", "wind", "wind"),
]

CLASSES = ["footsteps", "door", "glass", "bounce", "dig", "gunshot", "explosion", "fire", "water", "engine", "rain", "wind"]


@dataclass
class Recording:
    id: str            # package:path
    package: str
    path: str          # inside the package (zip members as archive!member)
    cls: str
    material: str
    license: str
    copyright: str
    split: str = "train"


def data_dir():
    return os.environ.get("FOLEY_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "data"))


def fetch(packages, root):
    """Downloads and unpacks the packages under root/pkgs/NAME (idempotent)."""
    debs = os.path.join(root, "debs")
    os.makedirs(debs, exist_ok=True)
    for p in packages:
        dest = os.path.join(root, "pkgs", p)
        if os.path.isdir(dest):
            continue
        existing = [f for f in os.listdir(debs) if f.startswith(p + "_") and f.endswith(".deb")]
        if not existing:
            _apt_download(p, debs)
            existing = [f for f in os.listdir(debs) if f.startswith(p + "_") and f.endswith(".deb")]
        tmp = dest + ".partial"
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        subprocess.run(["dpkg", "-x", os.path.join(debs, existing[0]), tmp], check=True)
        os.replace(tmp, dest)


def _apt_download(package, folder):
    """apt-get download, refreshing the package lists once if apt does not know the package."""
    for attempt in range(2):
        r = subprocess.run(["apt-get", "download", package], cwd=folder, capture_output=True, text=True)
        if r.returncode == 0:
            return
        if attempt == 0:
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
    raise RuntimeError(f"cannot download Debian package '{package}' for the corpus: {r.stderr.strip()}")


def _package_files(root, package):
    """(path inside the package, how to read it) for every audio file, zip members included."""
    base = os.path.join(root, "pkgs", package)
    for dirpath, _, files in os.walk(base):
        for f in sorted(files):
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, base)
            if f.endswith((".ogg", ".wav")):
                yield rel, full
            elif f.endswith(".pk3"):
                with zipfile.ZipFile(full) as z:
                    for m in sorted(z.namelist()):
                        if m.endswith((".ogg", ".wav")):
                            yield f"{rel}!{m}", full


def _dep5(root, package):
    """Parsed DEP-5 copyright stanzas: [(globs, copyright, license)], in file order."""
    path = os.path.join(root, "pkgs", package, "usr", "share", "doc", package, "copyright")
    stanzas, cur, key = [], None, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur and cur.get("Files"):
                    stanzas.append(cur)
                cur, key = None, None
                continue
            m = re.match(r"^([A-Za-z-]+):\s*(.*)$", line)
            if m and not line.startswith(" "):
                cur = cur or {}
                key = m.group(1)
                cur[key] = m.group(2)
            elif cur is not None and key:
                cur[key] += "\n" + line.strip()
    if cur and cur.get("Files"):
        stanzas.append(cur)
    out = []
    for s in stanzas:
        globs = s["Files"].split()
        holders = "; ".join(x.strip() for x in s.get("Copyright", "").split("\n") if x.strip())
        out.append((globs, holders, s.get("License", "").split("\n")[0].strip()))
    return out


def _licence_for(stanzas, member_path):
    lic, holders = "unknown", ""
    for globs, h, l in stanzas:  # DEP-5: the last matching stanza wins
        for g in globs:
            if fnmatch.fnmatch(member_path, g) or fnmatch.fnmatch(member_path, "*" + g.lstrip("*")):
                lic, holders = l, h
    return lic, holders


def _split_for(rid, cls_members):
    """Per class, recordings ordered by hash: ~20% test, ~10% val, the rest train, with at
    least one train and (when the class has two or more) one test recording."""
    order = sorted(cls_members, key=lambda r: hashlib.sha256(r.encode()).hexdigest())
    n = len(order)
    n_test = max(1, round(0.2 * n)) if n >= 2 else 0
    n_val = round(0.1 * n) if n >= 5 else 0
    i = order.index(rid)
    return "test" if i < n_test else ("val" if i < n_test + n_val else "train")


def catalogue(root, packages=SMALL_PACKAGES):
    recs = []
    for p in packages:
        stanzas = _dep5(root, p)
        for rel, _ in _package_files(root, p):
            inner = rel.split("!")[-1]
            for pkg, rx, cls, mat in RULES:
                if pkg != p:
                    continue
                m = re.search(rx, rel)
                if m:
                    material = m.group(mat) if isinstance(mat, int) else mat
                    # Licence paths in ufoai's file are relative to the game folder (base/...).
                    # minetest's file says mtg/ for games/minetest_game/.
                    lookup = "base/" + inner if p == "ufoai-sound" else re.sub(r"^.*games/minetest_game/", "mtg/", inner)
                    lic, holders = _licence_for(stanzas, lookup)
                    recs.append(Recording(f"{p}:{rel}", p, rel, cls, material, lic, holders))
                    break
    by_class = {}
    for r in recs:
        by_class.setdefault(r.cls, []).append(r.id)
    for r in recs:
        r.split = _split_for(r.id, by_class[r.cls])
    return recs


def _source(root, rec):
    """ffmpeg input arguments and the bytes to pipe (zip members are read into memory)."""
    base = os.path.join(root, "pkgs", rec.package)
    if "!" in rec.path:
        archive, member = rec.path.split("!", 1)
        with zipfile.ZipFile(os.path.join(base, archive)) as z:
            return ["-i", "pipe:0"], z.read(member)
    return ["-i", os.path.join(base, rec.path)], None


def load_audio(root, rec, cache=True, rate=SAMPLE_RATE):
    """Mono float32 at `rate` (22.05 kHz, the working rate, unless asked), decoded and
    resampled by ffmpeg, cached as .npy."""
    key = hashlib.sha256(rec.id.encode()).hexdigest()[:20] + ("" if rate == SAMPLE_RATE else f"-{rate}")
    cpath = os.path.join(root, "cache", key + ".npy")
    if cache and os.path.exists(cpath):
        return np.load(cpath)
    src, data = _source(root, rec)
    out = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", *src, "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1"],
                         input=data, capture_output=True, check=True).stdout
    x = np.frombuffer(out, dtype=np.float32).copy()
    if cache:
        os.makedirs(os.path.dirname(cpath), exist_ok=True)
        np.save(cpath + ".tmp.npy", x)
        os.replace(cpath + ".tmp.npy", cpath)
    return x


def native_rate(root, rec):
    """The recording's own sample rate (ffprobe): below 44.1 kHz it has no full band to learn from."""
    src, data = _source(root, rec)
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=sample_rate", "-of", "json", *src],
                         input=data, capture_output=True, check=True).stdout
    return int(json.loads(out)["streams"][0]["sample_rate"])


MODEL_CREDITS = [
    "# Credits: pretrained models used by the evaluation", "",
    "- **aisfx 0.1.2** (PyPI), model X-Sequential-CE: Alison Bernice Ma and Alexander Lerch, \"Representation",
    "  Learning for the Automatic Indexing of Sound Effects Libraries\", ISMIR 2022. Pretrained model and paper",
    "  under the Creative Commons Attribution 4.0 International licence (CC BY 4.0); package code MIT. Its network",
    "  (the DCASE 2018 cross-task baseline CNN, as the package credits) computes `foley eval`'s FD_sfx, KL_sfx and",
    "  the embeddings our class probe reads. `Scripts/fetch-sfx-model.sh` installs the wheel (without its pinned",
    "  dependencies) into a cache outside the repository and converts its checkpoint there (batch norm folded into",
    "  the convolutions); neither the wheel nor the weights are committed or shipped.",
]


def write_credits(recs, path):
    """CREDITS.md: every recording the corpus can use, with package, licence and holders."""
    lines = ["# Credits: recorded sound effects used by the FoleyWorld corpus", "",
             "Generated by `Training/corpus/build.py credits`. Recordings come unmodified from the",
             "Debian packages named below (fetched with `apt-get download`); the corpus mixes them",
             "with gain, pitch and ambience into new clips. Licences as stated in each package's",
             "copyright file. The corpus itself is not distributed with this repository.", "",
             "| recording | package | class / material | licence | copyright |", "|---|---|---|---|---|"]
    for r in sorted(recs, key=lambda r: r.id):
        lines.append(f"| `{r.path.split('!')[-1]}` | {r.package} | {r.cls} / {r.material} | {r.license} | {r.copyright.replace('|', '/')} |")
    lines += ["", *MODEL_CREDITS]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def save_catalogue(recs, path):
    with open(path, "w") as f:
        json.dump([asdict(r) for r in recs], f, indent=1)
