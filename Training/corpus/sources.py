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
from dataclasses import asdict, dataclass

import numpy as np

from . import archives, rules

SAMPLE_RATE = 22050

# FoleyWorld 1 (and CI's tiny corpus) reads the two small packages; FoleyWorld 2 adds the rest
# (3.9 GB of downloads, kept once in the cache outside the repository, see cache_dir).
SMALL_PACKAGES = ["ufoai-sound", "minetest-data"]
LARGE_PACKAGES = ["openclonk-data", "redeclipse-data", "0ad-data", "flightgear-data-base",
                  "tuxpaint-stamps-default", "widelands-data", "torcs-data", "megaglest-data",
                  "wesnoth-1.16-data", "supertuxkart-data", "openarena-data"]
ALL_PACKAGES = SMALL_PACKAGES + LARGE_PACKAGES
# Kept in the cache too: the photographs FoleyWorld 2's scenes are composited over (camera.py).
CACHED_PACKAGES = set(LARGE_PACKAGES) | {"mate-backgrounds", "plasma-workspace-wallpapers"}

# The archives inside a package that hold its sounds (by file name); others (graphics, music,
# maps) are never opened.
ARCHIVES = {"ufoai-sound": ("*.pk3",), "openclonk-data": ("Sound.ocg",), "0ad-data": ("public.zip",), "openarena-data": ("pak0.pk3",)}

RULES = rules.RULES
CLASSES = rules.CLASSES


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


def classes_of(folder):
    """The classes a built corpus holds (its train split's index), in CLASSES order: FoleyWorld
    1's twelve for FoleyWorld 1, so a model's outputs are the classes it can learn."""
    with open(os.path.join(folder, "train", "index.json")) as f:
        present = {e["class"] for e in json.load(f)}
    return [c for c in CLASSES if c in present]


def data_dir():
    return os.environ.get("FOLEY_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "data"))


def cache_dir():
    """Where the large packages are downloaded and unpacked once: $FOLEY_CACHE or ~/.cache/foley."""
    return os.environ.get("FOLEY_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "foley")


def package_dir(root, package):
    """The unpacked package: small ones under the data folder (as CI always had them), large
    ones in the cache, shared by every checkout and corpus."""
    return os.path.join(cache_dir() if package in CACHED_PACKAGES else root, "pkgs", package)


def fetch(packages, root):
    """Downloads and unpacks the packages (idempotent: a package already unpacked is kept)."""
    for p in packages:
        dest = package_dir(root, p)
        if os.path.isdir(dest):
            continue
        debs = os.path.join(os.path.dirname(os.path.dirname(dest)), "debs")
        os.makedirs(debs, exist_ok=True)
        existing = [f for f in os.listdir(debs) if f.startswith(p + "_") and f.endswith(".deb")]
        if not existing:
            _apt_download(p, debs)
            existing = [f for f in os.listdir(debs) if f.startswith(p + "_") and f.endswith(".deb")]
        tmp = dest + ".partial"
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        subprocess.run(["rm", "-rf", tmp], check=True)
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
    """Every audio file's path inside the package, members of its sound archives as
    `archive!member`."""
    base = package_dir(root, package)
    opened = ARCHIVES.get(package, ())
    for dirpath, dirs, files in os.walk(base):
        dirs.sort()
        for f in sorted(files):
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, base)
            if f.lower().endswith(archives.AUDIO):
                yield rel
            elif f.endswith(archives.ARCHIVE_SUFFIXES) and any(fnmatch.fnmatch(f, g) for g in opened):
                for m in archives.archive(full).members():
                    yield f"{rel}!{m}"


def _dep5(root, package):
    """Parsed DEP-5 copyright stanzas: [(globs, copyright, license)], in file order."""
    path = os.path.join(package_dir(root, package), "usr", "share", "doc", package, "copyright")
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


def _openclonk_credits(text):
    """Sound.ocg's authors.txt: [(author, works text, licence)]. Works are CC-BY-3.0 unless
    listed after the CC 0 heading; an author's block runs until the next unindented line."""
    blocks, licence = [], "CC-BY-3.0"
    for line in text.splitlines():
        if "CC 0" in line or "public domain" in line:
            licence = "CC0-1.0"
            continue
        m = re.match(r"^(\S[^\t]*?)\s*(?:\t+|\s{2,})-\s*(.*)$", line)
        if m:
            blocks.append([m.group(1).strip(), m.group(2), licence])
        elif line[:1] in (" ", "\t") and blocks and line.strip():
            blocks[-1][1] += " " + line.strip()
    return [tuple(b) for b in blocks]


def _openclonk_licence(credits, member):
    """The author and licence of one Sound.ocg member: a mention as `Group/Name` first, then
    the bare name; otherwise the file's stated default (CC-BY-3.0, the OpenClonk team)."""
    parts = member.split("/")
    stem = re.sub(r"\d*\.(ogg|wav)$", "", parts[-1])
    parent = parts[-2].replace(".ocg", "") if len(parts) > 1 else ""
    for pattern in (rf"{re.escape(parent)}/{re.escape(stem)}(?![a-z])", rf"(?<![A-Za-z/]){re.escape(stem)}(?![a-z])"):
        for author, works, licence in credits:
            if re.search(pattern, works):
                return licence, author + " (via OpenClonk, Sound.ocg/authors.txt)"
    return "CC-BY-3.0", "The OpenClonk Team and contributors (Sound.ocg/authors.txt: default licence)"


def _split_for(rid, cls_members, min_test=1):
    """Per class, recordings ordered by hash: ~20% test (at least `min_test` once a class has
    three times as many, so every class is tested on several recordings never heard in
    training), ~10% val, the rest train; at least one train and (when the class has two or
    more) one test recording."""
    order = sorted(cls_members, key=lambda r: hashlib.sha256(r.encode()).hexdigest())
    n = len(order)
    n_test = max(min(min_test, n // 3) or 1, round(0.2 * n)) if n >= 2 else 0
    n_val = round(0.1 * n) if n >= 5 else 0
    i = order.index(rid)
    return "test" if i < n_test else ("val" if i < n_test + n_val else "train")


def classify(package, rel):
    """(class, material) of a path inside a package by the first matching rule, or None."""
    for pkg, rx, cls, mat in RULES:
        if pkg != package:
            continue
        m = re.search(rx, rel)
        if m:
            return cls, (m.group(mat).lower() if isinstance(mat, int) else mat(m) if callable(mat) else mat)
    return None


def _licence_lookup(package, inner):
    """The path a package's copyright file names a member by."""
    if package == "ufoai-sound":          # relative to the game folder (base/...)
        return "base/" + inner
    if package == "minetest-data":        # mtg/ for games/minetest_game/
        return re.sub(r"^.*games/minetest_game/", "mtg/", inner)
    return inner                          # the others: a suffix of the installed path


# Packages whose copyright file is not DEP-5: one licence and holder for all their data.
WHOLE_PACKAGE_LICENCE = {"wesnoth-1.16-data": ("GPL-2+", "David White and the Battle for Wesnoth contributors")}


def catalogue(root, packages=SMALL_PACKAGES):
    """Every recording the rules keep, with licence and split. A file whose bytes repeat an
    earlier one (games copy sounds between units and packages) is kept once, so a test
    recording can never be a training recording under another name."""
    recs, seen = [], set()
    for p in packages:
        if p == "openclonk-data":
            group = os.path.join(package_dir(root, p), "usr/share/games/openclonk/Sound.ocg")
            credits = _openclonk_credits(archives.archive(group).read("authors.txt").decode("utf-8", "replace"))
        else:
            stanzas = _dep5(root, p)
        for rel in _package_files(root, p):
            hit = classify(p, rel)
            if hit is None:
                continue
            cls, material = hit
            inner = rel.split("!")[-1]
            if p == "openclonk-data":
                lic, holders = _openclonk_licence(credits, inner)
            elif p in WHOLE_PACKAGE_LICENCE:
                lic, holders = WHOLE_PACKAGE_LICENCE[p]
            else:
                lic, holders = _licence_for(stanzas, _licence_lookup(p, inner if p in SMALL_PACKAGES else rel))
            rec = Recording(f"{p}:{rel}", p, rel, cls, material, lic, holders)
            digest = hashlib.sha256(_bytes(root, rec)).digest()
            if digest not in seen:
                seen.add(digest)
                recs.append(rec)
    by_class = {}
    for r in recs:
        by_class.setdefault(r.cls, []).append(r.id)
    # FoleyWorld 2 asks for three test recordings per class; FoleyWorld 1 (the small packages
    # alone) keeps the classes and splits its reports were measured on.
    fw2 = any(p in LARGE_PACKAGES for p in packages)
    if not fw2:
        recs = [r for r in recs if r.cls in rules.CLASSES_1]
        by_class = {c: ids for c, ids in by_class.items() if c in rules.CLASSES_1}
    min_test = 3 if fw2 else 1
    for r in recs:
        r.split = _split_for(r.id, by_class[r.cls], min_test)
    return recs


def _bytes(root, rec):
    base = package_dir(root, rec.package)
    if "!" in rec.path:
        archive, member = rec.path.split("!", 1)
        return archives.archive(os.path.join(base, archive)).read(member)
    with open(os.path.join(base, rec.path), "rb") as f:
        return f.read()


def _source(root, rec):
    """ffmpeg input arguments and the bytes to pipe (archive members are read into memory)."""
    if "!" in rec.path:
        return ["-i", "pipe:0"], _bytes(root, rec)
    return ["-i", os.path.join(package_dir(root, rec.package), rec.path)], None


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
        tmp = f"{cpath}.{os.getpid()}.tmp.npy"                   # workers may decode the same recording at once
        np.save(tmp, x)
        os.replace(tmp, cpath)
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


def write_credits(recs, path, photos=()):
    """CREDITS.md: every recording the corpus can use, with package, licence and holders, and
    the photographs FoleyWorld 2 composites its scenes over."""
    lines = ["# Credits: recorded sound effects used by the FoleyWorld corpus", "",
             "Generated by `Training/corpus/build.py credits`. Recordings come unmodified from the",
             "Debian packages named below (fetched with `apt-get download`); the corpus mixes them",
             "with gain, pitch and ambience into new clips. Licences as stated in each package's",
             "copyright file. The corpus itself is not distributed with this repository.", "",
             "| recording | package | class / material | licence | copyright |", "|---|---|---|---|---|"]
    for r in sorted(recs, key=lambda r: r.id):
        lines.append(f"| `{r.path.split('!')[-1]}` | {r.package} | {r.cls} / {r.material} | {r.license} | {r.copyright.replace('|', '/')} |")
    if photos:
        lines += ["", "## Photographs (FoleyWorld 2 backdrops)", "",
                  "Desktop wallpapers from the Debian packages named, scaled and cropped under the drawn scenes.", "",
                  "| photograph | package | licence | copyright |", "|---|---|---|---|"]
        lines += [f"| `{p.path}` | {p.package} | {p.license} | {p.copyright.replace('|', '/')} |" for p in sorted(photos, key=lambda p: p.id)]
    lines += ["", *MODEL_CREDITS]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def save_catalogue(recs, path):
    with open(path, "w") as f:
        json.dump([asdict(r) for r in recs], f, indent=1)
