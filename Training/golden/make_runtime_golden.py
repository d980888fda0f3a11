"""Golden files for the Swift runtime: every op on fixed-seed inputs, plus two composite
models exported whole (a 2-layer minGPT stack and a conv stack). Writes
Tests/Fixtures/runtime/{ops,transformer,convstack}.safetensors (kept well under 10 MB).

Run: OMP_NUM_THREADS=1 /usr/bin/python3 Training/golden/make_runtime_golden.py [out_dir]
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from foleytrain import safetensors_io  # noqa: E402
from foleytrain.gpt import GPT  # noqa: E402
from foleytrain.torch_util import single_thread, to_numpy  # noqa: E402


def timestep_embedding(t, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float64) / half)
    args = t.double()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1).float()


def ops():
    g = {}

    def put(case, **tensors):
        for k, v in tensors.items():
            g[f"{case}.{k}"] = to_numpy(v) if torch.is_tensor(v) else v

    r = lambda *s: torch.randn(*s)  # noqa: E731
    x, w, b = r(7, 48), r(40, 48), r(40)
    put("linear", x=x, w=w, b=b, y=F.linear(x, w, b))
    x1 = r(1, 96)
    w1, b1 = r(64, 96), r(64)
    put("linear_row", x=x1, w=w1, b=b1, y=F.linear(x1, w1, b1))
    a, bb = r(3, 5, 6), r(3, 6, 4)
    put("matmul", a=a, b=bb, y=a @ bb)
    for name, cin, cout, k, s, p, d, gr, t in [("conv1d_a", 6, 8, 5, 2, 3, 1, 1, 23), ("conv1d_b", 8, 12, 3, 1, 2, 2, 4, 19)]:
        xx, ww, bias = r(2, cin, t), r(cout, cin // gr, k), r(cout)
        put(name, x=xx, w=ww, b=bias, y=F.conv1d(xx, ww, bias, stride=s, padding=p, dilation=d, groups=gr))
    xx, ww, bias = r(2, 4, 9, 11), r(6, 2, 3, 2), r(6)
    put("conv2d_a", x=xx, w=ww, b=bias, y=F.conv2d(xx, ww, bias, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2))
    xx, ww, bias = r(1, 5, 4, 6), r(3, 5, 1, 1), r(3)
    put("conv2d_1x1", x=xx, w=ww, b=bias, y=F.conv2d(xx, ww, bias))
    xx, ww, bias = r(2, 6, 10), r(6, 4, 8), r(8)
    put("convt1d", x=xx, w=ww, b=bias, y=F.conv_transpose1d(xx, ww, bias, stride=4, padding=2, output_padding=1, groups=2))
    xx, ww, bias = r(1, 3, 7), r(3, 5, 3), r(5)
    put("convt1d_dil", x=xx, w=ww, b=bias, y=F.conv_transpose1d(xx, ww, bias, stride=1, padding=1, dilation=2))
    xx = r(2, 3, 5)
    put("upsample1d", x=xx, y=F.interpolate(xx, scale_factor=3, mode="nearest"))
    xx = r(1, 2, 3, 4)
    put("upsample2d", x=xx, y=F.interpolate(xx, scale_factor=(2, 3), mode="nearest"))
    xx, ww, bias = r(4, 6, 32) * 3 + 1, r(32), r(32)
    put("layernorm", x=xx, w=ww, b=bias, y=F.layer_norm(xx, (32,), ww, bias, eps=1e-5))
    xx, ww, bias = r(2, 8, 5, 3) * 2 - 1, r(8), r(8)
    put("groupnorm", x=xx, w=ww, b=bias, y=F.group_norm(xx, 4, ww, bias, eps=1e-6))
    xx, mean, var, ww, bias = r(2, 5, 7), r(5), torch.rand(5) + 0.5, r(5), r(5)
    put("batchnorm", x=xx, mean=mean, var=var, w=ww, b=bias, y=F.batch_norm(xx, mean, var, ww, bias, False, 0.0, 1e-5))
    table = r(30, 16)
    idx = torch.tensor([3, 0, 29, 3, 17])
    put("embedding", table=table, idx=idx.float(), y=F.embedding(idx, table))
    xx = torch.cat([r(200) * 4, torch.tensor([0.0, 1e-6, -1e-6, 30.0, -30.0, 90.0, -90.0])])
    put("act", x=xx, gelu=F.gelu(xx), gelu_tanh=F.gelu(xx, approximate="tanh"), silu=F.silu(xx), relu=F.relu(xx),
        leaky=F.leaky_relu(xx, 0.2), tanh=torch.tanh(xx), sigmoid=torch.sigmoid(xx))
    xx = r(6, 33) * 5
    xx[2, 5] = 80.0
    put("softmax", x=xx, y=F.softmax(xx, -1), logy=F.log_softmax(xx, -1))
    # Multi-head attention: nn.MultiheadAttention with the three masks.
    mha = nn.MultiheadAttention(32, 4, batch_first=True)
    xx = r(2, 9, 32)
    causal = torch.triu(torch.ones(9, 9, dtype=torch.bool), 1)
    pad = torch.zeros(2, 9, dtype=torch.bool)
    pad[0, 7:] = True
    pad[1, 2] = True
    with torch.no_grad():
        put("mha", x=xx, in_w=mha.in_proj_weight, in_b=mha.in_proj_bias, out_w=mha.out_proj.weight, out_b=mha.out_proj.bias,
            y_full=mha(xx, xx, xx, need_weights=False)[0],
            y_causal=mha(xx, xx, xx, attn_mask=causal, need_weights=False)[0],
            y_pad=mha(xx, xx, xx, key_padding_mask=pad, need_weights=False)[0], pad=pad.float())
    t = torch.tensor([0.0, 1.0, 17.5, 999.0])
    put("timestep", t=t, y=timestep_embedding(t, 64))
    xx = r(3, 4, 5)
    put("reduce", x=xx, sum1=xx.sum(1), mean2=xx.mean(2), max0=xx.max(0).values)
    logits = r(3, 50) * 3
    put("sampling", logits=logits, argmax=logits.argmax(-1).float(),
        top5=torch.where(logits < torch.topk(logits, 5).values[:, -1:], torch.tensor(float("-inf")), logits))
    xx = r(2, 3, 9, 7)
    put("maxpool2d", x=xx, y=F.max_pool2d(xx, 2))
    return g


def transformer():
    torch.manual_seed(11)
    cfg = dict(vocab_size=50, block_size=32, layers=2, heads=4, width=64)
    model = GPT(**cfg).eval()
    with torch.no_grad():
        model.pos_emb.normal_(0, 0.02)
        tokens = torch.randint(0, 50, (1, 20))
        outs = []
        logits = model(tokens, layer_outputs=outs)
        greedy = model.generate_greedy(tokens[:, :5], 20)
    t = {k: to_numpy(v) for k, v in model.state_dict().items()}
    t["test.tokens"] = to_numpy(tokens[0].float())
    t["test.logits"] = to_numpy(logits[0])
    for i, o in enumerate(outs):
        t[f"test.layer{i}"] = to_numpy(o[0])
    t["test.greedy"] = to_numpy(torch.tensor(greedy).float())
    return t, {k: str(v) for k, v in cfg.items()}


class ConvStack(nn.Module):
    """Covers the conv-family ops in one graph: a vocoder-like 1-D path and a codec-like 2-D path."""

    def __init__(self):
        super().__init__()
        self.pre = nn.Conv1d(10, 16, 7, padding=3)
        self.up = nn.ConvTranspose1d(16, 8, 8, stride=4, padding=2)
        self.res = nn.Conv1d(8, 8, 3, padding=3, dilation=3)
        self.norm = nn.GroupNorm(4, 8)
        self.post = nn.Conv1d(8, 1, 7, padding=3)
        self.c2a = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.c2b = nn.Conv2d(8, 2, 3, padding=1)

    def forward(self, mel, image, trace):
        h = F.leaky_relu(self.pre(mel), 0.2); trace["pre"] = h
        h = self.up(h); trace["up"] = h
        h = h + self.res(F.leaky_relu(h, 0.2)); trace["res"] = h
        h = F.silu(self.norm(h)); trace["norm"] = h
        wave = torch.tanh(self.post(h)); trace["wave"] = wave
        g = F.relu(self.bn(self.c2a(image))); trace["c2a"] = g
        g = F.interpolate(g, scale_factor=2, mode="nearest")
        g = self.c2b(g); trace["c2b"] = g
        return wave, g


def convstack():
    torch.manual_seed(5)
    m = ConvStack().eval()
    with torch.no_grad():
        m.bn.running_mean.normal_(0, 0.5)
        m.bn.running_var.uniform_(0.5, 2.0)
        mel, image = torch.randn(1, 10, 12), torch.randn(1, 1, 10, 12)
        trace = {}
        m(mel, image, trace)
    t = {k: to_numpy(v) for k, v in m.state_dict().items() if not k.endswith("num_batches_tracked")}
    t["test.mel"], t["test.image"] = to_numpy(mel), to_numpy(image)
    for k, v in trace.items():
        t["test." + k] = to_numpy(v)
    return t


def main(out_dir):
    single_thread()
    torch.manual_seed(1234)
    os.makedirs(out_dir, exist_ok=True)
    meta = {"generator": "torch " + torch.__version__}
    safetensors_io.save(ops(), os.path.join(out_dir, "ops.safetensors"), metadata=meta)
    t, cfg = transformer()
    safetensors_io.save(t, os.path.join(out_dir, "transformer.safetensors"), metadata={**meta, **cfg})
    safetensors_io.save(convstack(), os.path.join(out_dir, "convstack.safetensors"), metadata=meta)
    for f in sorted(os.listdir(out_dir)):
        print(f, os.path.getsize(os.path.join(out_dir, f)), "bytes")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "runtime"))
