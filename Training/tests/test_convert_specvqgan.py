"""convert_specvqgan.py on random checkpoints in the official layout: the yaml path and the
shape-inference path agree, weight norm is folded, and the converted modules compute what the
originals do."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "golden"))
import convert_specvqgan as cv          # noqa: E402
import official_layout as ol            # noqa: E402


def test_conversion_with_and_without_the_yaml(tmp_path):
    torch.manual_seed(0)
    codec, sampler, vocoder = ol.models("tiny")
    ol.write_official(str(tmp_path), "tiny", codec, sampler, vocoder)
    t, v = str(tmp_path / "transformer.ckpt"), str(tmp_path / "netG.pt")
    with_yaml = cv.convert(t, v, config=str(tmp_path / "transformer.yaml"))
    inferred = cv.convert(t, v, heads=2)
    assert with_yaml[3] == inferred[3] == 64
    assert with_yaml[1].config == inferred[1].config == sampler.config
    for a, b in zip(with_yaml[:3], inferred[:3]):
        sa, sb = a.state_dict(), b.state_dict()
        assert sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
    mel = torch.rand(1, 80, 64)
    feats = torch.randn(1, 16, 24)
    c, s, w, _ = inferred
    with torch.no_grad():
        assert torch.equal(c.tokens(mel), codec.tokens(mel))
        assert torch.allclose(s.forward_feats(torch.tensor([[1, 2, 3]]), feats), sampler.forward_feats(torch.tensor([[1, 2, 3]]), feats))
        assert torch.allclose(w(mel), vocoder(mel), atol=1e-5)       # folded g·v/‖v‖ = the weight-normed original


def test_missing_heads_and_bad_files_are_named(tmp_path):
    torch.manual_seed(0)
    ol.write_official(str(tmp_path), "tiny", *ol.models("tiny"))
    t, v = str(tmp_path / "transformer.ckpt"), str(tmp_path / "netG.pt")
    for call, message in [(lambda: cv.convert(t, v), "attention heads"),
                          (lambda: cv.convert(t, str(tmp_path / "nope.pt"), heads=2), "nope.pt: no such file"),
                          (lambda: cv.convert(t, v, heads=3), "got [3 heads]")]:
        try:
            call()
            raise AssertionError("no error")
        except cv.ConversionError as e:
            assert message in str(e), str(e)
