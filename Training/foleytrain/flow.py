"""Rectified flow (FRIEREN §3; shared with the later latent generators): the straight path
x_t = t·x1 + (1 − t)·x0 from noise x0 (t = 0) to data x1 (t = 1), a network regressing its
velocity x1 − x0, and the solvers that integrate it. Sources/Generators/Components/Flow mirrors
the solvers step for step (the golden files compare accepted steps, not just end points).

Known frames (the audio left of a continuation, both sides of an inpainted span) ride their
exact path: their velocity is z − x0 (constant), so from x0 every solver keeps them at
t·z + (1 − t)·x0 at every stage, and the network sees the ground truth carried to its time on
the same noise (RePaint for flows) without a separate replacement step.
"""
import torch

# Dormand–Prince 5(4): nodes, stage weights, 5th-order weights, and 5th minus 4th for the error.
C = [0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0]
A = [[],
     [1 / 5],
     [3 / 40, 9 / 40],
     [44 / 45, -56 / 15, 32 / 9],
     [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
     [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
     [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]]
B5 = [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0]
E = [71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]   # b5 − b4


def logit_normal(n, gen=None, device="cpu"):
    """t = sigmoid(n), n ~ N(0, 1): the paper's re-weighting (eq. 6) as a sampling density."""
    return torch.sigmoid(torch.randn(n, generator=gen, device=device))


def flow_loss(velocity, x1, cond, gen=None, drop=0.2):
    """The re-weighted RFM objective; the condition is zeroed for a share `drop` of the batch so
    the same network gives the blind field for classifier-free guidance."""
    b = x1.shape[0]
    x0 = torch.randn(x1.shape, generator=gen, device=x1.device)
    t = logit_normal(b, gen, x1.device)
    xt = t[:, None, None] * x1 + (1 - t[:, None, None]) * x0
    keep = (torch.rand(b, generator=gen, device=x1.device) >= drop).float()
    v = velocity(xt, t, cond * keep.view(-1, *([1] * (cond.dim() - 1))))
    return ((v - (x1 - x0)) ** 2).mean()


def guided(velocity, cond, scale):
    """v_cfg = s·v(x, t | c) + (1 − s)·v(x, t | ∅), both passes in one batch of two."""
    def field(x, t):
        v = velocity(torch.cat([x, x]), torch.full((2 * x.shape[0],), float(t)), torch.cat([cond, torch.zeros_like(cond)]))
        vc, vu = v.chunk(2)
        return scale * vc + (1 - scale) * vu
    return field


def with_known(field, x0, target=None, known=None):
    """The field with known latent frames (`known` bool (L,)) held on their exact path to `target`."""
    if known is None or not bool(known.any()):
        return field
    exact = target - x0
    mask = known.to(x0.dtype)

    def f(x, t):
        return mask * exact + (1 - mask) * field(x, t)
    return f


def euler(field, x0, steps, trace=None):
    x = x0
    for i in range(steps):
        t = i / steps
        x = x + (1 / steps) * field(x, t)
        if trace is not None:
            trace.append(x.clone())
    return x


def dopri5(field, x0, rtol=1e-3, atol=1e-3, first=0.05, max_steps=200, trace=None):
    """Adaptive Dormand–Prince from t = 0 to 1: error per element against atol + rtol·max(|y|, |y_new|),
    RMS-normed; accept when ≤ 1; the next step h·clamp(0.9·err^(−1/5), 0.2, 10), never past 1.
    `trace` gets (t, accepted) for every attempt. Returns (x, accepted, evaluations)."""
    t, h, y = 0.0, first, x0
    k1 = field(y, t)
    accepted, evaluations = 0, 1
    while t < 1 and accepted < max_steps:
        h = min(h, 1 - t)
        k = [k1]
        for s in range(1, 7):
            ys = y + h * sum(a * ki for a, ki in zip(A[s], k) if a != 0)
            k.append(field(ys, t + C[s] * h))
        evaluations += 6
        y5 = y + h * sum(b * ki for b, ki in zip(B5, k) if b != 0)
        err = h * sum(e * ki for e, ki in zip(E, k) if e != 0)
        scale = atol + rtol * torch.maximum(y.abs(), y5.abs())
        norm = float(((err / scale) ** 2).mean().sqrt())
        ok = norm <= 1
        if trace is not None:
            trace.append((t, h, ok))
        if ok:
            t, y, k1 = (1.0 if t + h >= 1 - 1e-6 else t + h), y5, k[6]
            accepted += 1
        h = h * (10.0 if norm == 0 else min(10.0, max(0.2, 0.9 * norm ** -0.2)))
    return y, accepted, evaluations
