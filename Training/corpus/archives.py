"""Readers for the archives game packages keep their sounds in.

- zip (.zip, .pk3): the standard library's zipfile.
- OpenClonk's C4Group (.ocg): the file is gzip with its two magic bytes changed to 1E 8C;
  inside is a group: a 204-byte header (scrambled: every byte XOR 0xED, then the first and
  third byte of each triple swapped), one 316-byte directory entry per member, then the
  members' bytes, addressed from the end of the directory. A member flagged as a child group
  is itself a group, nested at its offset.

A damaged archive raises ArchiveError naming the file and what is wrong with it.
"""
import gzip
import io
import os
import struct
import zipfile

OCG_MAGIC = b"\x1e\x8c"
GZIP_MAGIC = b"\x1f\x8b"
C4_ID = b"RedWolf Design GrpFolder"
C4_HEADER = 204          # id[28], ver1, ver2, entries (int32), reserved[164]
C4_ENTRY = 316           # name[260], packed, child, size, reserved, offset (int32), ...
AUDIO = (".ogg", ".wav")


class ArchiveError(Exception):
    def __init__(self, path, problem):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem


def unscramble(b):
    """C4Group's header scrambling is its own inverse up to order: swap triples, then XOR."""
    h = bytearray(b)
    for i in range(0, len(h) - 2, 3):
        h[i], h[i + 2] = h[i + 2], h[i]
    return bytes(x ^ 0xED for x in h)


def ocg_bytes(path):
    """The group inside an .ocg file: gzip with OpenClonk's magic, decompressed."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != OCG_MAGIC:
        raise ArchiveError(path, f"got magic {raw[:2].hex()}, expected {OCG_MAGIC.hex()} (an OpenClonk group)")
    try:
        return gzip.decompress(GZIP_MAGIC + raw[2:])
    except (OSError, EOFError, ValueError) as e:
        raise ArchiveError(path, f"the compressed group is damaged ({e})") from None


def c4group_members(buf, path="<group>", base=0, prefix="", depth=0):
    """[(member path, offset, size)] of every file in the group, child groups walked."""
    if depth > 16:
        raise ArchiveError(path, f"groups nested deeper than 16 at {prefix!r}")
    if base < 0 or base + C4_HEADER > len(buf):
        raise ArchiveError(path, f"group {prefix or '/'} at byte {base} runs past the end ({len(buf)} bytes)")
    head = unscramble(buf[base:base + C4_HEADER])
    if not head.startswith(C4_ID):
        raise ArchiveError(path, f"group {prefix or '/'}: got id {head[:24]!r}, expected {C4_ID!r}")
    (count,) = struct.unpack_from("<i", head, 36)
    data0 = base + C4_HEADER + C4_ENTRY * count
    if count < 0 or data0 > len(buf):
        raise ArchiveError(path, f"group {prefix or '/'}: got {count} entries, more than {len(buf) - base} bytes hold")
    out = []
    for k in range(count):
        e = buf[base + C4_HEADER + C4_ENTRY * k: base + C4_HEADER + C4_ENTRY * (k + 1)]
        name = e[:260].split(b"\0", 1)[0].decode("latin-1")
        packed, child, size, _, offset = struct.unpack_from("<5i", e, 260)
        if not name or "/" in name or name in (".", ".."):
            raise ArchiveError(path, f"group {prefix or '/'}: entry {k} has the name {name!r}")
        if packed:
            raise ArchiveError(path, f"{prefix}{name}: packed members are not supported")
        start = data0 + offset
        if offset < 0 or size < 0 or start + size > len(buf):
            raise ArchiveError(path, f"{prefix}{name}: got bytes {start}..{start + size}, the group has {len(buf)}")
        if child:
            out += c4group_members(buf, path, start, prefix + name + "/", depth + 1)
        else:
            out.append((prefix + name, start, size))
    return out


class Archive:
    """An archive's audio members by path; bytes are read on demand (a group is held
    decompressed while the Archive lives)."""

    def __init__(self, path):
        self.path = path
        if path.endswith(".ocg"):
            self._buf = ocg_bytes(path)
            self._index = {m: (o, n) for m, o, n in c4group_members(self._buf, path)}
            self._zip = None
        else:
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as e:
                raise ArchiveError(path, f"not a readable zip ({e})") from None
            self._index = {m: None for m in self._zip.namelist() if not m.endswith("/")}

    def members(self, suffixes=AUDIO):
        return sorted(m for m in self._index if m.lower().endswith(suffixes))

    def read(self, member):
        if member not in self._index:
            raise ArchiveError(self.path, f"no member {member!r}")
        if self._zip is not None:
            return self._zip.read(member)
        o, n = self._index[member]
        return self._buf[o:o + n]

    def open(self, member):
        return io.BytesIO(self.read(member))


ARCHIVE_SUFFIXES = (".ocg", ".zip", ".pk3")
_open = {}


def archive(path):
    """One open Archive per path and process (a forked worker must not share its parent's
    file offset; a group is decompressed once per process)."""
    key = (os.getpid(), path)
    if key not in _open:
        _open[key] = Archive(path)
    return _open[key]
