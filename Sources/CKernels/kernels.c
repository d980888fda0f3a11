#include "kernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define MULTIVERSION
#endif

// exp by Cody-Waite range reduction and Cephes' degree-6 polynomial. Rounding to the nearest
// integer uses the 1.5·2^23 trick so the loop has no conversions and vectorises. Results
// below e^-87 are exactly 0: denormals would slow the rest of the row down many times.
// Written so every select lowers to max/min/and: variable blends measured 3× slower here.
static inline float exp_approx(float v) {
    float x = v > -87.0f ? v : -87.0f;
    x = x < 88.3f ? x : 88.3f;
    float shifted = x * 1.44269504088896341f + 12582912.0f;
    float n = shifted - 12582912.0f;
    float r = x - n * 0.693359375f + n * 2.12194440e-4f;
    float z = r * r;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * z + r + 1.0f;
    uint32_t bits;
    memcpy(&bits, &shifted, 4);
    bits = (bits - 0x4B400000u + 127u) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    float y = p * scale;
    return v > -87.0f ? y : 0.0f;
}

static inline float sigmoid_approx(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

// Odd functions are computed on |x| and take the sign back bitwise (no blend).
static inline float tanh_approx(float x) {
    float a = fabsf(x);
    return copysignf(1.0f - 2.0f / (exp_approx(2.0f * a) + 1.0f), x);   // absolute error < 2e-7
}

// Abramowitz & Stegun 7.1.26.
static inline float erf_approx(float x) {
    float a = fabsf(x);
    float t = 1.0f / (1.0f + 0.3275911f * a);
    float y = 1.061405429f;
    y = y * t - 1.453152027f;
    y = y * t + 1.421413741f;
    y = y * t - 0.284496736f;
    y = y * t + 0.254829592f;
    return copysignf(1.0f - y * t * exp_approx(-a * a), x);
}

MULTIVERSION void foley_exp(float *x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = exp_approx(x[i]); }
MULTIVERSION void foley_sigmoid(float *x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = sigmoid_approx(x[i]); }
MULTIVERSION void foley_tanh(float *x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = tanh_approx(x[i]); }
MULTIVERSION void foley_silu(float *x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = x[i] * sigmoid_approx(x[i]); }

MULTIVERSION void foley_gelu_erf(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) { float v = x[i]; x[i] = 0.5f * v * (1.0f + erf_approx(v * 0.70710678118654752f)); }
}

MULTIVERSION void foley_gelu_tanh(float *x, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        x[i] = 0.5f * v * (1.0f + tanh_approx(0.79788456080286536f * (v + 0.044715f * v * v * v)));
    }
}

// Reductions with 8 independent lanes: strict IEEE order would serialise them.
static inline float row_max(const float *x, size_t n) {
    float m[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) m[k] = m[k] > x[i + k] ? m[k] : x[i + k];
    float r = m[0];
    for (int k = 1; k < 8; k++) r = m[k] > r ? m[k] : r;
    for (; i < n; i++) r = x[i] > r ? x[i] : r;
    return r;
}

static inline float row_sum(const float *x, size_t n) {
    float s[8] = {0};
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) s[k] += x[i + k];
    float r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    for (; i < n; i++) r += x[i];
    return r;
}

static inline __attribute__((always_inline)) void foley_softmax_row_inline(float *x, size_t n) {
    float m = row_max(x, n);
    if (m == -INFINITY) { memset(x, 0, n * sizeof(float)); return; }
    for (size_t i = 0; i < n; i++) x[i] = exp_approx(x[i] - m);
    float inv = 1.0f / row_sum(x, n);
    for (size_t i = 0; i < n; i++) x[i] *= inv;
}

MULTIVERSION void foley_softmax_row(float *x, size_t n) { foley_softmax_row_inline(x, n); }

MULTIVERSION void foley_layernorm_rows(float *x, size_t rows, size_t n, const float *weight, const float *bias, float eps) {
    for (size_t r = 0; r < rows; r++) {
        float *row = x + r * n;
        float mean = row_sum(row, n) / (float)n;
        float s[8] = {0};
        size_t i = 0;
        for (; i + 8 <= n; i += 8)
            for (int k = 0; k < 8; k++) { float d = row[i + k] - mean; s[k] += d * d; }
        float var = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        for (; i < n; i++) { float d = row[i] - mean; var += d * d; }
        float inv = 1.0f / sqrtf(var / (float)n + eps);
        for (i = 0; i < n; i++) {
            float v = (row[i] - mean) * inv;
            if (weight) v *= weight[i];
            if (bias) v += bias[i];
            row[i] = v;
        }
    }
}

// Long spans (a group of a 32-channel 80×384 map is 61 440 values) are summed 8 lanes wide in
// blocks of 1024, and the blocks in double, so the statistics keep the double loop's accuracy.
// Σ (x − mean), or Σ (x − mean)² when `squares` (the branch is hoisted out of the loop).
static inline double span_sum(const float *x, size_t n, float mean, int squares) {
    double total = 0;
    for (size_t start = 0; start < n; start += 1024) {
        size_t end = start + 1024 < n ? start + 1024 : n;
        float s[8] = {0};
        size_t i = start;
        for (; i + 8 <= end; i += 8)
            for (int k = 0; k < 8; k++) { float d = x[i + k] - mean; s[k] += squares ? d * d : d; }
        float r = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
        for (; i < end; i++) { float d = x[i] - mean; r += squares ? d * d : d; }
        total += r;
    }
    return total;
}

MULTIVERSION void foley_groupnorm(float *x, size_t groups, size_t channels_per_group, size_t inner,
                                  const float *weight, const float *bias, float eps, int silu) {
    size_t span = channels_per_group * inner;
    for (size_t g = 0; g < groups; g++) {
        float *p = x + g * span;
        float mean = (float)(span_sum(p, span, 0.0f, 0) / (double)span);
        float inv = (float)(1.0 / sqrt(span_sum(p, span, mean, 1) / (double)span + (double)eps));
        for (size_t c = 0; c < channels_per_group; c++) {
            size_t channel = g * channels_per_group + c;
            float scale = inv * (weight ? weight[channel] : 1.0f), shift = (bias ? bias[channel] : 0.0f) - mean * scale;
            float *row = p + c * inner;
            if (silu) {
                for (size_t i = 0; i < inner; i++) { float v = row[i] * scale + shift; row[i] = v * sigmoid_approx(v); }
            } else {
                for (size_t i = 0; i < inner; i++) row[i] = row[i] * scale + shift;
            }
        }
    }
}

// ---- Matrix–vector products for a few rows at once (autoregressive decoding) ----
// A decoding step multiplies each weight matrix by one vector per stream. For the sampler
// the weights (12 MB) live in L3, so sgemv is bound by reading them: 4 candidates through 4
// sgemv calls read them 4 times, and sgemm with M = 4 was slower still. Here each pair of
// weight rows is loaded once and dotted with up to 4 streams' vectors (2 for a guided
// candidate's pair of streams).
//
// Every dot product is summed the same way whatever the batch or the rows grouped with it:
// 8 lanes over the 8-aligned prefix, the lanes folded in a fixed order, the tail, then the
// bias. So a stream decoded inside a batch gets bit-for-bit the logits it gets alone.

typedef float f8 __attribute__((vector_size(32)));
// The helpers taking and returning f8 are always inlined, so no call passes one by value and
// the ABI note clang gives for the baseline clone does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

#define INLINE static inline __attribute__((always_inline))

INLINE f8 load8(const float *p) { f8 v; memcpy(&v, p, sizeof v); return v; }

INLINE float fold8(f8 v) {
    return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

INLINE float finish(f8 acc, const float *w, const float *x, size_t body, size_t n, const float *bias, size_t r) {
    float s = fold8(acc);
    for (size_t i = body; i < n; i++) s += w[i] * x[i];
    return bias ? s + bias[r] : s;
}

// Four streams against weight rows r and r + 1, then the odd row; eight named accumulators
// so they stay in registers.
INLINE void matvec_group4(const float *w, size_t rows, size_t n, const float *x, const float *bias, float *y) {
    size_t body = n & ~(size_t)7, r = 0;
    const float *x0 = x, *x1 = x + n, *x2 = x + 2 * n, *x3 = x + 3 * n;
    float *y0 = y, *y1 = y + rows, *y2 = y + 2 * rows, *y3 = y + 3 * rows;
    for (; r + 1 < rows; r += 2) {
        const float *u = w + r * n, *v = u + n;
        f8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0};
        for (size_t i = 0; i < body; i += 8) {
            f8 wu = load8(u + i), wv = load8(v + i);
            f8 s0 = load8(x0 + i), s1 = load8(x1 + i), s2 = load8(x2 + i), s3 = load8(x3 + i);
            a0 += wu * s0; a1 += wu * s1; a2 += wu * s2; a3 += wu * s3;
            b0 += wv * s0; b1 += wv * s1; b2 += wv * s2; b3 += wv * s3;
        }
        y0[r] = finish(a0, u, x0, body, n, bias, r); y0[r + 1] = finish(b0, v, x0, body, n, bias, r + 1);
        y1[r] = finish(a1, u, x1, body, n, bias, r); y1[r + 1] = finish(b1, v, x1, body, n, bias, r + 1);
        y2[r] = finish(a2, u, x2, body, n, bias, r); y2[r + 1] = finish(b2, v, x2, body, n, bias, r + 1);
        y3[r] = finish(a3, u, x3, body, n, bias, r); y3[r + 1] = finish(b3, v, x3, body, n, bias, r + 1);
    }
    for (; r < rows; r++) {
        const float *u = w + r * n;
        f8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (size_t i = 0; i < body; i += 8) {
            f8 wu = load8(u + i);
            a0 += wu * load8(x0 + i); a1 += wu * load8(x1 + i); a2 += wu * load8(x2 + i); a3 += wu * load8(x3 + i);
        }
        y0[r] = finish(a0, u, x0, body, n, bias, r); y1[r] = finish(a1, u, x1, body, n, bias, r);
        y2[r] = finish(a2, u, x2, body, n, bias, r); y3[r] = finish(a3, u, x3, body, n, bias, r);
    }
}

// Two streams (a guided candidate: its conditional and blind streams), four rows at a time.
INLINE void matvec_group2(const float *w, size_t rows, size_t n, const float *x, const float *bias, float *y) {
    size_t body = n & ~(size_t)7, r = 0;
    const float *x0 = x, *x1 = x + n;
    float *y0 = y, *y1 = y + rows;
    for (; r + 3 < rows; r += 4) {
        const float *u0 = w + r * n, *u1 = u0 + n, *u2 = u1 + n, *u3 = u2 + n;
        f8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0};
        for (size_t i = 0; i < body; i += 8) {
            f8 s0 = load8(x0 + i), s1 = load8(x1 + i);
            f8 w0 = load8(u0 + i), w1 = load8(u1 + i), w2 = load8(u2 + i), w3 = load8(u3 + i);
            a0 += w0 * s0; a1 += w1 * s0; a2 += w2 * s0; a3 += w3 * s0;
            b0 += w0 * s1; b1 += w1 * s1; b2 += w2 * s1; b3 += w3 * s1;
        }
        y0[r] = finish(a0, u0, x0, body, n, bias, r); y0[r + 1] = finish(a1, u1, x0, body, n, bias, r + 1);
        y0[r + 2] = finish(a2, u2, x0, body, n, bias, r + 2); y0[r + 3] = finish(a3, u3, x0, body, n, bias, r + 3);
        y1[r] = finish(b0, u0, x1, body, n, bias, r); y1[r + 1] = finish(b1, u1, x1, body, n, bias, r + 1);
        y1[r + 2] = finish(b2, u2, x1, body, n, bias, r + 2); y1[r + 3] = finish(b3, u3, x1, body, n, bias, r + 3);
    }
    for (; r < rows; r++) {
        const float *u = w + r * n;
        f8 a = {0}, b = {0};
        for (size_t i = 0; i < body; i += 8) { f8 wu = load8(u + i); a += wu * load8(x0 + i); b += wu * load8(x1 + i); }
        y0[r] = finish(a, u, x0, body, n, bias, r); y1[r] = finish(b, u, x1, body, n, bias, r);
    }
}

// One stream, four rows at a time (independent accumulators hide the FMA latency).
INLINE void matvec_group1(const float *w, size_t rows, size_t n, const float *x, const float *bias, float *y) {
    size_t body = n & ~(size_t)7, r = 0;
    for (; r + 3 < rows; r += 4) {
        const float *u0 = w + r * n, *u1 = u0 + n, *u2 = u1 + n, *u3 = u2 + n;
        f8 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (size_t i = 0; i < body; i += 8) {
            f8 s = load8(x + i);
            a0 += load8(u0 + i) * s; a1 += load8(u1 + i) * s; a2 += load8(u2 + i) * s; a3 += load8(u3 + i) * s;
        }
        y[r] = finish(a0, u0, x, body, n, bias, r); y[r + 1] = finish(a1, u1, x, body, n, bias, r + 1);
        y[r + 2] = finish(a2, u2, x, body, n, bias, r + 2); y[r + 3] = finish(a3, u3, x, body, n, bias, r + 3);
    }
    for (; r < rows; r++) {
        const float *u = w + r * n;
        f8 a = {0};
        for (size_t i = 0; i < body; i += 8) a += load8(u + i) * load8(x + i);
        y[r] = finish(a, u, x, body, n, bias, r);
    }
}

MULTIVERSION void foley_matvec_batch(const float *w, size_t rows, size_t cols, const float *x, size_t batch,
                                     const float *bias, float *y) {
    size_t s = 0;
    for (; s + 4 <= batch; s += 4) matvec_group4(w, rows, cols, x + s * cols, bias, y + s * rows);
    for (; s + 2 <= batch; s += 2) matvec_group2(w, rows, cols, x + s * cols, bias, y + s * rows);
    for (; s < batch; s++) matvec_group1(w, rows, cols, x + s * cols, bias, y + s * rows);
}

// ---- Attention of one query (a decoding step) ----
// Four 8-lane dot products and two small sgemv calls per head cost more in OpenBLAS's call
// overhead than in arithmetic at these sizes (64-wide heads, ≤ 10³ keys); one pass here.
INLINE void attend_head(const float *qh, const float *k, size_t ldk, const float *v, size_t ldv,
                        size_t keys, size_t head_dim, float scale, float *scores, float *oh) {
    size_t body = head_dim & ~(size_t)7;
    for (size_t j = 0; j < keys; j++) {                           // scores[j] = scale · q_h · k_j,h
        const float *kj = k + j * ldk;
        f8 acc = {0};
        for (size_t d = 0; d < body; d += 8) acc += load8(qh + d) * load8(kj + d);
        float s = fold8(acc);
        for (size_t d = body; d < head_dim; d++) s += qh[d] * kj[d];
        scores[j] = s * scale;
    }
    foley_softmax_row_inline(scores, keys);
    for (size_t d = 0; d < body; d += 8) {                        // out_h = Σ_j p_j · v_j,h
        f8 acc = {0};
        for (size_t j = 0; j < keys; j++) acc += scores[j] * load8(v + j * ldv + d);
        memcpy(oh + d, &acc, sizeof acc);
    }
    for (size_t d = body; d < head_dim; d++) {
        float s = 0;
        for (size_t j = 0; j < keys; j++) s += scores[j] * v[j * ldv + d];
        oh[d] = s;
    }
}

MULTIVERSION void foley_attend_one(const float *q, const float *k, size_t ldk, const float *v, size_t ldv,
                                   size_t keys, size_t heads, size_t head_dim, float scale, float *scores, float *out) {
    for (size_t h = 0; h < heads; h++) {
        attend_head(q + h * head_dim, k + h * head_dim, ldk, v + h * head_dim, ldv, keys, head_dim, scale, scores, out + h * head_dim);
    }
}
