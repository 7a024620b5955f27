/* LOG_SOFTMAX int8 (include/xai/kernels_ref/log_softmax.h). The fixed-point
 * log follows gemmlowp's construction in TFLite's common.h: the input is
 * normalised to [sqrt(1/2), 1) two ways (with and without a sqrt(1/2)
 * pre-multiply), the better one is kept, and log(r) comes from a rational
 * approximation around 2^-1/4 whose constants are the Q0.31 encodings noted
 * beside them. Adds wrap as gemmlowp's plain int32 adds do; the two
 * "saturating" ones clamp in 64 bits. */
#include "xai/kernels_ref/log_softmax.h"

#include <math.h>

#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/quant.h"

enum { kInputBits = 5, kAccumBits = 12, kOutputBits = 4 };

static inline int32_t wadd(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t wsub(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}
static int32_t clamp64(int64_t v) {
  return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
}
static int clz32(uint32_t x) { return x ? __builtin_clz(x) : 32; }

int32_t xai_fp_log_x_ge_1(int32_t x, int in_bits, int out_bits) {
  const int accum_bits = out_bits + 1;
  const int32_t log_2 = 1488522236;          /* log(2) */
  const int32_t sqrt_sqrt_half = 1805811301; /* 2^-1/4 */
  const int32_t sqrt_half = 1518500250;      /* 2^-1/2 */
  const int32_t one_quarter = 536870912;     /* 1/4 */
  const int32_t alpha_n = 117049297;  /* 11/240 * 2^1/4 */
  const int32_t alpha_d = 127690142;  /* 1/20 * 2^1/4 */
  const int32_t alpha_i = 1057819769; /* 2 / 2^1/4 - 2^1/4 */
  const int32_t alpha_f = 638450708;  /* 1/4 * 2^1/4 */
  const int32_t shifted_quarter = xai_fp_mul_pot(one_quarter, -accum_bits);

  const int za_headroom_plus_1 = clz32((uint32_t)x);
  const int32_t ra_tmp = xai_fp_mul_pot(x, za_headroom_plus_1 - 1);
  const int32_t ra = xai_fp_mul_pot(xai_srdhm(ra_tmp, sqrt_half), 1);
  const int32_t za_pow2 = clamp64(
      (int64_t)xai_fp_mul_pot(in_bits - za_headroom_plus_1, 31 - accum_bits) +
      shifted_quarter);

  const int32_t zb = xai_srdhm(x, sqrt_half);
  const int zb_headroom = clz32((uint32_t)zb) - 1;
  const int32_t rb = xai_fp_mul_pot(x, zb_headroom);
  const int32_t zb_pow2 = clamp64(
      (int64_t)xai_fp_mul_pot(in_bits - zb_headroom, 31 - accum_bits) -
      shifted_quarter);

  const int32_t r = ra < rb ? ra : rb;
  const int32_t z_pow2 = za_pow2 > zb_pow2 ? za_pow2 : zb_pow2;

  const int64_t half_sum = (int64_t)r + sqrt_sqrt_half;
  const int32_t p = (int32_t)((half_sum + (half_sum >= 0 ? 1 : -1)) / 2);
  int32_t q = wsub(r, sqrt_sqrt_half);
  q = wadd(q, q);
  const int32_t sq = xai_srdhm(q, q);
  const int32_t num =
      wadd(xai_srdhm(q, r), xai_srdhm(xai_srdhm(q, sq), alpha_n));
  const int32_t denom_minus_one = wadd(
      xai_srdhm(p, wadd(wadd(alpha_i, q), xai_srdhm(alpha_d, sq))),
      xai_srdhm(alpha_f, q));
  const int32_t recip = xai_fp_one_over_one_plus_x(denom_minus_one);
  const int32_t num_scaled = xai_fp_mul_pot(num, -accum_bits);
  return xai_fp_mul_pot(
      wadd(xai_srdhm(z_pow2, log_2), xai_srdhm(num_scaled, recip)),
      accum_bits - out_bits);
}

xai_status xai_log_softmax_params_make(float input_scale,
                                       xai_log_softmax_params *p,
                                       xai_error *err) {
  /* PreprocessSoftmaxScaling: min(scale * 2^26, 2^31 - 1), > 1. */
  double real = (double)input_scale * (double)(1 << (31 - kInputBits));
  const double cap = (double)(1ll << 31) - 1.0;
  if (real > cap) real = cap;
  if (!(real > 1.0))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "input scale %g is too small for TFLM's int8 "
                    "LOG_SOFTMAX (needs > 2^-26)", (double)input_scale);
  int shift;
  xai_quantize_multiplier(real, &p->input_multiplier, &shift);
  p->input_left_shift = shift;
  /* The reverse scaling: 2^(31 - shift) / multiplier, which TFLM requires
   * to be below one (its int expression overflows at shift 0). */
  const double reverse =
      (double)(1ll << (31 - shift)) / (double)p->input_multiplier;
  if (shift < 1 || !(reverse < 1.0))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "input scale %g gives TFLM's int8 LOG_SOFTMAX a reverse "
                    "scale of %g, not below one", (double)input_scale,
                    reverse);
  int rshift;
  xai_quantize_multiplier(reverse, &p->reverse_scaling_divisor, &rshift);
  p->reverse_scaling_left_shift = rshift;
  /* CalculateInputRadius(5, shift, 31). */
  const double radius = (double)((1 << kInputBits) - 1) *
                        (double)(1ll << (31 - kInputBits)) /
                        (double)(1ll << shift);
  p->diff_min = -(int32_t)floor(radius);
  return XAI_OK;
}

void xai_log_softmax_s8_ref(const xai_log_softmax_params *p, size_t outer,
                            size_t depth, const int8_t *in, int8_t *out) {
  for (size_t o = 0; o < outer; o++, in += depth, out += depth) {
    int32_t max_in = INT8_MIN;
    for (size_t c = 0; c < depth; c++)
      if (in[c] > max_in) max_in = in[c];
    int32_t sum = 0; /* Q12.19 */
    for (size_t c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)in[c] - max_in;
      if (diff < p->diff_min) continue;
      const int32_t scaled =
          xai_mbqm(diff, p->input_multiplier, p->input_left_shift);
      sum = wadd(sum, xai_fp_mul_pot(
                          xai_fp_exp_on_negative_values(scaled, kInputBits),
                          -kAccumBits));
    }
    const int32_t log_sum = xai_fp_log_x_ge_1(sum, kAccumBits, kInputBits);
    const int32_t shifted = wadd(log_sum, INT32_MIN);
    int32_t adjusted_min = xai_mbqm(shifted, p->reverse_scaling_divisor,
                                    p->reverse_scaling_left_shift);
    if (p->diff_min - 1 > adjusted_min) adjusted_min = p->diff_min - 1;
    for (size_t c = 0; c < depth; c++) {
      const int32_t diff = (int32_t)in[c] - max_in;
      if (diff <= adjusted_min) {
        out[c] = INT8_MIN;
        continue;
      }
      const int32_t scaled =
          xai_mbqm(diff, p->input_multiplier, p->input_left_shift);
      int32_t v = xai_rdbpot(wsub(scaled, log_sum),
                             31 - kInputBits - kOutputBits) + INT8_MAX;
      if (v > INT8_MAX) v = INT8_MAX;
      if (v < INT8_MIN) v = INT8_MIN;
      out[c] = (int8_t)v;
    }
  }
}
