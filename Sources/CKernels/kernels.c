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

MULTIVERSION void foley_softmax_row(float *x, size_t n) {
    float m = row_max(x, n);
    if (m == -INFINITY) { memset(x, 0, n * sizeof(float)); return; }
    for (size_t i = 0; i < n; i++) x[i] = exp_approx(x[i] - m);
    float inv = 1.0f / row_sum(x, n);
    for (size_t i = 0; i < n; i++) x[i] *= inv;
}

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
