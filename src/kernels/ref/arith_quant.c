/* Quantized DIV, SQUARED_DIFFERENCE, ADD_N and CUMSUM (arith_quant.h),
 * step for step as TFLite Micro's reference kernels. */
#include "xai/kernels_ref/arith_quant.h"

#include "bcast_internal.h"
#include "quant_internal.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/math_unary.h"
#include "xai/kernels_ref/quant.h"
#include "xai/tflite.h"

static int32_t clamp32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

/* TFLite CountLeadingSignBits for int32 (31 for zero). */
static int leading_sign_bits(int32_t x) { return x ? __builtin_clrsb(x) : 31; }

/* TFLite QuantizeMultiplierSmallerThanOneExp: QuantizeMultiplier, with the
 * shift read as a left shift (<= 0 for multipliers below one). */
static void quantize_small(double real, int32_t *m, int *shift) {
  xai_quantize_multiplier(real, m, shift);
}

/* gemmlowp RoundingDivideByPOT as TFLM's DIV reaches it with exponents of
 * 32 and more (small numerators): the mask (1ll << e) - 1 narrows to -1,
 * so the remainder is x itself and the threshold -1 (0 for negative x),
 * and the int32 shift takes its count modulo 32 as x86 and Arm do. */
static int32_t div_rdbpot(int32_t x, int exponent) {
  if (exponent < 32) return xai_rdbpot(x, exponent);
  const int32_t threshold = x < 0 ? 0 : -1;
  return (x >> (exponent & 31)) + (x > threshold ? 1 : 0);
}

/* ---- DIV ------------------------------------------------------------------ */
void xai_div_s8_params_make(float s1, int32_t z1, float s2, int32_t z2,
                            float so, int32_t zo, int32_t act_min,
                            int32_t act_max, xai_div_s8_params *p) {
  /* TFLM forms the ratio in float, then widens it. */
  const float real = s1 / (s2 * so);
  xai_quantize_multiplier((double)real, &p->multiplier, &p->shift);
  p->input1_offset = -z1;
  p->input2_offset = -z2;
  p->output_offset = zo;
  p->act_min = act_min;
  p->act_max = act_max;
}

xai_status xai_div_s8_ref(const xai_div_s8_params *p, const xai_bcast *bc,
                          const int8_t *in1, const int8_t *in2, int8_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    int32_t a = p->input1_offset + in1[c.off1];
    int32_t b = p->input2_offset + in2[c.off2];
    if (b == 0) return XAI_ERR_RANGE;
    if (b < 0) {
      a = -a;
      b = -b;
    }
    int recip_shift;
    const int32_t inv = xai_fp_reciprocal(b, 31, &recip_shift);
    const int headroom = leading_sign_bits(a);
    const int32_t q = xai_mbqm_greater_than_one(a, inv, headroom);
    const int total_shift = p->shift - recip_shift - headroom;
    const int32_t v =
        p->output_offset +
        div_rdbpot(xai_srdhm(q, p->multiplier), -total_shift);
    out[i] = (int8_t)clamp32(v, p->act_min, p->act_max);
    xai_bcast_cursor_next(bc, &c);
  }
  return XAI_OK;
}

/* ---- SQUARED_DIFFERENCE --------------------------------------------------- */
void xai_sqdiff_params_make(int8_t type, float s1, int32_t z1, float s2,
                            int32_t z2, float so, int32_t zo,
                            xai_sqdiff_params *p) {
  p->left_shift = type == XAI_TYPE_INT8 ? 7 : 0;
  p->input1_offset = -z1;
  p->input2_offset = -z2;
  p->output_offset = zo;
  const double twice_max = 2.0 * (double)(s1 > s2 ? s1 : s2);
  /* (1 << 2*shift) * scale is a float product in TFLM. */
  const float out_den = (float)(1 << (p->left_shift * 2)) * so;
  quantize_small((double)s1 / twice_max, &p->input1_multiplier,
                 &p->input1_shift);
  quantize_small((double)s2 / twice_max, &p->input2_multiplier,
                 &p->input2_shift);
  xai_quantize_multiplier(twice_max * twice_max / (double)out_den,
                          &p->output_multiplier, &p->output_shift);
  if (type == XAI_TYPE_INT8) {
    p->act_min = INT8_MIN;
    p->act_max = INT8_MAX;
  } else {
    p->act_min = INT16_MIN;
    p->act_max = INT16_MAX;
  }
}

static int32_t sqdiff_one(const xai_sqdiff_params *p, int32_t x, int32_t y) {
  const int32_t a = xai_mbqm_smaller_than_one(
      xai_shl_wrap_inline(p->input1_offset + x, p->left_shift),
      p->input1_multiplier, p->input1_shift);
  const int32_t b = xai_mbqm_smaller_than_one(
      xai_shl_wrap_inline(p->input2_offset + y, p->left_shift),
      p->input2_multiplier, p->input2_shift);
  const uint32_t d = (uint32_t)a - (uint32_t)b;
  const int32_t sq = (int32_t)(d * d);
  const int32_t v =
      xai_mbqm(sq, p->output_multiplier, p->output_shift) + p->output_offset;
  return clamp32(v, p->act_min, p->act_max);
}

void xai_sqdiff_q_ref(int8_t type, const xai_sqdiff_params *p,
                      const xai_bcast *bc, const void *in1, const void *in2,
                      void *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    if (type == XAI_TYPE_INT8)
      ((int8_t *)out)[i] = (int8_t)sqdiff_one(
          p, ((const int8_t *)in1)[c.off1], ((const int8_t *)in2)[c.off2]);
    else
      ((int16_t *)out)[i] = (int16_t)sqdiff_one(
          p, ((const int16_t *)in1)[c.off1], ((const int16_t *)in2)[c.off2]);
    xai_bcast_cursor_next(bc, &c);
  }
}

/* ---- ADD_N / CUMSUM ------------------------------------------------------- */
void xai_qsum_s8_params_make(float in_scale, int32_t in_zp, float out_scale,
                             int32_t out_zp, xai_qsum_s8_params *p) {
  p->left_shift = 20;
  p->input_offset = -in_zp;
  p->output_offset = out_zp;
  const double twice = 2.0 * (double)in_scale;
  quantize_small((double)in_scale / twice, &p->input_multiplier,
                 &p->input_shift);
  quantize_small(twice / ((double)(1 << p->left_shift) * (double)out_scale),
                 &p->output_multiplier, &p->output_shift);
}

static int32_t qsum_term(const xai_qsum_s8_params *p, int32_t x) {
  return xai_mbqm_smaller_than_one(
      xai_shl_wrap_inline(p->input_offset + x, p->left_shift),
      p->input_multiplier, p->input_shift);
}

static int8_t qsum_out(const xai_qsum_s8_params *p, int32_t acc) {
  const int32_t v =
      xai_mbqm_smaller_than_one(acc, p->output_multiplier, p->output_shift) +
      p->output_offset;
  return (int8_t)clamp32(v, INT8_MIN, INT8_MAX);
}

static int32_t add_wrap(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}

void xai_add_n_s8_ref(const xai_qsum_s8_params *p, size_t count,
                      const int8_t *const *in, size_t n_inputs, int8_t *out) {
  const int32_t start = qsum_term(p, 0);
  for (size_t i = 0; i < count; i++) {
    int32_t acc = start;
    for (size_t k = 0; k < n_inputs; k++) acc = add_wrap(acc, qsum_term(p, in[k][i]));
    out[i] = qsum_out(p, acc);
  }
}

void xai_cumsum_s8_ref(const xai_qsum_s8_params *p, const xai_shape *shape,
                       int32_t axis, int exclusive, int reverse,
                       const int8_t *in, int8_t *out) {
  size_t outer = 1, inner = 1;
  const size_t n = (size_t)shape->dims[axis];
  for (int32_t d = 0; d < axis; d++) outer *= (size_t)shape->dims[d];
  for (int32_t d = axis + 1; d < shape->rank; d++)
    inner *= (size_t)shape->dims[d];
  const int32_t start = qsum_term(p, 0);
  for (size_t o = 0; o < outer; o++)
    for (size_t i = 0; i < inner; i++) {
      int32_t acc = start;
      for (size_t k = 0; k < n; k++) {
        const size_t at = (o * n + (reverse ? n - 1 - k : k)) * inner + i;
        const int32_t term = qsum_term(p, in[at]);
        if (!exclusive) acc = add_wrap(acc, term);
        out[at] = qsum_out(p, acc);
        if (exclusive) acc = add_wrap(acc, term);
      }
    }
}

/* ---- L2_NORMALIZATION ----------------------------------------------------- */
void xai_l2_norm_s8_ref(int32_t input_zp, size_t outer, size_t depth,
                        const int8_t *in, int8_t *out) {
  for (size_t r = 0; r < outer; r++) {
    const int8_t *x = in + r * depth;
    uint32_t acc = 0;
    for (size_t i = 0; i < depth; i++) {
      const int32_t v = x[i] - input_zp;
      acc += (uint32_t)(v * v);
    }
    int32_t m;
    int shift;
    xai_inv_sqrt_multiplier_exp((int32_t)acc, -1, &m, &shift);
    for (size_t i = 0; i < depth; i++)
      out[r * depth + i] = (int8_t)clamp32(
          xai_mbqm(x[i] - input_zp, m, shift + 7), INT8_MIN, INT8_MAX);
  }
}
