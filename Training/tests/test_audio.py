"""foleytrain.audio (numpy, used by the corpus and trainers) against librosa's golden mel."""
import os

import numpy as np

from foleytrain import audio, safetensors_io

GOLDEN = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "dsp", "mel_golden.safetensors")


def test_filterbank_matches_librosa():
    g, _ = safetensors_io.load(GOLDEN)
    np.testing.assert_allclose(audio.mel_filterbank(), g["filterbank"], atol=1e-6, rtol=1e-5)


def test_normalized_mel_matches_librosa():
    g, meta = safetensors_io.load(GOLDEN)
    assert meta["pad_mode"] == "reflect"
    got = audio.normalized_mel(g["signal"])
    assert got.shape == g["mel_normalized"].shape
    np.testing.assert_allclose(got, g["mel_normalized"], atol=1e-4)


def test_normalize_inverts():
    m = np.logspace(-4, 1, 50).astype(np.float32)
    np.testing.assert_allclose(audio.denormalize(audio.normalize(m)), m, rtol=2e-5)


def test_safetensors_roundtrip(tmp_path):
    a = {"x": np.arange(6, dtype=np.float32).reshape(2, 3), "i": np.array([1, 2], dtype=np.int64)}
    p = tmp_path / "t.safetensors"
    safetensors_io.save(a, p, metadata={"k": "v"})
    b, meta = safetensors_io.load(p)
    assert meta == {"k": "v"}
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
