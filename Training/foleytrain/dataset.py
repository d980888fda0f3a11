"""FoleyWorld clips as training tensors, cached per split.

Frames follow the Swift VideoReader's rules exactly: output k shows the last source frame
whose time is at or before k / 21.533 s, resized with swscale's area filter to 64×64 in one of
two framings, which the visual encoder's bundle names: "centre-crop" (the short side scaled to
64, the centre square kept: FoleyWorld 1's encoder) or "whole-frame" (the whole picture scaled
to 64×64, aspect not kept, so a cause at the edge of a 16:9 or 9:16 frame stays in view).
Audio is the normalised mel of DESIGN.md.
"""
import json
import os
import subprocess

import numpy as np

from . import audio

VISUAL_RATE = audio.SAMPLE_RATE / audio.HOP / 4      # 21.533 features per second
SIZE = 64
FRAMINGS = ("centre-crop", "whole-frame")


def clip_paths(folder):
    return sorted(os.path.join(folder, f[:-5]) for f in os.listdir(folder) if f.endswith(".json") and f != "index.json")


def frame_filter(width, height, framing="centre-crop"):
    """The ffmpeg filter that frames a width×height picture as the encoder sees it."""
    if framing == "whole-frame":
        return f"scale={SIZE}:{SIZE}:flags=area"
    if framing != "centre-crop":
        raise ValueError(f"framing: got [{framing}], expected one of {list(FRAMINGS)}")
    if width >= height:
        sw, sh = max(SIZE, round(width * SIZE / height)), SIZE
    else:
        sw, sh = SIZE, max(SIZE, round(height * SIZE / width))
    return f"scale={sw}:{sh}:flags=area,crop={SIZE}:{SIZE}:{(sw - SIZE) // 2}:{(sh - SIZE) // 2}"


def decode_frames(mp4, width, height, fps, vfr=False, framing="centre-crop"):
    """All source frames, area-scaled to SIZE×SIZE in `framing`, uint8 [N, 64, 64, 3]
    (a variable-rate clip's frames as they are, none duplicated to a constant rate)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", mp4, *(["-fps_mode", "passthrough"] if vfr else []), "-vf",
                          frame_filter(width, height, framing), "-pix_fmt", "rgb24",
                          "-f", "rawvideo", "pipe:1"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, SIZE, SIZE, 3)


def frame_times(mp4):
    """Each decoded frame's presentation time (s), for a variable-rate clip."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "frame=best_effort_timestamp_time",
                          "-of", "csv=p=0", mp4], capture_output=True, check=True, text=True).stdout
    return np.array([float(x.strip(",")) for x in out.split()], np.float64)


def resample_frames(frames, fps, duration, times=None):
    """Frame k at k / VISUAL_RATE: the last source frame n with n / fps <= t (or, for a
    variable-rate clip, with times[n] <= t)."""
    count = int(np.ceil(duration * VISUAL_RATE - 1e-9))
    if times is not None:
        t = np.arange(count) / VISUAL_RATE
        idx = np.clip(np.searchsorted(times[:len(frames)], t + 1e-6, side="right") - 1, 0, len(frames) - 1)
        return frames[idx]
    idx = np.minimum(np.floor(np.arange(count) / VISUAL_RATE * fps + 1e-9).astype(int), len(frames) - 1)
    return frames[idx]


def read_wav(path):
    import wave
    with wave.open(path) as w:
        assert w.getframerate() == audio.SAMPLE_RATE and w.getnchannels() == 1, path
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768


def load_clip(base, framing="centre-crop"):
    meta = json.load(open(base + ".json"))
    times = frame_times(base + ".mp4") if meta.get("vfr") else None
    frames = decode_frames(base + ".mp4", *meta["size"], meta["fps"], vfr=bool(meta.get("vfr")), framing=framing)
    frames = resample_frames(frames, meta["fps"], meta["duration"], times)
    mel = audio.normalized_mel(read_wav(base + ".wav"))
    return meta, frames, mel


class SplitCache:
    """All clips of a split in flat arrays: frames [sumTv, 64, 64, 3] uint8, mels [80, sumTm]
    float16, with per-clip offsets, plus class/material labels and annotations. Frames are
    framed as `framing` says (the centre-crop cache keeps its old name, cache.npz)."""

    def __init__(self, folder, cache_path=None, framing="centre-crop"):
        frame_filter(1, 1, framing)                                   # an unknown framing fails before any decoding
        self.folder, self.framing = folder, framing
        cache_path = cache_path or os.path.join(folder, "cache.npz" if framing == "centre-crop" else f"cache-{framing}.npz")
        if os.path.exists(cache_path):
            z = np.load(cache_path, allow_pickle=False)
            self.frames, self.mels = z["frames"], z["mels"]
            self.f_off, self.m_off = z["f_off"], z["m_off"]
            self.metas = json.loads(str(z["metas"]))
        else:
            frames, mels, self.metas = [], [], []
            for base in clip_paths(folder):
                meta, f, m = load_clip(base, framing)
                frames.append(f)
                mels.append(m.astype(np.float16))
                self.metas.append(meta)
            self.f_off = np.cumsum([0] + [len(f) for f in frames])
            self.m_off = np.cumsum([0] + [m.shape[1] for m in mels])
            self.frames = np.concatenate(frames)
            self.mels = np.concatenate(mels, axis=1)
            tmp = f"{cache_path}.{os.getpid()}.tmp.npz"   # concurrent trainers may build the same cache
            np.savez(tmp, frames=self.frames, mels=self.mels, f_off=self.f_off, m_off=self.m_off,
                     metas=json.dumps(self.metas))
            os.replace(tmp, cache_path)

    def __len__(self):
        return len(self.metas)

    def framed(self, framing):
        """The same split with its frames in `framing` (itself when they already are)."""
        return self if framing == self.framing else SplitCache(self.folder, framing=framing)

    def clip_frames(self, i):
        return self.frames[self.f_off[i]:self.f_off[i + 1]]

    def clip_mel(self, i):
        return self.mels[:, self.m_off[i]:self.m_off[i + 1]].astype(np.float32)
