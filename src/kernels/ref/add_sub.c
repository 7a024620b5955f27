/* ADD and SUB, quantized (TFLite reference add.h / sub.h arithmetic). */
#include <math.h>

#include "bcast_internal.h"
#include "quant_internal.h"
#include "xai/kernels_ref/elementwise.h"
#include "xai/kernels_ref/quant.h"

/* TFLite QuantizeMultiplierSmallerThanOneExp: the real multiplier must lie
 * in (0, 1); the shift is then <= 0. */
static xai_status smaller_than_one(double real, int32_t *m, int32_t *shift,
                                   const char *what, xai_error *err) {
  if (!(real > 0.0 && real < 1.0))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "%s rescale factor %g is outside (0, 1); TFLite's "
                    "quantized ADD/SUB cannot represent it (check the "
                    "tensor scales)",
                    what, real);
  int s = 0;
  xai_quantize_multiplier(real, m, &s);
  *shift = s;
  return XAI_OK;
}

xai_status xai_add_params_make(float scale1, int32_t zp1, float scale2,
                               int32_t zp2, float scale_out, int32_t zp_out,
                               int left_shift, int negate_input2,
                               int32_t act_min, int32_t act_max,
                               xai_add_params *p, xai_error *err) {
  /* TFLite: twice_max = 2 * max(float, float), the rest in double. */
  const float max_scale = scale1 > scale2 ? scale1 : scale2;
  const double twice_max = (double)(2.0f * max_scale);
  const double real1 = (double)scale1 / twice_max;
  const double real2 = (double)scale2 / twice_max;
  const double real_out =
      twice_max / ((double)((float)(1 << left_shift) * scale_out));
  xai_status st;
  p->left_shift = left_shift;
  p->input1_offset = -zp1;
  p->input2_offset = -zp2;
  p->output_offset = zp_out;
  if ((st = smaller_than_one(real1, &p->input1_multiplier, &p->input1_shift,
                             "input 1", err)) != XAI_OK)
    return st;
  if ((st = smaller_than_one(real2, &p->input2_multiplier, &p->input2_shift,
                             "input 2", err)) != XAI_OK)
    return st;
  if ((st = smaller_than_one(real_out, &p->output_multiplier,
                             &p->output_shift, "output", err)) != XAI_OK)
    return st;
  if (negate_input2) p->input2_multiplier = -p->input2_multiplier;
  p->act_min = act_min;
  p->act_max = act_max;
  return XAI_OK;
}

/* MultiplyByQuantizedMultiplierSmallerThanOneExp. */
static inline int32_t scale_down(int32_t x, int32_t m, int32_t shift) {
  return xai_rdbpot_inline(xai_srdhm_inline(x, m), -shift);
}

static inline int32_t add_one(const xai_add_params *p, int32_t a, int32_t b) {
  const int32_t a_shifted = (p->input1_offset + a) * (1 << p->left_shift);
  const int32_t b_shifted = (p->input2_offset + b) * (1 << p->left_shift);
  const int32_t sum =
      scale_down(a_shifted, p->input1_multiplier, p->input1_shift) +
      scale_down(b_shifted, p->input2_multiplier, p->input2_shift);
  int32_t out = scale_down(sum, p->output_multiplier, p->output_shift) +
                p->output_offset;
  if (out < p->act_min) out = p->act_min;
  if (out > p->act_max) out = p->act_max;
  return out;
}

/* ---- int8 fast path ----------------------------------------------------
 * Each input's rescaled value depends on that input's byte alone, so the
 * two input rescales become 256-entry tables built with add_one's own
 * expression (the same bits); only the output rescale is left per element,
 * and that is folded into one multiply, one add and one shift (proof at
 * add_out). Below ADD_TABLE_MIN_COUNT outputs the tables cost more than
 * they save. */
#define ADD_TABLE_MIN_COUNT 512

typedef struct {
  int32_t t1[256], t2[256]; /* rescaled input, indexed by byte + 128 */
  int32_t multiplier, offset, act_min, act_max;
  int64_t k_pos, k_neg; /* rounding constants, see add_out */
  int shift;            /* 31 + output exponent */
} add_fast;

/* The output rescale scale_down(sum, m, shift) with e = -shift, for
 * 1 <= e <= 31 and |sum| < 2^29, so P = sum * m satisfies |P| < 2^60.
 *  - xai_srdhm_nosat's comment shows srdhm(sum, m) = h = floor((P + 2^30)
 *    / 2^31) (sum is never INT32_MIN here).
 *  - rdbpot(h, e) is (h >> e) + [rem > 2^(e-1) - 1 + [h < 0]] with
 *    rem = h mod 2^e, which equals floor((h + 2^(e-1) - [h < 0]) / 2^e):
 *    the floor of that quotient is floor(h / 2^e) plus
 *    [rem + 2^(e-1) - [h < 0] >= 2^e].
 *  - floor((floor(x / a) + k) / b) = floor((x + k*a) / (a*b)) for integers
 *    x, k and a, b > 0, and h < 0 exactly when P + 2^30 < 0, so
 *    rdbpot(h, e) = (P + K) >> (31 + e) with K = 2^30 + 2^(30+e) when
 *    P >= -2^30 and K - 2^31 otherwise; |P + K| < 2^60 + 2^62 fits int64. */
static int add_fast_make(const xai_add_params *p, add_fast *f) {
  const int e = -p->output_shift;
  if (e < 1 || e > 31) return 0;
  int32_t max1 = 0, max2 = 0;
  for (int32_t v = -128; v < 128; v++) {
    const int32_t a_shifted = (p->input1_offset + v) * (1 << p->left_shift);
    const int32_t b_shifted = (p->input2_offset + v) * (1 << p->left_shift);
    const int32_t r1 =
        scale_down(a_shifted, p->input1_multiplier, p->input1_shift);
    const int32_t r2 =
        scale_down(b_shifted, p->input2_multiplier, p->input2_shift);
    f->t1[v + 128] = r1;
    f->t2[v + 128] = r2;
    /* |r| <= 2^31 - 1 whatever the parameters: the negations are safe. */
    if (r1 > max1 || -r1 > max1) max1 = r1 > 0 ? r1 : -r1;
    if (r2 > max2 || -r2 > max2) max2 = r2 > 0 ? r2 : -r2;
  }
  if (max1 >= (1 << 28) || max2 >= (1 << 28)) return 0;
  f->multiplier = p->output_multiplier;
  f->offset = p->output_offset;
  f->act_min = p->act_min;
  f->act_max = p->act_max;
  f->shift = 31 + e;
  f->k_pos = ((int64_t)1 << 30) + ((int64_t)1 << (30 + e));
  f->k_neg = f->k_pos - ((int64_t)1 << 31);
  return 1;
}

static inline int8_t add_out(const add_fast *f, int32_t sum) {
  const int64_t prod = (int64_t)sum * f->multiplier;
  const int64_t k = prod < -((int64_t)1 << 30) ? f->k_neg : f->k_pos;
  int32_t out = (int32_t)((prod + k) >> f->shift) + f->offset;
  if (out < f->act_min) out = f->act_min;
  if (out > f->act_max) out = f->act_max;
  return (int8_t)out;
}

/* One row of the coalesced broadcast; s1 and s2 are 0 or the row stride.
 * Called with literal strides so each common case gets its own loop. The
 * scalars are copied to locals: the int8 stores may alias anything, so
 * fields read through a pointer would be reloaded per element. */
static inline void add_row(const add_fast *fp, const int8_t *a, size_t s1,
                           const int8_t *b, size_t s2, int8_t *o, size_t n) {
  add_fast f;
  f.multiplier = fp->multiplier;
  f.offset = fp->offset;
  f.act_min = fp->act_min;
  f.act_max = fp->act_max;
  f.k_pos = fp->k_pos;
  f.k_neg = fp->k_neg;
  f.shift = fp->shift;
  const int32_t *t1 = fp->t1 + 128, *t2 = fp->t2 + 128;
  for (size_t i = 0; i < n; i++)
    o[i] = add_out(&f, t1[a[i * s1]] + t2[b[i * s2]]);
}

xai_status xai_add_s8_ref(const xai_add_params *p, const xai_bcast *bc,
                          const int8_t *in1, const int8_t *in2, int8_t *out) {
  add_fast f;
  if (bc->count < ADD_TABLE_MIN_COUNT || !add_fast_make(p, &f)) {
    xai_bcast_cursor c;
    xai_bcast_cursor_init(&c);
    for (size_t i = 0; i < bc->count; i++) {
      out[i] = (int8_t)add_one(p, in1[c.off1], in2[c.off2]);
      xai_bcast_cursor_next(bc, &c);
    }
    return XAI_OK;
  }
  xai_bcast_rows rows;
  xai_bcast_rows_init(bc, &rows);
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  const size_t n = rows.row_len, s1 = rows.row_stride1, s2 = rows.row_stride2;
  for (size_t o = 0; o < bc->count; o += n) {
    const int8_t *a = in1 + c.off1, *b = in2 + c.off2;
    if (s1 == 1 && s2 == 1)
      add_row(&f, a, 1, b, 1, out + o, n);
    else if (s1 == 0 && s2 == 1)
      add_row(&f, a, 0, b, 1, out + o, n);
    else if (s1 == 1 && s2 == 0)
      add_row(&f, a, 1, b, 0, out + o, n);
    else
      add_row(&f, a, s1, b, s2, out + o, n);
    xai_bcast_cursor_next(&rows.outer, &c);
  }
  return XAI_OK;
}

xai_status xai_add_s16_ref(const xai_add_params *p, const xai_bcast *bc,
                           const int16_t *in1, const int16_t *in2,
                           int16_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++) {
    out[i] = (int16_t)add_one(p, in1[c.off1], in2[c.off2]);
    xai_bcast_cursor_next(bc, &c);
  }
  return XAI_OK;
}

/* ---- int16 power-of-two path ------------------------------------------- */

int xai_scale_is_pot(float scale, int *log2) {
  /* TFLite CheckedLog2: log2 in float, accepted within 1e-3 of an integer. */
  const float x_log2 = logf(scale) * (1.0f / logf(2.0f));
  const float rounded = roundf(x_log2);
  *log2 = (int)rounded;
  return fabsf(x_log2 - rounded) < 1e-3f;
}

xai_status xai_add_pot_params_make(float scale1, float scale2,
                                   float scale_out, int32_t act_min,
                                   int32_t act_max, xai_add_pot_params *p,
                                   xai_error *err) {
  int l1, l2, lo;
  if (!xai_scale_is_pot(scale1, &l1) || !xai_scale_is_pot(scale2, &l2) ||
      !xai_scale_is_pot(scale_out, &lo))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "int16 power-of-two ADD/SUB needs power-of-two scales "
                    "(got %g, %g, %g)",
                    (double)scale1, (double)scale2, (double)scale_out);
  p->input1_shift = l1 - lo;
  p->input2_shift = l2 - lo;
  if (!(p->input1_shift == 0 || p->input2_shift == 0) ||
      p->input1_shift > 0 || p->input2_shift > 0)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "int16 power-of-two ADD/SUB: one input must share the "
                    "output scale and the other be finer (shifts %d, %d)",
                    (int)p->input1_shift, (int)p->input2_shift);
  p->act_min = act_min;
  p->act_max = act_max;
  return XAI_OK;
}

static inline int32_t sat16(int32_t v) {
  return v < -32768 ? -32768 : (v > 32767 ? 32767 : v);
}

static inline int32_t clamp_act(const xai_add_pot_params *p, int32_t v) {
  if (v < p->act_min) v = p->act_min;
  if (v > p->act_max) v = p->act_max;
  return v;
}

xai_status xai_add_s16_pot_ref(const xai_add_pot_params *p, size_t count,
                               const int16_t *in1, const int16_t *in2,
                               int16_t *out) {
  const int first_fixed = p->input1_shift == 0;
  const int16_t *fixed = first_fixed ? in1 : in2;
  const int16_t *shifted = first_fixed ? in2 : in1;
  const int right = first_fixed ? -p->input2_shift : -p->input1_shift;
  for (size_t i = 0; i < count; i++) {
    const int32_t s = xai_rdbpot_inline(shifted[i], right);
    out[i] = (int16_t)clamp_act(p, sat16(fixed[i] + s));
  }
  return XAI_OK;
}

xai_status xai_sub_s16_pot_ref(const xai_add_pot_params *p, size_t count,
                               const int16_t *in1, const int16_t *in2,
                               int16_t *out) {
  /* TFLite Sub16: the input on the output scale is used as is; the other is
   * rounding-shifted; the difference keeps input1 - input2 order. */
  for (size_t i = 0; i < count; i++) {
    int32_t a = in1[i], b = in2[i];
    if (p->input1_shift == 0)
      b = xai_rdbpot_inline(b, -p->input2_shift);
    else
      a = xai_rdbpot_inline(a, -p->input1_shift);
    out[i] = (int16_t)clamp_act(p, sat16(a - b));
  }
  return XAI_OK;
}
