"""The spectrogram VQGAN: official (taming) parameter names, geometry and token order."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain.vqgan import VQModel  # noqa: E402


def small():
    torch.manual_seed(0)
    return VQModel(n_embed=32, embed_dim=16, ch=16, z_channels=16, num_res_blocks=1, resolution=64, attn_resolutions=(4,)).eval()


def test_parameter_names_follow_the_official_layout():
    names = set(small().state_dict())
    for expected in ["encoder.conv_in.weight", "encoder.down.0.block.0.norm1.weight", "encoder.down.0.downsample.conv.weight",
                     "encoder.down.2.block.0.nin_shortcut.weight",
                     "encoder.down.4.attn.0.q.weight", "encoder.mid.block_1.conv1.weight", "encoder.mid.attn_1.proj_out.weight",
                     "encoder.norm_out.weight", "encoder.conv_out.weight", "decoder.conv_in.weight", "decoder.up.4.block.1.conv2.weight",
                     "decoder.up.4.attn.0.k.weight", "decoder.up.1.upsample.conv.weight", "decoder.conv_out.weight",
                     "quantize.embedding.weight", "quant_conv.weight", "post_quant_conv.weight"]:
        assert expected in names, expected
    assert not any("up.0.upsample" in n for n in names)          # the finest level does not upsample


def test_sixteen_fold_downsampling_to_five_rows_and_back():
    m = small()
    mel = torch.rand(2, 80, 64)
    with torch.no_grad():
        z = m.encode(mel)
        y, _, idx = m(mel)
    assert z.shape == (2, 16, 5, 4)
    assert idx.shape == (2, 5, 4)
    assert y.shape == mel.shape


def test_tokens_are_column_major_and_round_trip_through_the_decoder():
    m = small()
    mel = torch.rand(1, 80, 64)
    with torch.no_grad():
        idx = m.quantize.indices(m.encode(mel))[0]             # (5 rows, 4 steps)
        tokens = m.tokens(mel)[0]
        assert tokens.tolist() == idx.t().flatten().tolist()     # all rows of step 0, then step 1, …
        a = m.decode_tokens(tokens[None])
        b, _, _ = m(mel)
    assert torch.allclose(a, b, atol=1e-5)


def test_ema_codewords_move_toward_their_assigned_latents_and_save_only_the_official_tensor():
    torch.manual_seed(0)
    m = VQModel(n_embed=8, embed_dim=16, ch=16, z_channels=16, num_res_blocks=1, resolution=64, attn_resolutions=(4,),
                ema_decay=0.5)
    assert not any("ema" in n for n in m.state_dict())
    z = torch.randn(2, 16, 5, 4) * 3
    before = m.quantize.embedding.weight.clone()
    m.train()
    _, loss, idx = m.quantize(z)
    used = torch.unique(idx)
    flat = z.permute(0, 2, 3, 1).reshape(-1, 16)
    for code in used.tolist():
        target = flat[idx.flatten() == code].mean(0)
        moved = m.quantize.embedding.weight[code]
        assert (moved - target).norm() < (before[code] - target).norm()
    assert loss.item() > 0


def test_codewords_loaded_without_their_ema_statistics_survive_the_next_update_after_resync():
    # Resuming from a state_dict restores the codewords but not the (non-persistent) EMA
    # statistics; without a resync the first update drags every codeword back to its init.
    torch.manual_seed(0)
    make = lambda: VQModel(n_embed=8, embed_dim=16, ch=16, z_channels=16, num_res_blocks=1, resolution=64,
                           attn_resolutions=(4,), ema_decay=0.9).train()
    trained = make()
    trained.quantize.embedding.weight.data.normal_(0, 3)
    codewords = trained.quantize.embedding.weight.clone()
    z = codewords[torch.arange(8).repeat(5)].reshape(5, 8, 16).permute(2, 0, 1)[None]   # every code's own latent
    stale, fresh = make(), make()
    for m in (stale, fresh):
        m.load_state_dict(trained.state_dict())
    fresh.quantize.resync_ema()
    stale.quantize(z)
    fresh.quantize(z)
    assert torch.allclose(fresh.quantize.embedding.weight, codewords, atol=1e-4)
    assert not torch.allclose(stale.quantize.embedding.weight, codewords, atol=1e-2)
