/* The 16-lane arithmetic of the host-speed requantization (requant_run.c):
 * int16 vectors and the 32-bit accumulators of int16 mode, with the VPU's
 * symmetric saturation (vpu_internal.h). Written with SSE2 on hosts that
 * have it (every x86-64 host: the compiler does not vectorise the chain's
 * saturating steps well on its own), else plain C. Both compute the same
 * integers; tests/kernels/test_xcore_requant.c checks the result against
 * the instruction sequence, and the m32 build runs the SSE2 form too. */
#ifndef XAI_KERNELS_XCORE_REQUANT_LANES_H
#define XAI_KERNELS_XCORE_REQUANT_LANES_H

#include <stdint.h>
#include <string.h>

/* sat32(a + b), symmetric, in 32-bit operations (vpu_mac.c acc32_add16). */
static inline int32_t rq_add_sat32(int32_t a, int32_t b) {
  uint32_t ua = (uint32_t)a, ub = (uint32_t)b, s = ua + ub;
  uint32_t over = ((ua ^ s) & (ub ^ s)) >> 31;
  uint32_t sat = 0x7FFFFFFFu + (ua >> 31) * 2u;
  s = over ? sat : s;
  return (int32_t)(s == 0x80000000u ? 0x80000001u : s);
}
static inline int32_t rq_sat16(int32_t v) {
  return v > 32767 ? 32767 : v < -32767 ? -32767 : v;
}
/* One lane of VLSAT (vpu_mac.c): rounding shift, no rounding from 32 on,
 * saturated to +-hi. */
static inline int32_t rq_vlsat_lane(int32_t a, uint32_t s, int32_t hi) {
  int32_t v;
  if (s == 0)
    v = a;
  else if (s >= 32)
    v = a >> 31; /* only sign bits remain */
  else /* (a + 2^(s-1)) >> s without overflow */
    v = (a >> s) + ((a >> (s - 1)) & 1);
  return v > hi ? hi : v < -hi ? -hi : v;
}

#if defined(__SSE2__) && !defined(XAI_DEVICE_LIB)
#include <emmintrin.h>

typedef struct {
  __m128i h[2]; /* lanes 0-7, 8-15 */
} rq_v16;       /* 16 x int16 */
typedef struct {
  __m128i q[4]; /* lanes 0-3, 4-7, 8-11, 12-15 */
} rq_a16;       /* 16 x int32 */

static inline rq_v16 rq_load16(const void *p) {
  const uint8_t *b = (const uint8_t *)p;
  rq_v16 v = {{_mm_loadu_si128((const __m128i *)(const void *)b),
               _mm_loadu_si128((const __m128i *)(const void *)(b + 16))}};
  return v;
}
static inline void rq_store16(void *p, rq_v16 v) {
  uint8_t *b = (uint8_t *)p;
  _mm_storeu_si128((__m128i *)(void *)b, v.h[0]);
  _mm_storeu_si128((__m128i *)(void *)(b + 16), v.h[1]);
}
static inline void rq_store32(int32_t out[16], rq_a16 a) {
  for (int k = 0; k < 4; k++)
    _mm_storeu_si128((__m128i *)(void *)(out + 4 * k), a.q[k]);
}
/* acc = hi:lo (VLDD hi, VLDR lo; or VLDD hi after a VLSAT left lo). */
static inline rq_a16 rq_join(rq_v16 hi, rq_v16 lo) {
  rq_a16 a;
  for (int k = 0; k < 2; k++) {
    a.q[2 * k] = _mm_unpacklo_epi16(lo.h[k], hi.h[k]);
    a.q[2 * k + 1] = _mm_unpackhi_epi16(lo.h[k], hi.h[k]);
  }
  return a;
}
/* The int16 lanes sign-extended (VLMACC of v by ones). */
static inline rq_a16 rq_widen(rq_v16 v) {
  rq_a16 a;
  for (int k = 0; k < 2; k++) {
    a.q[2 * k] = _mm_srai_epi32(_mm_unpacklo_epi16(v.h[k], v.h[k]), 16);
    a.q[2 * k + 1] = _mm_srai_epi32(_mm_unpackhi_epi16(v.h[k], v.h[k]), 16);
  }
  return a;
}
static inline __m128i rq_addsat_q(__m128i a, __m128i b) {
  const __m128i s = _mm_add_epi32(a, b);
  const __m128i over = _mm_srai_epi32(
      _mm_and_si128(_mm_xor_si128(a, s), _mm_xor_si128(b, s)), 31);
  /* +MAX for a >= 0; MIN for a < 0, which the next step makes -MAX */
  const __m128i sat =
      _mm_xor_si128(_mm_srai_epi32(a, 31), _mm_set1_epi32(0x7FFFFFFF));
  const __m128i r =
      _mm_or_si128(_mm_and_si128(over, sat), _mm_andnot_si128(over, s));
  return _mm_sub_epi32(
      r, _mm_cmpeq_epi32(r, _mm_set1_epi32((int32_t)0x80000000u)));
}
static inline rq_a16 rq_addsat(rq_a16 a, rq_a16 b) {
  for (int k = 0; k < 4; k++) a.q[k] = rq_addsat_q(a.q[k], b.q[k]);
  return a;
}
/* VLMACC in int16 mode: acc = sat32(acc + x * c). */
static inline rq_a16 rq_mac(rq_a16 a, rq_v16 x, rq_v16 c) {
  for (int k = 0; k < 2; k++) {
    const __m128i lo = _mm_mullo_epi16(x.h[k], c.h[k]);
    const __m128i hi = _mm_mulhi_epi16(x.h[k], c.h[k]);
    a.q[2 * k] = rq_addsat_q(a.q[2 * k], _mm_unpacklo_epi16(lo, hi));
    a.q[2 * k + 1] = rq_addsat_q(a.q[2 * k + 1], _mm_unpackhi_epi16(lo, hi));
  }
  return a;
}
/* VLSAT by 16 in int16 mode: sat16(rshr(acc, 16)); the shifted value is
 * in [-32768, 32768], so the packing's saturation plus a max with -32767
 * is the symmetric one. */
static inline rq_v16 rq_rshr16(rq_a16 a) {
  __m128i r[4];
  for (int k = 0; k < 4; k++)
    r[k] = _mm_add_epi32(
        _mm_srai_epi32(a.q[k], 16),
        _mm_and_si128(_mm_srli_epi32(a.q[k], 15), _mm_set1_epi32(1)));
  const __m128i lo = _mm_set1_epi16(-32767);
  rq_v16 v = {{_mm_max_epi16(_mm_packs_epi32(r[0], r[1]), lo),
               _mm_max_epi16(_mm_packs_epi32(r[2], r[3]), lo)}};
  return v;
}
/* VLADD in int16 mode: sat16(v + w). */
static inline rq_v16 rq_add16(rq_v16 v, rq_v16 w) {
  const __m128i lo = _mm_set1_epi16(-32767);
  for (int k = 0; k < 2; k++)
    v.h[k] = _mm_max_epi16(_mm_adds_epi16(v.h[k], w.h[k]), lo);
  return v;
}
/* v >> 15 arithmetic: 0 or -1 (VLASHR by 15). */
static inline rq_v16 rq_signmask(rq_v16 v) {
  for (int k = 0; k < 2; k++) v.h[k] = _mm_srai_epi16(v.h[k], 15);
  return v;
}
/* v >= 0 ? 2^14 : -2^14 (VLASHR by 0, VSIGN). */
static inline rq_v16 rq_vsign(rq_v16 v) {
  for (int k = 0; k < 2; k++)
    v.h[k] = _mm_or_si128(
        _mm_set1_epi16(0x4000),
        _mm_and_si128(_mm_srai_epi16(v.h[k], 15),
                      _mm_set1_epi16((int16_t)0x8000)));
  return v;
}

#else /* plain C */

typedef struct {
  int16_t v[16];
} rq_v16;
typedef struct {
  int32_t v[16];
} rq_a16;

static inline rq_v16 rq_load16(const void *p) {
  rq_v16 v;
  memcpy(v.v, p, 32);
  return v;
}
static inline void rq_store16(void *p, rq_v16 v) { memcpy(p, v.v, 32); }
static inline void rq_store32(int32_t out[16], rq_a16 a) {
  memcpy(out, a.v, 64);
}
static inline rq_a16 rq_join(rq_v16 hi, rq_v16 lo) {
  rq_a16 a;
  for (int i = 0; i < 16; i++)
    a.v[i] = (int32_t)(((uint32_t)(uint16_t)hi.v[i] << 16) |
                       (uint16_t)lo.v[i]);
  return a;
}
static inline rq_a16 rq_widen(rq_v16 v) {
  rq_a16 a;
  for (int i = 0; i < 16; i++) a.v[i] = v.v[i];
  return a;
}
static inline rq_a16 rq_addsat(rq_a16 a, rq_a16 b) {
  for (int i = 0; i < 16; i++) a.v[i] = rq_add_sat32(a.v[i], b.v[i]);
  return a;
}
static inline rq_a16 rq_mac(rq_a16 a, rq_v16 x, rq_v16 c) {
  for (int i = 0; i < 16; i++)
    a.v[i] = rq_add_sat32(a.v[i], (int32_t)x.v[i] * c.v[i]);
  return a;
}
static inline rq_v16 rq_rshr16(rq_a16 a) {
  rq_v16 v;
  for (int i = 0; i < 16; i++)
    v.v[i] = (int16_t)rq_sat16((a.v[i] >> 16) + ((a.v[i] >> 15) & 1));
  return v;
}
static inline rq_v16 rq_add16(rq_v16 v, rq_v16 w) {
  for (int i = 0; i < 16; i++) v.v[i] = (int16_t)rq_sat16(v.v[i] + w.v[i]);
  return v;
}
static inline rq_v16 rq_signmask(rq_v16 v) {
  for (int i = 0; i < 16; i++) v.v[i] = (int16_t)(v.v[i] >> 15);
  return v;
}
static inline rq_v16 rq_vsign(rq_v16 v) {
  for (int i = 0; i < 16; i++) v.v[i] = (int16_t)(v.v[i] >= 0 ? 16384 : -16384);
  return v;
}

#endif

/* VLSAT in int16 mode by a shift vector (any shifts): the lanes one by
 * one, or as rq_rshr16 when every shift is 16. */
static inline rq_v16 rq_vlsat16(rq_a16 a, const void *shifts) {
  uint16_t sh[16];
  memcpy(sh, shifts, 32);
  int all16 = 1;
  for (int i = 0; i < 16; i++) all16 &= sh[i] == 16;
  if (all16) return rq_rshr16(a);
  int32_t acc[16];
  int16_t r[16];
  rq_store32(acc, a);
  for (int i = 0; i < 16; i++)
    r[i] = (int16_t)rq_vlsat_lane(acc[i], sh[i], 32767);
  return rq_load16(r);
}

#endif
