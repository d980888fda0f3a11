"""How the trainers cut frames for the visual encoder: as its bundle says, like Swift does."""
import os
import subprocess
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import bundle, dataset  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def wide_clip(path):
    """16:9, the left sixth red and the rest grey (the Swift FramingTests clip)."""
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=gray:s=192x108:r=25:d=1", "-vf",
                    "drawbox=x=0:y=0:w=32:h=108:color=red:t=fill", "-c:v", "libx264", "-pix_fmt", "yuv420p", path], check=True)
    return path


def test_whole_frame_keeps_the_edges_the_centre_square_drops(tmp_path):
    mp4 = wide_clip(str(tmp_path / "wide.mp4"))
    whole = dataset.decode_frames(mp4, 192, 108, 25, framing="whole-frame")
    crop = dataset.decode_frames(mp4, 192, 108, 25)
    assert whole.shape == crop.shape == (25, 64, 64, 3)
    assert whole[0, 32, 0, 0] > 150 and whole[0, 32, 0, 1] < 100
    assert crop[0, 32, 0, 0] < 150


def test_an_unknown_framing_is_refused_before_decoding(tmp_path):
    with pytest.raises(ValueError, match=r"got \[letterbox\], expected one of \['centre-crop', 'whole-frame'\]"):
        dataset.SplitCache(str(tmp_path), framing="letterbox")


def test_the_shipped_encoder_says_its_framing_and_hash():
    venc, aenc, head = bundle.encoders(os.path.join(ROOT, "Weights"))
    assert venc.framing == "centre-crop"                # exported before framings existed
    assert venc.weights_hash == bundle.fnv1a(os.path.join(ROOT, "Weights", "visual-encoder", "weights.safetensors"))


def test_features_are_cached_under_the_encoder_and_from_its_framing(tmp_path):
    import torch
    from train_sampler import clip_features

    class Split:
        def __init__(self, framing):
            self.framing, self.asked = framing, []

        def framed(self, framing):
            self.asked.append(framing)
            return Split(framing) if framing != self.framing else self

        def __len__(self):
            return 2

        def clip_frames(self, i):
            value = 255 if self.framing == "whole-frame" else 0
            return np.full((3 + i, 64, 64, 3), value, np.uint8)

    class Encoder(torch.nn.Module):
        framing, weights_hash = "whole-frame", "00ff00ff00ff00ff"

        def forward(self, frames):                     # (1, T, 3, 64, 64) → (1, T, 1): the mean picture
            return frames.mean(dim=(2, 3, 4))[..., None]

    split = Split("centre-crop")
    feats, offsets = clip_features(split, Encoder(), str(tmp_path / "visual-features.npz"))
    assert split.asked == ["whole-frame"] and list(offsets) == [0, 3, 7] and np.allclose(feats, 1.0)
    assert os.path.exists(tmp_path / "visual-features-00ff00ff00ff00ff.npz") and not os.path.exists(tmp_path / "visual-features.npz")


def test_generators_train_on_and_are_pinned_to_the_encoder_folder_they_are_told(monkeypatch):
    from export_models import visual_encoder_pin
    from train_sampler import shipped_visual_encoder
    fw1 = bundle.fnv1a(os.path.join(ROOT, "Weights", "visual-encoder", "weights.safetensors"))
    assert visual_encoder_pin() == {"visual_encoder": {"weights_hash": fw1}}
    assert shipped_visual_encoder()[0].weights_hash == fw1
    fw2 = os.path.join(ROOT, "Weights", "foleyworld2")
    monkeypatch.setenv("FOLEY_ENCODER_WEIGHTS", fw2)
    fw2_hash = bundle.fnv1a(os.path.join(fw2, "visual-encoder", "weights.safetensors"))
    assert fw2_hash != fw1
    venc, width = shipped_visual_encoder()
    assert (venc.weights_hash, venc.framing, width) == (fw2_hash, "whole-frame", 128)
    assert visual_encoder_pin() == {"visual_encoder": {"weights_hash": fw2_hash}}
