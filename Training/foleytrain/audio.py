"""The fixed audio geometry (DESIGN.md) for training: waveform -> normalised mel.

Implemented with numpy only, so the corpus builder and trainers do not need librosa; the
test suite checks it against golden files made with librosa (Training/golden).
"""
import numpy as np

SAMPLE_RATE = 22050
N_FFT = 1024
HOP = 256
N_MELS = 80
F_MIN = 125.0
F_MAX = 7600.0

_F_SP = 200.0 / 3.0
_MIN_LOG_HZ = 1000.0
_MIN_LOG_MEL = _MIN_LOG_HZ / _F_SP
_LOG_STEP = np.log(6.4) / 27.0


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    return np.where(f >= _MIN_LOG_HZ, _MIN_LOG_MEL + np.log(np.maximum(f, 1e-10) / _MIN_LOG_HZ) / _LOG_STEP, f / _F_SP)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= _MIN_LOG_MEL, _MIN_LOG_HZ * np.exp(_LOG_STEP * (m - _MIN_LOG_MEL)), _F_SP * m)


def mel_filterbank(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=N_MELS, fmin=F_MIN, fmax=F_MAX):
    """Slaney-scale, Slaney-normalised triangular filters, shape (n_mels, n_fft//2+1)."""
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    lower, centre, upper = mel_f[:-2, None], mel_f[1:-1, None], mel_f[2:, None]
    up = (freqs[None, :] - lower) / (centre - lower)
    down = (upper - freqs[None, :]) / (upper - centre)
    w = np.maximum(0.0, np.minimum(up, down)) * (2.0 / (upper - lower))
    return w.astype(np.float32)


def hann(n):
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)).astype(np.float32)


def stft_magnitude(x, n_fft=N_FFT, hop=HOP):
    """|STFT| with centre reflect padding, shape (n_fft//2+1, frames)."""
    x = np.asarray(x, dtype=np.float32)
    xp = np.pad(x, n_fft // 2, mode="reflect")
    frames = 1 + len(x) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(xp[idx] * hann(n_fft)[None, :], axis=1)
    return np.abs(spec).T.astype(np.float32)


def mel_magnitude(x):
    return mel_filterbank() @ stft_magnitude(x)


def normalize(mel):
    db = 20.0 * np.log10(np.maximum(1e-5, mel)) - 20.0
    return np.clip((db + 100.0) / 100.0, 0.0, 1.0).astype(np.float32)


def denormalize(norm):
    return np.power(10.0, (np.asarray(norm, dtype=np.float64) * 100.0 - 100.0 + 20.0) / 20.0).astype(np.float32)


def normalized_mel(x):
    """Waveform (22.05 kHz mono) -> the [0, 1] mel the models see, shape (80, frames)."""
    return normalize(mel_magnitude(x))
