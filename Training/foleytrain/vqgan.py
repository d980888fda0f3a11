"""The spectrogram VQGAN (SpecVQGAN's codec) in the official layout: module names follow the
taming-transformers VQModel the SpecVQGAN release ships (encoder.down.{i}.block.{j}.norm1 …,
quantize.embedding.weight, quant_conv, post_quant_conv), so an official checkpoint's
state_dict loads into this module unchanged and the exporter maps both the same way.

Geometry: input (B, 1, 80, T) normalised mel; len(ch_mult) - 1 = 4 stride-2 downsamplings
give (B, embed_dim, 5, T / 16); tokens are read column-major (the 5 rows of a time step,
then the next step) by the sampler."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def normalize(c):
    return nn.GroupNorm(num_groups=32 if c % 32 == 0 else 8, num_channels=c, eps=1e-6, affine=True)


class ResnetBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.norm1, self.conv1 = normalize(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2, self.conv2 = normalize(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.nin_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(F.silu(self.norm2(h)))
        return (self.nin_shortcut(x) if self.nin_shortcut is not None else x) + h


class AttnBlock(nn.Module):
    """Single-head self-attention over all positions of a feature map (1×1 conv q, k, v)."""

    def __init__(self, c):
        super().__init__()
        self.norm = normalize(c)
        self.q, self.k, self.v, self.proj_out = (nn.Conv2d(c, c, 1) for _ in range(4))

    def forward(self, x):
        b, c, h, w = x.shape
        n = self.norm(x)
        q = self.q(n).reshape(b, c, h * w).transpose(1, 2)              # (B, HW, C)
        k = self.k(n).reshape(b, c, h * w)                              # (B, C, HW)
        att = torch.softmax(torch.bmm(q, k) * c ** -0.5, dim=2)         # (B, HW, HW)
        v = self.v(n).reshape(b, c, h * w)                              # (B, C, HW)
        y = torch.bmm(v, att.transpose(1, 2)).reshape(b, c, h, w)
        return x + self.proj_out(y)


class Downsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, stride=2, padding=0)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))                        # taming's asymmetric pad


class Upsample(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Level(nn.Module):
    """One resolution: residual blocks, attention where the time length is in attn_resolutions."""

    def __init__(self, blocks, attn, resample=None):
        super().__init__()
        self.block, self.attn = nn.ModuleList(blocks), nn.ModuleList(attn)
        if resample is not None:
            if isinstance(resample, Downsample):
                self.downsample = resample
            else:
                self.upsample = resample

    def blocks(self, h):
        """The residual blocks, each followed by its attention block at attention levels."""
        for j, block in enumerate(self.block):
            h = block(h)
            if len(self.attn):
                h = self.attn[j](h)
        return h


class Mid(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.block_1, self.attn_1, self.block_2 = ResnetBlock(c, c), AttnBlock(c), ResnetBlock(c, c)

    def forward(self, x):
        return self.block_2(self.attn_1(self.block_1(x)))


class Encoder(nn.Module):
    def __init__(self, ch, ch_mult, num_res_blocks, attn_resolutions, resolution, in_channels, z_channels):
        super().__init__()
        self.conv_in = nn.Conv2d(in_channels, ch, 3, padding=1)
        mult = (1,) + tuple(ch_mult)
        res, levels = resolution, []
        for i in range(len(ch_mult)):
            cin, cout = ch * mult[i], ch * mult[i + 1]
            blocks = [ResnetBlock(cin if j == 0 else cout, cout) for j in range(num_res_blocks)]
            attn = [AttnBlock(cout) for _ in range(num_res_blocks)] if res in attn_resolutions else []
            last = i == len(ch_mult) - 1
            levels.append(Level(blocks, attn, None if last else Downsample(cout)))
            res = res if last else res // 2
        self.down = nn.ModuleList(levels)
        c = ch * ch_mult[-1]
        self.mid = Mid(c)
        self.norm_out, self.conv_out = normalize(c), nn.Conv2d(c, z_channels, 3, padding=1)

    def forward(self, x):
        h = self.conv_in(x)
        for level in self.down:
            h = level.blocks(h)
            if hasattr(level, "downsample"):
                h = level.downsample(h)
        return self.conv_out(F.silu(self.norm_out(self.mid(h))))


class Decoder(nn.Module):
    def __init__(self, ch, ch_mult, num_res_blocks, attn_resolutions, resolution, out_ch, z_channels):
        super().__init__()
        c = ch * ch_mult[-1]
        res = resolution // 2 ** (len(ch_mult) - 1)
        self.conv_in = nn.Conv2d(z_channels, c, 3, padding=1)
        self.mid = Mid(c)
        levels = [None] * len(ch_mult)
        for i in reversed(range(len(ch_mult))):
            cout = ch * ch_mult[i]
            blocks = [ResnetBlock(c if j == 0 else cout, cout) for j in range(num_res_blocks + 1)]
            attn = [AttnBlock(cout) for _ in range(num_res_blocks + 1)] if res in attn_resolutions else []
            levels[i] = Level(blocks, attn, Upsample(cout) if i != 0 else None)
            c = cout
            res = res * 2 if i != 0 else res
        self.up = nn.ModuleList(levels)                                  # indexed like taming: up.0 is the finest
        self.norm_out, self.conv_out = normalize(c), nn.Conv2d(c, out_ch, 3, padding=1)

    def forward(self, z):
        h = self.mid(self.conv_in(z))
        for level in reversed(self.up):
            h = level.blocks(h)
            if hasattr(level, "upsample"):
                h = level.upsample(h)
        return self.conv_out(F.silu(self.norm_out(h)))


class VectorQuantizer(nn.Module):
    """Nearest-codeword quantisation with the straight-through gradient.

    Codebook learning: with `ema_decay` the codewords are exponential moving averages of the
    encoder outputs assigned to them (loss = β ||z − sg[e]||²); without it, the paper's
    ||sg[z] − e||² + β ||z − sg[e]||². Either way the only saved tensor is
    `quantize.embedding.weight` (the EMA statistics are not persistent), so the official
    layout is kept. β = 0.25."""

    def __init__(self, n_embed, embed_dim, beta=0.25, ema_decay=None):
        super().__init__()
        self.embedding = nn.Embedding(n_embed, embed_dim)
        self.embedding.weight.data.uniform_(-1.0 / n_embed, 1.0 / n_embed)
        self.beta, self.ema_decay = beta, ema_decay
        if ema_decay is not None:
            self.embedding.weight.requires_grad_(False)
            self.register_buffer("ema_count", torch.ones(n_embed), persistent=False)
            self.register_buffer("ema_sum", self.embedding.weight.data.clone(), persistent=False)

    def indices(self, z):                                                # z (B, D, H, W) → (B, H, W)
        flat = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
        d = (flat.pow(2).sum(1, keepdim=True) - 2 * flat @ self.embedding.weight.t()
             + self.embedding.weight.pow(2).sum(1)[None])
        return d.argmin(1).reshape(z.shape[0], z.shape[2], z.shape[3])

    def lookup(self, idx):                                               # (B, H, W) → (B, D, H, W)
        return self.embedding(idx).permute(0, 3, 1, 2)

    @torch.no_grad()
    def ema_update(self, z, idx):
        flat, codes = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1]), idx.flatten()
        n = self.embedding.num_embeddings
        counts = torch.bincount(codes, minlength=n).float()
        sums = torch.zeros_like(self.ema_sum).index_add_(0, codes, flat)
        self.ema_count.mul_(self.ema_decay).add_(counts, alpha=1 - self.ema_decay)
        self.ema_sum.mul_(self.ema_decay).add_(sums, alpha=1 - self.ema_decay)
        total = self.ema_count.sum()
        smoothed = (self.ema_count + 1e-5) / (total + n * 1e-5) * total     # Laplace smoothing: no division by 0
        self.embedding.weight.data.copy_(self.ema_sum / smoothed[:, None])

    @torch.no_grad()
    def resync_ema(self):
        """EMA statistics consistent with the current codewords (count 1 each). Needed when
        the codewords were loaded without their statistics: the next update would otherwise
        pull every codeword back towards its random initial value."""
        self.ema_count.fill_(1.0)
        self.ema_sum.copy_(self.embedding.weight.data)

    def restart(self, dead, replacements):
        """Dead codewords take fresh encoder outputs (and, with EMA, fresh statistics)."""
        self.embedding.weight.data[dead] = replacements
        if self.ema_decay is not None:
            self.ema_sum[dead] = replacements
            self.ema_count[dead] = 1.0

    @torch.no_grad()
    def restart_dead(self, z, idx, last_seen, step, every=25, idle=100):
        """Codewords nobody has picked for `idle` steps take current encoder outputs (checked
        every `every` steps); `last_seen` (per code) is updated. Returns this batch's counts."""
        counts = torch.bincount(idx.flatten(), minlength=self.embedding.num_embeddings)
        last_seen[counts > 0] = step
        dead = (step - last_seen > idle).nonzero().flatten()
        if step % every == 0 and len(dead):
            flat = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
            self.restart(dead, flat[torch.randint(len(flat), (len(dead),), device=z.device)])
            last_seen[dead] = step
        return counts

    def forward(self, z):
        idx = self.indices(z)
        q = self.lookup(idx)
        if self.ema_decay is not None:
            if self.training:
                self.ema_update(z.detach(), idx)
            loss = self.beta * F.mse_loss(z, q.detach())
        else:
            loss = F.mse_loss(q, z.detach()) + self.beta * F.mse_loss(z, q.detach())
        return z + (q - z).detach(), loss, idx


class VQModel(nn.Module):
    def __init__(self, n_embed=256, embed_dim=64, ch=32, ch_mult=(1, 1, 2, 2, 4), num_res_blocks=1,
                 attn_resolutions=(32,), resolution=512, z_channels=64, ema_decay=None, in_channels=1):
        super().__init__()
        self.config = dict(n_embed=n_embed, embed_dim=embed_dim, ch=ch, ch_mult=list(ch_mult), num_res_blocks=num_res_blocks,
                           attn_resolutions=list(attn_resolutions), resolution=resolution, z_channels=z_channels)
        if in_channels != 1:                                             # an image tokenizer (RGB); mel codecs keep their config
            self.config["in_channels"] = in_channels
        self.encoder = Encoder(ch, ch_mult, num_res_blocks, attn_resolutions, resolution, in_channels, z_channels)
        self.decoder = Decoder(ch, ch_mult, num_res_blocks, attn_resolutions, resolution, in_channels, z_channels)
        self.quantize = VectorQuantizer(n_embed, embed_dim, ema_decay=ema_decay)
        self.quant_conv = nn.Conv2d(z_channels, embed_dim, 1)
        self.post_quant_conv = nn.Conv2d(embed_dim, z_channels, 1)

    def encode(self, mel):                                               # (B, 80, T) in [0, 1]
        return self.quant_conv(self.encoder(mel.unsqueeze(1) * 2 - 1))   # (B, D, 5, T/16)

    def decode_code(self, q):
        return (self.decoder(self.post_quant_conv(q)).squeeze(1) + 1) / 2

    def encode_images(self, x):                                         # (B, C, H, W) in [0, 1]
        return self.quant_conv(self.encoder(x * 2 - 1))                 # (B, D, H/f, W/f)

    def image_tokens(self, x):
        """Codebook indices of each image's grid, row-major: (B, H/f · W/f)."""
        idx = self.quantize.indices(self.encode_images(x))
        return idx.reshape(idx.shape[0], -1)

    def decode_images(self, tokens, side):
        idx = tokens.reshape(tokens.shape[0], side, -1)
        return (self.decoder(self.post_quant_conv(self.quantize.lookup(idx))) + 1) / 2

    def tokens(self, mel):
        """Codebook indices in column-major order: (B, 5 · T/16)."""
        idx = self.quantize.indices(self.encode(mel))                    # (B, 5, W)
        return idx.transpose(1, 2).reshape(idx.shape[0], -1)

    def decode_tokens(self, tokens, rows=5):
        idx = tokens.reshape(tokens.shape[0], -1, rows).transpose(1, 2)  # (B, 5, W)
        return self.decode_code(self.quantize.lookup(idx))

    def forward(self, mel):
        q, qloss, idx = self.quantize(self.encode(mel))
        return self.decode_code(q), qloss, idx


class PatchDiscriminator(nn.Module):
    """PatchGAN (pix2pix) over the mel: real/fake per patch."""

    def __init__(self, ch=32, layers=3):
        super().__init__()
        seq = [nn.Conv2d(1, ch, 4, 2, 1), nn.LeakyReLU(0.2)]
        c = ch
        for i in range(1, layers):
            seq += [nn.Conv2d(c, min(c * 2, ch * 8), 4, 2, 1, bias=False), nn.BatchNorm2d(min(c * 2, ch * 8)), nn.LeakyReLU(0.2)]
            c = min(c * 2, ch * 8)
        seq += [nn.Conv2d(c, 1, 4, 1, 1)]
        self.main = nn.Sequential(*seq)

    def forward(self, mel):
        return self.main(mel.unsqueeze(1) * 2 - 1)
