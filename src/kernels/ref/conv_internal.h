/* Helpers shared by the convolution-family reference kernels. */
#ifndef XAI_KERNELS_REF_CONV_INTERNAL_H
#define XAI_KERNELS_REF_CONV_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/kernels_ref/conv.h"
#include "xai/kernels_ref/quant.h"

/* TFLite's int32 accumulators wrap on (pathological) overflow; adding
 * through uint32 gives the same bits without undefined behaviour. */
static inline int32_t xai_add_wrap32(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int64_t xai_add_wrap64(int64_t a, int64_t b) {
  return (int64_t)((uint64_t)a + (uint64_t)b);
}

static inline int32_t xai_clamp32(int32_t v, int32_t lo, int32_t hi) {
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return v;
}

/* Element index of (b, y, x, c) in an NHWC array. */
static inline size_t xai_nhwc(const xai_dims4 *d, int32_t b, int32_t y,
                              int32_t x, int32_t c) {
  return (((size_t)b * (size_t)d->h + (size_t)y) * (size_t)d->w + (size_t)x) *
             (size_t)d->c +
         (size_t)c;
}

/* Taps k in [0, taps) whose input index start + dilation * k lies in
 * [0, size): the range [*lo, *hi) (empty when *lo == *hi). Hoisting this
 * out of the channel loops replaces TFLite's per-tap padding test. */
static inline void xai_tap_range(int32_t start, int32_t dilation,
                                 int32_t taps, int32_t size, int32_t *lo,
                                 int32_t *hi) {
  int32_t l = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  int32_t h = start >= size ? 0 : (size - 1 - start) / dilation + 1;
  if (h > taps) h = taps;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

/* sum w[i] * (x[i] + offset) modulo 2^32: the bits TFLite's wrapping int32
 * accumulator gives. Computed as sum w*x + offset * sum w (equal modulo
 * 2^32), in chunks of 2^16 terms: |w*x| <= 2^14 and |w| <= 2^7, so a
 * chunk's plain int32 sums cannot overflow, and GCC turns the loop into
 * widening multiply-adds. Chunks and the offset term combine in uint32. */
static inline uint32_t xai_dot_s8_offset(const int8_t *x, const int8_t *w,
                                         int32_t n, int32_t offset) {
  uint32_t acc = 0;
  while (n > 0) {
    const int32_t m = n < 65536 ? n : 65536;
    int32_t xw = 0, ws = 0;
    for (int32_t i = 0; i < m; ++i) {
      xw += (int32_t)w[i] * (int32_t)x[i];
      ws += w[i];
    }
    acc += (uint32_t)xw + (uint32_t)offset * (uint32_t)ws;
    x += m, w += m, n -= m;
  }
  return acc;
}

/* sum w[i] * x[i] modulo 2^32, in chunks of 2^16 terms (|w*x| <= 2^14, so
 * a chunk's int32 sum cannot overflow); GCC vectorises the chunk loop. */
static inline uint32_t xai_dot_s8(const int8_t *x, const int8_t *w,
                                  int32_t n) {
  uint32_t acc = 0;
  while (n > 0) {
    const int32_t m = n < 65536 ? n : 65536;
    int32_t xw = 0;
    for (int32_t i = 0; i < m; ++i) xw += (int32_t)w[i] * (int32_t)x[i];
    acc += (uint32_t)xw;
    x += m, w += m, n -= m;
  }
  return acc;
}

/* Matrix-vector loops stage the vector once as int16 (x + offset) so each
 * row's dot product is int8 x int16, which GCC compiles to pmaddwd; an
 * int8 x int8 dot becomes 16-bit products widened one by one, about twice
 * the instructions. XAI_STAGE_MAX int16 values live on the stack. */
#define XAI_STAGE_MAX 1024

/* The offsets for which staged values stay in [-255, 255]. */
static inline int xai_stage_offset_ok(int32_t offset) {
  return offset >= -127 && offset <= 128;
}

static inline void xai_stage_s16(const int8_t *x, int32_t n, int32_t offset,
                                 int16_t *out) {
  for (int32_t i = 0; i < n; ++i) out[i] = (int16_t)(x[i] + offset);
}

/* sum w[i] * x[i] for staged x (|x[i]| <= 255) and n <= XAI_STAGE_MAX:
 * |w*x| < 2^15, so the int32 sum is exact (< 2^25). */
static inline int32_t xai_dot_s8_s16(const int8_t *w, const int16_t *x,
                                     int32_t n) {
  int32_t sum = 0;
  for (int32_t i = 0; i < n; ++i) sum += (int32_t)w[i] * (int32_t)x[i];
  return sum;
}

/* xai_dot_s8_s16 for the four rows w, w + stride, w + 2 stride and
 * w + 3 stride, added to sums[0..3]: each x[i] is loaded once for four
 * products. Same bounds as xai_dot_s8_s16 per row. */
static inline void xai_dot4_s8_s16(const int8_t *w, size_t stride,
                                   const int16_t *x, int32_t n,
                                   int32_t sums[4]) {
  const int8_t *w0 = w, *w1 = w + stride, *w2 = w1 + stride,
               *w3 = w2 + stride;
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t xi = x[i];
    s0 += (int32_t)w0[i] * xi;
    s1 += (int32_t)w1[i] * xi;
    s2 += (int32_t)w2[i] * xi;
    s3 += (int32_t)w3[i] * xi;
  }
  sums[0] += s0, sums[1] += s1, sums[2] += s2, sums[3] += s3;
}

static inline int xai_dims_ok(const xai_dims4 *d) {
  return d && d->n >= 0 && d->h >= 0 && d->w >= 0 && d->c >= 0;
}

static inline size_t xai_dims_elements(const xai_dims4 *d) {
  return (size_t)d->n * (size_t)d->h * (size_t)d->w * (size_t)d->c;
}

#endif
