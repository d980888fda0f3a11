"""Golden files for the Swift SpecVQGAN pieces, each a tiny randomly initialised model in the
official layout with its weights and outputs on fixed inputs:
  codec_golden    VQModel: latent, column-major tokens, decoder mid stage, decoded mel
  sampler_golden  GPTFeats: logits of features + tokens, greedy continuation after a prime
  vocoder_golden  MelGAN (weight norm folded): waveform of a mel
  /usr/bin/python3 Training/golden/make_codec_golden.py  → Tests/Fixtures/models/"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from foleytrain import safetensors_io                    # noqa: E402
from foleytrain.torch_util import single_thread, to_numpy  # noqa: E402
from foleytrain.vqgan import VQModel                      # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    single_thread()
    torch.manual_seed(3)
    config = dict(n_embed=32, embed_dim=8, ch=8, ch_mult=(1, 1, 2, 2, 4), num_res_blocks=1, attn_resolutions=(4,),
                  resolution=64, z_channels=8)
    model = VQModel(**config).eval()
    # Spread the codebook so nearest-code decisions are not knife-edge ties.
    model.quantize.embedding.weight.data.normal_(0, 1)
    g = torch.Generator().manual_seed(4)
    mel = torch.rand(1, 80, 64, generator=g)
    with torch.no_grad():
        z = model.encode(mel)
        tokens = model.tokens(mel)
        q = model.quantize.lookup(tokens.reshape(1, -1, 5).transpose(1, 2))
        post = model.post_quant_conv(q)
        mid = model.decoder.mid(model.decoder.conv_in(post))
        decoded = model.decode_tokens(tokens)
    tensors = {k: to_numpy(v) for k, v in model.state_dict().items()}
    tensors.update({"io.mel": to_numpy(mel[0]), "io.latent": to_numpy(z[0]), "io.tokens": to_numpy(tokens[0].float()),
                    "io.decoder_mid": to_numpy(mid[0]), "io.decoded": to_numpy(decoded[0])})
    out = os.path.join(ROOT, "Tests", "Fixtures", "models", "codec_golden.safetensors")
    safetensors_io.save(tensors, out, metadata={"config": json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in config.items()})})
    print("wrote", out, os.path.getsize(out), "bytes; tokens", tokens[0].tolist()[:10], "…")



def sampler_golden():
    """A tiny GPTFeats: logits of features + tokens, and greedy tokens after features + a prime."""
    from foleytrain.sampler import GPTFeats
    torch.manual_seed(5)
    model = GPTFeats(vocab_size=16, block_size=16, layers=2, heads=2, width=32, feat_dim=8).eval()
    g = torch.Generator().manual_seed(6)
    feats, tokens = torch.randn(1, 4, 8, generator=g), torch.randint(0, 16, (1, 6), generator=g)
    prime = tokens[:, :2]
    with torch.no_grad():
        logits = model.forward_feats(tokens, feats)[0]
        seq = prime
        for _ in range(8):
            nxt = model.forward_feats(seq, feats)[0, -1].argmax()
            seq = torch.cat([seq, nxt.view(1, 1)], dim=1)
        # Guided at scale 3, recomputed from scratch: blind logits from zero features.
        guided = prime
        for _ in range(8):
            c, u = model.forward_feats(guided, feats)[0, -1], model.forward_feats(guided, torch.zeros_like(feats))[0, -1]
            guided = torch.cat([guided, (u + 3 * (c - u)).argmax().view(1, 1)], dim=1)
    tensors = {k: to_numpy(v) for k, v in model.state_dict().items()}
    tensors.update({"io.features": to_numpy(feats[0]), "io.tokens": to_numpy(tokens[0].float()),
                    "io.logits": to_numpy(logits), "io.greedy": to_numpy(seq[0, 2:].float()),
                    "io.guided": to_numpy(guided[0, 2:].float())})
    out = os.path.join(ROOT, "Tests", "Fixtures", "models", "sampler_golden.safetensors")
    safetensors_io.save(tensors, out, metadata={"config": json.dumps(model.config)})
    print("wrote", out, os.path.getsize(out), "bytes; greedy", seq[0, 2:].tolist(), "guided", guided[0, 2:].tolist())



def vocoder_golden():
    """A tiny MelGAN, weight norm folded as at export: weights, a mel and its waveform."""
    from foleytrain.melgan import Generator
    from foleytrain.torch_util import fold_weight_norm
    torch.manual_seed(7)
    model = Generator(ngf=4, n_residual_layers=2).eval()
    fold_weight_norm(model)
    mel = torch.rand(1, 80, 6, generator=torch.Generator().manual_seed(8))
    with torch.no_grad():
        wav = model(mel)
    tensors = {k: to_numpy(v) for k, v in model.state_dict().items()}
    tensors.update({"io.mel": to_numpy(mel[0]), "io.waveform": to_numpy(wav[0, 0])})
    out = os.path.join(ROOT, "Tests", "Fixtures", "models", "vocoder_golden.safetensors")
    safetensors_io.save(tensors, out, metadata={"config": json.dumps(model.config)})
    print("wrote", out, os.path.getsize(out), "bytes")


def multiband_vocoder_golden():
    """A tiny multi-band MelGAN (4 bands, PQMF synthesis) like the shipped default: weights,
    a mel, its sub-band signals and its waveform."""
    from foleytrain.melgan import Generator
    from foleytrain.torch_util import fold_weight_norm
    torch.manual_seed(11)
    model = fold_weight_norm(Generator(ngf=4, n_residual_layers=2, ratios=(8, 4, 2), bands=4)).eval()
    mel = torch.rand(1, 80, 6, generator=torch.Generator().manual_seed(12))
    with torch.no_grad():
        sub = model.subbands(mel)
        wav = model.synthesise(sub)
    tensors = {k: to_numpy(v) for k, v in model.state_dict().items()}
    tensors.update({"io.mel": to_numpy(mel[0]), "io.subbands": to_numpy(sub[0]), "io.waveform": to_numpy(wav[0, 0])})
    out = os.path.join(ROOT, "Tests", "Fixtures", "models", "vocoder_multiband_golden.safetensors")
    safetensors_io.save(tensors, out, metadata={"config": json.dumps(model.config)})
    print("wrote", out, os.path.getsize(out), "bytes")



def tiny_bundle():
    """A consistent tiny `specvqgan` bundle (random weights) for the Swift generator's and the
    CLI's tests. Its features are 128-d like the shipped visual encoder's, so `foley generate`
    runs it on real clips."""
    from export_models import specvqgan_bundle, write_bundle
    from foleytrain.melgan import Generator
    from foleytrain.onsets import VisualOnsets
    from foleytrain.sampler import GPTFeats
    torch.manual_seed(9)
    window_frames = 64
    codec = VQModel(n_embed=32, embed_dim=8, ch=8, ch_mult=(1, 1, 1, 1, 2), num_res_blocks=1, attn_resolutions=(4,),
                    resolution=window_frames, z_channels=8).eval()
    codec.quantize.embedding.weight.data.normal_(0, 1)
    tokens = window_frames // 16 * 5
    sampler = GPTFeats(vocab_size=32, block_size=window_frames // 4 + tokens, layers=2, heads=2, width=32, feat_dim=128).eval()
    vocoder = Generator(ngf=4, n_residual_layers=2).eval()
    onsets = VisualOnsets(128, width=16).eval()                         # made last: the other weights stay as they were
    tensors, config = specvqgan_bundle(codec, sampler, vocoder, window_frames, onsets, threshold=0.5)
    write_bundle("specvqgan-tiny", tensors, config, "# specvqgan-tiny\n\nRandom weights for tests (Training/golden/make_codec_golden.py).\n",
                 os.path.join(ROOT, "Tests", "Fixtures", "models"))
    print("wrote specvqgan-tiny", len(tensors), "tensors")


if __name__ == "__main__":
    main()
    sampler_golden()
    vocoder_golden()
    multiband_vocoder_golden()
    tiny_bundle()
