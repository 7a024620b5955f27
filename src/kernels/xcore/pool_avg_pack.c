/* Pack step of AVERAGE_POOL_2D: the division constants per window size,
 * each proven exact over every possible sum (pool.h). Runs in the xformer. */
#include "pool_internal.h"

/* The VPU arithmetic for window size c, sum s, as exact integers:
 * acc = B + m*s (VLMACC) - even*m*[s<0] (VLMACC), q = rshr(acc, S) (VLSAT).
 * Returns 0 if an accumulator would leave int32 (VLMACC saturates). */
static int vpu_quotient(const xai_avgpool_div *d, int32_t s, int64_t *q) {
  int64_t acc = (int64_t)d->bias + (int64_t)d->multiplier * s;
  if (acc > INT32_MAX || acc < -INT32_MAX) return 0;
  if ((d->flags & XAI_AVGPOOL_DIV_EVEN) && s < 0) acc -= d->multiplier;
  if (acc > INT32_MAX || acc < -INT32_MAX) return 0;
  *q = d->shift ? (acc + ((int64_t)1 << (d->shift - 1))) >> d->shift : acc;
  return 1;
}

/* The biases B that make rshr(B + m*s - even*m*[s<0], S) equal TFLite's
 * rounded average for every sum s in [-128c, 127c]: each s bounds B to an
 * interval, so the answer is their intersection (empty: no such B). */
static int bias_interval(int32_t c, int64_t m, unsigned s, int even,
                         int64_t *bias) {
  const int64_t pow = (int64_t)1 << s, half = s ? pow / 2 : 0;
  int64_t lo = INT64_MIN / 4, hi = INT64_MAX / 4;
  for (int32_t sum = -128 * c; sum <= 127 * c && lo <= hi; sum++) {
    const int64_t t = xai_pool_rounded_average(sum, c);
    const int64_t ms = m * sum - (even && sum < 0 ? m : 0);
    /* rshr(v, s) == t  <=>  t*2^s - half <= v <= t*2^s + (pow - half) - 1 */
    const int64_t vlo = t * pow - half, vhi = t * pow + (pow - half) - 1;
    if (vlo - ms > lo) lo = vlo - ms;
    if (vhi - ms < hi) hi = vhi - ms;
  }
  if (lo > hi) return 0;
  /* Prefer the bias nearest zero: it keeps the accumulators smallest. */
  *bias = lo > 0 ? lo : (hi < 0 ? hi : 0);
  return 1;
}

/* Finds (m, S, B) for window size c: for each shift (most precise first)
 * and multipliers around 2^S / c, the exact bias interval; then re-checks
 * every sum with the accumulator bounds (vpu_quotient) before setting
 * XAI_AVGPOOL_DIV_VPU. */
static void make_div(int32_t c, xai_avgpool_div *d) {
  d->bias = 0;
  d->multiplier = 0;
  d->shift = 0;
  d->flags = (uint8_t)(c % 2 == 0 ? XAI_AVGPOOL_DIV_EVEN : 0);
  /* Sums must stay exact in the int16 lanes of VLSAT: |s| <= 128c. */
  if (c < 1 || 128 * c > 32767) return;
  const int even = c % 2 == 0;
  for (int s = 24; s >= 0; s--) {
    const int64_t base = ((int64_t)1 << s) / c;
    for (int64_t m = base - 1; m <= base + 2; m++) {
      int64_t bias;
      if (m < 1 || m > 32767 || !bias_interval(c, m, (unsigned)s, even, &bias))
        continue;
      if (bias > INT32_MAX || bias < -INT32_MAX) continue;
      xai_avgpool_div t = *d;
      t.bias = (int32_t)bias;
      t.multiplier = (int16_t)m;
      t.shift = (uint8_t)s;
      int ok = 1;
      for (int32_t sum = -128 * c; sum <= 127 * c && ok; sum++) {
        int64_t q;
        ok = vpu_quotient(&t, sum, &q) &&
             q == xai_pool_rounded_average(sum, c);
      }
      if (ok) {
        *d = t;
        d->flags |= XAI_AVGPOOL_DIV_VPU;
        return;
      }
    }
  }
}

size_t xai_avgpool2d_s8_xcore_div_count(const xai_pool_params *p) {
  if (!p || p->filter_h < 1 || p->filter_w < 1) return 0;
  const size_t n = (size_t)p->filter_h * (size_t)p->filter_w;
  return n < XAI_AVGPOOL_DIV_MAX ? n : XAI_AVGPOOL_DIV_MAX;
}

xai_status xai_avgpool2d_s8_xcore_pack(const xai_pool_params *p,
                                       xai_avgpool_div *divs, size_t n,
                                       xai_error *err) {
  const size_t need = xai_avgpool2d_s8_xcore_div_count(p);
  if (need == 0 || !divs || n < need)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore AVERAGE_POOL_2D pack: need %zu division entries "
                    "(xai_avgpool2d_s8_xcore_div_count), got %zu",
                    need, divs ? n : 0);
  for (size_t c = 1; c <= need; c++) make_div((int32_t)c, &divs[c - 1]);
  return XAI_OK;
}
