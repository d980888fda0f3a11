#ifndef FOLEY_KERNELS_H
#define FOLEY_KERNELS_H
#include <stddef.h>

// Elementwise hot loops of the runtime. Each is compiled twice (x86-64-v3: AVX2+FMA, and
// baseline x86-64) and picked at load time by CPU features, so one binary runs everywhere.
// Accuracy: exp relative error < 2e-7, erf absolute error < 1.5e-7.

void foley_exp(float *x, size_t n);
void foley_sigmoid(float *x, size_t n);
void foley_tanh(float *x, size_t n);
void foley_silu(float *x, size_t n);
void foley_gelu_erf(float *x, size_t n);
void foley_gelu_tanh(float *x, size_t n);
/// Softmax of one row in place; an all -inf row becomes all zeros.
void foley_softmax_row(float *x, size_t n);
/// LayerNorm over each of `rows` rows of length n; weight/bias may be NULL.
void foley_layernorm_rows(float *x, size_t rows, size_t n, const float *weight, const float *bias, float eps);
/// GroupNorm of [groups · channels_per_group, inner] in place (one batch item), the per-channel
/// affine (weight/bias may be NULL) and, when `silu` is non-zero, SiLU fused into the same pass.
void foley_groupnorm(float *x, size_t groups, size_t channels_per_group, size_t inner,
                     const float *weight, const float *bias, float eps, int silu);
#endif
