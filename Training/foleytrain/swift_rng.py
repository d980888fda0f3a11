"""The Swift side's seeded RNG (Runtime/Sampling.swift), bit for bit, so golden files can hold
what a Swift sampling loop draws: token choices (Visual Echoes) and starting noise (flows)."""
import math

import numpy as np

M64 = (1 << 64) - 1


class SeededRNG:
    """xoshiro256** seeded by SplitMix64, as Swift's SeededRNG."""

    def __init__(self, seed):
        x = seed & M64
        s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            s.append(z ^ (z >> 31))
        self.s = s

    def next(self):
        s = self.s
        r = (((s[1] * 5) & M64) << 7 | ((s[1] * 5) & M64) >> 57) & M64
        r = (r * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]
        s[2] ^= t
        s[3] = ((s[3] << 45) | (s[3] >> 19)) & M64
        return r

    def uniform(self):
        return np.float32((self.next() >> 40) * 2.0 ** -24)

    def uniform_open(self):
        return np.float32(((self.next() >> 41) + 0.5) * 2.0 ** -23)

    def gumbel(self):
        return -np.log(-np.log(self.uniform_open()))                  # float32 logs, as Swift's Float

    def normal(self):
        """Box–Muller in double precision, rounded to float32 (Swift's `normal()`)."""
        u1, u2 = float(self.uniform_open()), float(self.uniform())
        return np.float32(math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2))

    def normals(self, n):
        return np.array([self.normal() for _ in range(n)], dtype=np.float32)
