/* AVERAGE_POOL_2D int8 on the VPU (pool.h: VLMACC sums, the proven
 * multiply-shift division, saturating clamp, -128 fix-up). */
#include "ew_internal.h"
#include "pool_internal.h"

static void avg_scalar_pixel(xai_vpu_ctx *ctx, const xai_pool_params *p,
                             const xai_dims4 *in_dims, const int8_t *in,
                             const xai_pool_window *w, int32_t b, int8_t *dst,
                             int32_t c0, int32_t c1) {
  const int32_t count = (w->y1 - w->y0) * (w->x1 - w->x0);
  for (int32_t c = c0; c < c1; c++) {
    int32_t s = 0;
    for (int32_t y = w->y0; y < w->y1; y++)
      for (int32_t x = w->x0; x < w->x1; x++)
        s += in[xai_pool_off(in_dims, b, y, x, c)];
    int32_t q = xai_pool_rounded_average(s, count);
    if (q < p->act_min) q = p->act_min;
    if (q > p->act_max) q = p->act_max;
    dst[c - c0] = (int8_t)q;
  }
  /* ld8s + add per tap; divide with rounding (sign test, add/sub c/2,
   * divs: 4), clamp 2, st8, loop 2. */
  for (int32_t c = c0; c < c1; c++) {
    xai_vpu_mem(ctx, (uint64_t)count + 1u); /* the ld8s, the st8 */
    xai_vpu_scalar(ctx, 6u);
    xai_vpu_branch(ctx);
  }
}

typedef struct {
  xai_ew_vec bias_hi, bias_lo, mult, shift;
  int32_t count; /* the window size these vectors are for; 0 = none */
} div_vectors;

static void div_vectors_load(xai_vpu_ctx *ctx, div_vectors *v,
                             const xai_avgpool_div *d, int32_t count) {
  if (v->count == count) return;
  xai_ew_fill_s16(&v->bias_hi, (int16_t)(d->bias >> 16));
  xai_ew_fill_u16(&v->bias_lo, (uint16_t)((uint32_t)d->bias & 0xFFFFu));
  xai_ew_fill_s16(&v->mult, d->multiplier);
  xai_ew_fill_u16(&v->shift, d->shift);
  xai_vpu_mem(ctx, 4u * XAI_EW_FILL_BUNDLES);
  xai_vpu_scalar(ctx, 2u);
  v->count = count;
}

xai_status xai_avgpool2d_s8_xcore(xai_vpu_ctx *ctx, const xai_pool_params *p,
                                  const xai_avgpool_div *divs, size_t n_divs,
                                  const xai_dims4 *in_dims, const int8_t *in,
                                  const xai_dims4 *out_dims, int8_t *out,
                                  const xai_pool_range *r) {
  if (!ctx || !divs) return XAI_ERR_ARGUMENT;
  xai_status st = xai_pool_check(p, in_dims, in, out_dims, out, r);
  if (st != XAI_OK) return st;
  if (n_divs < xai_avgpool2d_s8_xcore_div_count(p)) return XAI_ERR_ARGUMENT;
  if (r->row_end == r->row_begin || r->ch_end == r->ch_begin) return XAI_OK;
  const int vector = in_dims->c % 4 == 0 && xai_ew_aligned(in) &&
                     xai_ew_aligned(out);
  const int8_t *in_end =
      in + (size_t)in_dims->n * in_dims->h * in_dims->w * in_dims->c;
  xai_ew_vec ones, zero16, v127, v80, s16, neg, q, m, stage;
  xai_ew_clamp16 clamp;
  div_vectors dv;
  dv.count = 0;
  xai_ew_fill_s8(&ones, 1);
  xai_ew_fill_u16(&zero16, 0);
  xai_ew_fill_s16(&v127, 127);
  xai_ew_fill_s8(&v80, INT8_MIN);
  xai_vpu_mem(ctx, 4u * XAI_EW_FILL_BUNDLES +
                      xai_ew_clamp16_make(&clamp, p->act_min, p->act_max));
  const int fix_neg = p->act_min == INT8_MIN;
  for (int32_t row = r->row_begin; row < r->row_end; row++) {
    const int32_t b = row / out_dims->h, oy = row % out_dims->h;
    for (int32_t ox = 0; ox < out_dims->w; ox++) {
      const xai_pool_window w = xai_pool_window_at(p, in_dims, oy, ox);
      xai_vpu_scalar(ctx, XAI_POOL_WINDOW_BUNDLES);
      xai_vpu_branch(ctx); /* pixel loop */
      if (w.y1 <= w.y0 || w.x1 <= w.x0) return XAI_ERR_ARGUMENT;
      const int32_t count = (w.y1 - w.y0) * (w.x1 - w.x0);
      /* Sizes past the table (> XAI_AVGPOOL_DIV_MAX) have no VPU form. */
      const xai_avgpool_div *d =
          (size_t)count <= n_divs ? &divs[count - 1] : NULL;
      int8_t *dst = out + xai_pool_off(out_dims, b, oy, ox, r->ch_begin);
      if (!vector) {
        avg_scalar_pixel(ctx, p, in_dims, in, &w, b, dst, r->ch_begin,
                         r->ch_end);
        continue;
      }
      const int vpu_div = d && (d->flags & XAI_AVGPOOL_DIV_VPU) != 0;
      if (vpu_div) div_vectors_load(ctx, &dv, d, count);
      const int even = d && (d->flags & XAI_AVGPOOL_DIV_EVEN) != 0;
      for (int32_t c = r->ch_begin; c < r->ch_end; c += 16) {
        const int32_t n = r->ch_end - c < 16 ? r->ch_end - c : 16;
        const uint32_t tail = xai_ew_mask((size_t)n);
        /* Sums: 16 channels per VLMACC (vC = 1). */
        xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
        xai_vpu_vldc(ctx, ones.b);
        xai_vpu_vclrdr(ctx);
        for (int32_t y = w.y0; y < w.y1; y++) {
          xai_vpu_scalar(ctx, 1); /* row address */
          xai_vpu_branch(ctx);    /* row loop */
          for (int32_t x = w.x0; x < w.x1; x++)
            xai_vpu_vlmacc(ctx, xai_ew_src(ctx,
                                           in + xai_pool_off(in_dims, b, y,
                                                             x, c),
                                           in, in_end, &stage));
        }
        if (!vpu_div) {
          /* No proven VPU division for this window size (c > 195):
           * the 32-bit sums leave through VSTR (low halves) and VSTD
           * (high halves) and are divided in scalar code. */
          xai_vpu_vstr(ctx, q.b);
          xai_vpu_vstd(ctx, m.b);
          int8_t *o = dst + (c - r->ch_begin);
          for (int32_t i = 0; i < n; i++) {
            uint16_t lo16;
            int16_t hi16;
            memcpy(&lo16, &q.b[2 * i], 2);
            memcpy(&hi16, &m.b[2 * i], 2);
            const int32_t sum =
                (int32_t)(((uint32_t)(uint16_t)hi16 << 16) | lo16);
            int32_t v = xai_pool_rounded_average(sum, count);
            if (v < p->act_min) v = p->act_min;
            if (v > p->act_max) v = p->act_max;
            o[i] = (int8_t)v;
          }
          /* ld16s, ld16u, shl+or, divide with rounding (4), clamp 2, st8 */
          for (int32_t i = 0; i < n; i++) {
            xai_vpu_mem(ctx, 3u);    /* ld16s, ld16u, st8 */
            xai_vpu_scalar(ctx, 7u);
            xai_vpu_branch(ctx);
          }
          continue;
        }
        /* s as int16 lanes (exact: |s| <= 128c <= 32767). */
        xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT16);
        xai_vpu_vlsat(ctx, zero16.b);
        xai_vpu_vstr(ctx, s16.b);
        if (even) { /* -[s < 0] */
          xai_vpu_vlashr(ctx, s16.b, 15);
          xai_vpu_vstr(ctx, neg.b);
        }
        /* acc = B + m*s (- m*[s<0]); q = rshr(acc, S). */
        xai_vpu_vldd(ctx, dv.bias_hi.b);
        xai_vpu_vldr(ctx, dv.bias_lo.b);
        xai_vpu_vldc(ctx, s16.b);
        xai_vpu_vlmacc(ctx, dv.mult.b);
        if (even) {
          xai_vpu_vldc(ctx, neg.b);
          xai_vpu_vlmacc(ctx, dv.mult.b);
        }
        xai_vpu_vlsat(ctx, dv.shift.b);
        xai_ew_clamp16_run(ctx, &clamp);
        /* Narrow: sat8(q) = VDEPTH8(sat16(q * 256)). */
        xai_vpu_vstr(ctx, q.b);
        xai_vpu_vlashr(ctx, q.b, -8);
        xai_vpu_vdepth8(ctx);
        int8_t *o = dst + (c - r->ch_begin);
        xai_vpu_vstrpv(ctx, o, tail);
        if (fix_neg) { /* lanes with q = -128: q + 127 < 0 */
          xai_vpu_vldr(ctx, q.b);
          xai_vpu_vladd(ctx, v127.b);
          xai_vpu_vdepth1(ctx);
          xai_vpu_vstr(ctx, m.b);
          uint32_t mask;
          memcpy(&mask, m.b, 4);
          xai_vpu_mem(ctx, 2); /* ldw mask, branch if none */
          if (mask & tail) {
            xai_vpu_vldr(ctx, v80.b);
            xai_vpu_vstrpv(ctx, o, mask & tail);
          }
        }
      }
    }
  }
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  return XAI_OK;
}
