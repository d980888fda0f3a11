"""The full-band vocoder's fixed parts: the inverse STFT puts frame i at sample 512·i (as our
mel's frames are centred), the 22.05 kHz copy stays aligned with the 44.1 kHz one, and a
training step on real recordings runs with finite losses and the right shapes."""
import numpy as np
import torch

from foleytrain import fullband


def test_istft_inverts_a_centred_stft_of_the_same_geometry():
    g = torch.Generator().manual_seed(0)
    x = 0.1 * torch.randn(1, 512 * 40, generator=g)                 # |S| well under the head's clamp of 100
    s = torch.stft(x, fullband.N_FFT, fullband.HOP, window=fullband.hann(fullband.N_FFT).float(), center=True, return_complex=True)
    s = s[..., :40]                                               # frames 0…39, centred on 512·i
    y = fullband.istft(torch.log(s.abs() + 1e-12), torch.angle(s))
    assert y.shape == (1, 512 * 40)
    # the end is covered by fewer frames (the last 1.5 frames lack their right neighbours)
    err = (y[0, :512 * 37] - x[0, :512 * 37]).abs().max().item()
    assert err < 1e-5, err


def test_working_copy_keeps_each_sample_at_half_its_index():
    x = np.zeros(44100, np.float32)
    x[20000] = 1.0
    y = fullband.to_working_rate(x)
    assert len(y) == 22050 and int(np.argmax(y)) == 10000
    t = np.arange(44100) / 44100
    tone = np.sin(2 * np.pi * 1000 * t).astype(np.float32)
    down = fullband.to_working_rate(tone)[200:-200]
    ref = np.sin(2 * np.pi * 1000 * np.arange(22050) / 22050)[200:-200]
    assert np.abs(down - ref).max() < 1e-2                       # in band: passed unchanged, no delay
    assert np.abs(fullband.to_working_rate(np.sin(2 * np.pi * 15000 * t).astype(np.float32))[200:-200]).max() < 1e-2


def test_a_step_on_the_corpus_recordings_runs():
    import train_fullband as T
    from corpus import sources
    from foleytrain.melgan import MultiScaleDiscriminator, spectral_loss
    sources.fetch(sources.SMALL_PACKAGES, sources.data_dir())
    data = T.Recordings(sources.data_dir(), "val")
    assert data.items and all(abs(len(a) - 2 * len(b)) <= 1 for a, b in data.items)
    mel, wav = T.batch(data, np.random.default_rng(0), 2)
    assert mel.shape == (2, 80, T.FRAMES) and wav.shape == (2, 1, T.SEG44)
    assert float(wav.abs().max()) <= 0.95 + 1e-6
    model = fullband.FullBandVocoder(dim=16, inter=24, layers=1)
    fake = model(mel)
    assert fake.shape == wav.shape
    loss = 45 * fullband.mel_loss(fake, wav, fullband.fullband_mel_basis()) + spectral_loss(fake, wav)
    d = MultiScaleDiscriminator()(fake[..., :4096])
    loss = loss + sum(f[-1].mean() for f in d)
    loss.backward()
    assert torch.isfinite(loss) and all(torch.isfinite(p.grad).all() for p in model.parameters())
