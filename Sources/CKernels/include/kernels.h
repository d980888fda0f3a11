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
/// y[b, r] = bias[r] + Σ_i w[r, i] · x[b, i] for b < batch (w [rows, cols] row-major, x
/// [batch, cols], y [batch, rows]; bias may be NULL). Each weight row is read once for up to
/// 4 streams, and a stream's result does not depend on the batch it is computed in.
void foley_matvec_batch(const float *w, size_t rows, size_t cols, const float *x, size_t batch,
                        const float *bias, float *y);
/// Multi-head attention of one query q [heads · head_dim] over `keys` rows of k and v (leading
/// dimensions ldk, ldv): out [heads · head_dim]; `scores` holds at least `keys` floats.
void foley_attend_one(const float *q, const float *k, size_t ldk, const float *v, size_t ldv,
                      size_t keys, size_t heads, size_t head_dim, float scale, float *scores, float *out);
#endif
