/* gemmlowp's fixed-point logistic and tanh evaluated on int16 raw values,
 * as TFLite's integer LSTM calls them (portable ApplySigmoid: Q3.12 ->
 * Q0.15; ApplyTanh: Q(n).(15-n) -> Q0.15). Every step follows gemmlowp's
 * generic scalar code: int16 adds wrap, products use the int16
 * SaturatingRoundingDoublingHighMul, constants are the 32-bit constants
 * rounding-shifted right by 16. */
#include "gemmlowp_s16_internal.h"
#include "xai/kernels_ref/recurrent.h"

typedef int16_t q16;

static q16 wrap(int32_t v) { return (q16)(uint16_t)(uint32_t)v; }
static q16 add(q16 a, q16 b) { return wrap((int32_t)a + b); }
static q16 sub(q16 a, q16 b) { return wrap((int32_t)a - b); }
static q16 neg(q16 a) { return wrap(-(int32_t)a); }

static q16 sat_add(q16 a, q16 b) {
  int32_t s = (int32_t)a + b;
  return (q16)(s > INT16_MAX ? INT16_MAX : (s < INT16_MIN ? INT16_MIN : s));
}

/* SaturatingRoundingDoublingHighMul<int16>. */
static q16 mul(q16 a, q16 b) {
  if (a == INT16_MIN && b == INT16_MIN) return INT16_MAX;
  const int32_t ab = (int32_t)a * b;
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return wrap((ab + nudge) / (1 << 15));
}

/* RoundingDivideByPOT<int16>. */
static q16 rdbpot(q16 x, int exponent) {
  const int32_t mask = (1 << exponent) - 1;
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return wrap((x >> exponent) + (remainder > threshold ? 1 : 0));
}

/* SaturatingRoundingMultiplyByPOT<exponent> for exponent >= 0. */
static q16 sat_shl(q16 x, int exponent) {
  if (exponent == 0) return x;
  const int32_t threshold = (1 << (15 - exponent)) - 1;
  if (x > threshold) return INT16_MAX;
  if (x < -threshold) return INT16_MIN;
  return wrap((int32_t)x * (1 << exponent));
}

/* GEMMLOWP_CHECKED_FIXEDPOINT_CONSTANT for int16: the int32 raw value
 * rounding-divided by 2^16. */
static q16 k16(int32_t raw32) {
  const int32_t mask = 0xFFFF;
  const int32_t remainder = raw32 & mask;
  const int32_t threshold = (mask >> 1) + (raw32 < 0 ? 1 : 0);
  return (q16)((raw32 >> 16) + (remainder > threshold ? 1 : 0));
}

/* exp(x) for x in [-1/4, 0), Q0.15 in and out. */
static q16 exp_quarter(q16 a) {
  const q16 constant_term = k16(1895147668);
  const q16 one_third = k16(715827883);
  const q16 x = add(a, (q16)(1 << 12)); /* + 1/8 */
  const q16 x2 = mul(x, x), x3 = mul(x2, x), x4 = mul(x2, x2);
  const q16 x4_over_4 = rdbpot(x4, 2);
  const q16 poly = rdbpot(add(mul(add(x4_over_4, x3), one_third), x2), 1);
  return sat_add(constant_term, mul(constant_term, add(x, poly)));
}

/* exp(a) for a < 0 with `ib` integer bits; Q0.15 result. */
static q16 exp_negative(q16 a, int ib) {
  const int fb = 15 - ib;
  const q16 quarter = (q16)(1 << (fb - 2));
  const q16 mask = (q16)(quarter - 1);
  const q16 a_mod = sub((q16)(a & mask), quarter);
  q16 result = exp_quarter(sat_shl(a_mod, ib));
  const q16 remainder = sub(a_mod, a);
  static const int32_t mults[7] = {1672461947, 1302514674, 790015084,
                                   290630308,  39332535,   720401, 242};
  for (int e = -2; e <= 4; e++) {
    if (ib > e && (remainder & (1 << (fb + e))))
      result = mul(result, k16(mults[e + 2]));
  }
  if (ib > 5) {
    const q16 clamp = k16(-(1 << (36 - ib)));
    if (a < clamp) result = 0;
  }
  if (a == 0) result = INT16_MAX;
  return result;
}

/* gemmlowp's Newton-Raphson division shared by logistic and tanh: three
 * refinements of x ~ 1 / half_denominator, in Q2.13. */
static q16 newton(q16 half_denominator) {
  const q16 c48_17 = k16(1515870810), cneg32_17 = k16(-1010580540);
  const q16 one_q2 = (q16)(1 << 13);
  q16 x = add(c48_17, mul(half_denominator, cneg32_17));
  for (int i = 0; i < 3; i++) {
    const q16 hdx = mul(half_denominator, x);
    const q16 one_minus = sub(one_q2, hdx);
    x = add(x, sat_shl(mul(x, one_minus), 2));
  }
  return x;
}

static q16 round_half_sum(q16 a, q16 b) {
  const int32_t sum = (int32_t)a + b;
  return wrap((sum + (sum >= 0 ? 1 : -1)) / 2);
}

int16_t xai_gemmlowp_logistic_q3_s16(int16_t a) {
  const int ib = 3;
  if (a == 0) return k16(1 << 30);
  const q16 abs_in = a > 0 ? a : neg(a);
  /* one_over_one_plus_x_for_x_in_0_1(exp(-|a|)) */
  const q16 e = exp_negative(neg(abs_in), ib);
  const q16 x = newton(round_half_sum(e, INT16_MAX));
  const q16 pos = sat_shl(x, 1); /* ExactMulByPot<-1> then Rescale<0> */
  return a > 0 ? pos : sub(INT16_MAX, pos);
}

int16_t xai_gemmlowp_tanh_s16(int16_t a, int ib) {
  if (a == 0) return 0;
  const q16 n = a < 0 ? a : neg(a);
  /* one_minus_x_over_one_plus_x_for_x_in_0_1(exp(2n)); 2n is the same raw
   * value read with one more integer bit. */
  const q16 e = exp_negative(n, ib + 1);
  const q16 x = newton(round_half_sum(e, INT16_MAX));
  const q16 t = sat_shl(sub(x, (q16)(1 << 13)), 2);
  return a < 0 ? neg(t) : t;
}

/* ---- Array forms ------------------------------------------------------
 * The LSTM evaluates these on whole gate vectors. With SSE2, eight values
 * at a time through the same steps written with 16-bit vector operations,
 * checked against the scalar functions for every int16 input by
 * tests/kernels/test_ref_fastpaths.c. The equalities used:
 * - mul: gemmlowp's nudge-then-truncate equals floor((a*b + 2^14) / 2^15)
 *   (the argument quant_internal.h gives for int32). With the product's
 *   halves p = hi * 2^16 + lo (lo unsigned), that is
 *   2 hi + (((lo >> 14) + 1) >> 1): write lo = t 2^14 + u with u < 2^14.
 *   Only the saturating product 2^30 has hi = 2^14, where 2 hi wraps to
 *   INT16_MIN and one less is INT16_MAX.
 * - sat_shl(x, e) is e saturating doublings (once one saturates, the rest
 *   stay saturated with the same sign).
 * - rdbpot's threshold + [x < 0] is threshold - (x >> 15).
 * - In exp_negative, a_mod lies in [-2^(13-ib), 0), so a_mod * 2^ib never
 *   saturates; exp's result lies in [0, INT16_MAX], so round_half_sum(e,
 *   INT16_MAX) = (e + 2^15) >> 1 in unsigned 16 bits, and e + 2^15 is
 *   e ^ 0x8000.
 * - -|a| with gemmlowp's wrapping negation is min(a, -a). */
#if defined(__SSE2__)
#include <emmintrin.h>

typedef __m128i v16;

static inline v16 vk(int16_t v) { return _mm_set1_epi16(v); }

static inline v16 vsel(v16 mask, v16 yes, v16 no) {
  return _mm_or_si128(_mm_and_si128(mask, yes), _mm_andnot_si128(mask, no));
}

static inline v16 vmul(v16 a, v16 b) {
  const v16 hi = _mm_mulhi_epi16(a, b), lo = _mm_mullo_epi16(a, b);
  const v16 round =
      _mm_srli_epi16(_mm_add_epi16(_mm_srli_epi16(lo, 14), vk(1)), 1);
  const v16 r = _mm_add_epi16(_mm_add_epi16(hi, hi), round);
  return _mm_add_epi16(r, _mm_cmpeq_epi16(hi, vk(1 << 14)));
}

static inline v16 vrdbpot(v16 x, v16 mask, v16 shifted, v16 half) {
  const v16 threshold = _mm_sub_epi16(half, _mm_srai_epi16(x, 15));
  const v16 up = _mm_cmpgt_epi16(_mm_and_si128(x, mask), threshold);
  return _mm_sub_epi16(shifted, up);
}

/* exp(a) for a <= 0 with `ib` (1..7) integer bits, Q0.15. */
static v16 vexp_negative(v16 a, int ib) {
  const int fb = 15 - ib;
  const int16_t quarter = (int16_t)(1 << (fb - 2));
  const v16 a_mod = _mm_sub_epi16(
      _mm_and_si128(a, vk((int16_t)(quarter - 1))), vk(quarter));
  /* exp_quarter(a_mod * 2^ib) */
  const v16 x = _mm_add_epi16(_mm_sll_epi16(a_mod, _mm_cvtsi32_si128(ib)),
                              vk(1 << 12));
  const v16 x2 = vmul(x, x), x3 = vmul(x2, x), x4 = vmul(x2, x2);
  const v16 x4_over_4 =
      vrdbpot(x4, vk(3), _mm_srai_epi16(x4, 2), vk(1));
  const v16 sum = _mm_add_epi16(
      vmul(_mm_add_epi16(x4_over_4, x3), vk(k16(715827883))), x2);
  const v16 poly = vrdbpot(sum, vk(1), _mm_srai_epi16(sum, 1), vk(0));
  const v16 constant_term = vk(k16(1895147668));
  v16 r = _mm_adds_epi16(constant_term,
                         vmul(constant_term, _mm_add_epi16(x, poly)));
  const v16 remainder = _mm_sub_epi16(a_mod, a);
  static const int32_t mults[7] = {1672461947, 1302514674, 790015084,
                                   290630308,  39332535,   720401, 242};
  for (int e = -2; e <= 4 && e < ib; e++) {
    const v16 unset = _mm_cmpeq_epi16(
        _mm_and_si128(remainder, vk((int16_t)(1 << (fb + e)))),
        _mm_setzero_si128());
    r = vsel(unset, r, vmul(r, vk(k16(mults[e + 2]))));
  }
  if (ib > 5)
    r = _mm_andnot_si128(_mm_cmpgt_epi16(vk(k16(-(1 << (36 - ib)))), a), r);
  return vsel(_mm_cmpeq_epi16(a, _mm_setzero_si128()), vk(INT16_MAX), r);
}

static v16 vsat_shl2(v16 x) {
  x = _mm_adds_epi16(x, x);
  return _mm_adds_epi16(x, x);
}

/* newton(round_half_sum(e, INT16_MAX)) */
static v16 vnewton(v16 e) {
  const v16 hd = _mm_srli_epi16(_mm_xor_si128(e, vk(INT16_MIN)), 1);
  v16 x = _mm_add_epi16(vk(k16(1515870810)), vmul(hd, vk(k16(-1010580540))));
  for (int i = 0; i < 3; i++) {
    const v16 one_minus = _mm_sub_epi16(vk(1 << 13), vmul(hd, x));
    x = _mm_add_epi16(x, vsat_shl2(vmul(x, one_minus)));
  }
  return x;
}

static v16 vlogistic(v16 a) {
  const v16 neg_abs = _mm_min_epi16(a, _mm_sub_epi16(_mm_setzero_si128(), a));
  const v16 x = vnewton(vexp_negative(neg_abs, 3));
  const v16 pos = _mm_adds_epi16(x, x);
  const v16 r = vsel(_mm_cmpgt_epi16(a, _mm_setzero_si128()), pos,
                     _mm_sub_epi16(vk(INT16_MAX), pos));
  return vsel(_mm_cmpeq_epi16(a, _mm_setzero_si128()), vk(1 << 14), r);
}

static v16 vtanh(v16 a, int ib) {
  const v16 zero = _mm_setzero_si128();
  const v16 neg_abs = _mm_min_epi16(a, _mm_sub_epi16(zero, a));
  const v16 x = vnewton(vexp_negative(neg_abs, ib + 1));
  const v16 t = vsat_shl2(_mm_sub_epi16(x, vk(1 << 13)));
  const v16 r = vsel(_mm_cmplt_epi16(a, zero), _mm_sub_epi16(zero, t), t);
  return _mm_andnot_si128(_mm_cmpeq_epi16(a, zero), r);
}

/* Logistic (tanh_bits < 0) or tanh on every element, eight at a time; a
 * short tail goes through a zero-padded block. */
static void map_s16(const int16_t *in, int16_t *out, size_t n,
                    int tanh_bits) {
  int16_t tail[8] = {0};
  for (size_t i = 0; i < n; i += 8) {
    const size_t m = n - i < 8 ? n - i : 8;
    const int16_t *src = in + i;
    if (m < 8) {
      for (size_t j = 0; j < m; j++) tail[j] = src[j];
      src = tail;
    }
    const v16 a = _mm_loadu_si128((const v16 *)src);
    const v16 r = tanh_bits < 0 ? vlogistic(a) : vtanh(a, tanh_bits);
    if (m == 8) {
      _mm_storeu_si128((v16 *)(out + i), r);
    } else {
      _mm_storeu_si128((v16 *)tail, r);
      for (size_t j = 0; j < m; j++) out[i + j] = tail[j];
    }
  }
}

void xai_gemmlowp_logistic_q3_s16_n(const int16_t *in, int16_t *out,
                                    size_t n) {
  map_s16(in, out, n, -1);
}

void xai_gemmlowp_tanh_s16_n(const int16_t *in, int16_t *out, size_t n,
                             int int_bits) {
  map_s16(in, out, n, int_bits);
}

#else /* no SSE2: the scalar functions */

void xai_gemmlowp_logistic_q3_s16_n(const int16_t *in, int16_t *out,
                                    size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = xai_gemmlowp_logistic_q3_s16(in[i]);
}

void xai_gemmlowp_tanh_s16_n(const int16_t *in, int16_t *out, size_t n,
                             int int_bits) {
  for (size_t i = 0; i < n; i++)
    out[i] = xai_gemmlowp_tanh_s16(in[i], int_bits);
}

#endif
