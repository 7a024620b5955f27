/* MAX_POOL_2D int8 on the VPU (pool.h: compare + masked store per tap). */
#include "ew_internal.h"
#include "pool_internal.h"

/* Sign-bit mask of vR (VDEPTH1), moved to a scalar register through
 * memory: VSTR + ldw. */
static uint32_t mask_of_vr(xai_vpu_ctx *ctx, xai_ew_vec *tmp) {
  xai_vpu_vdepth1(ctx);
  xai_vpu_vstr(ctx, tmp->b);
  xai_vpu_mem(ctx, 1); /* ldw of the mask */
  uint32_t m;
  memcpy(&m, tmp->b, 4);
  return m;
}

static void max_scalar_pixel(xai_vpu_ctx *ctx, const xai_pool_params *p,
                             const xai_dims4 *in_dims, const int8_t *in,
                             const xai_pool_window *w, int32_t b, int8_t *dst,
                             int32_t c0, int32_t c1) {
  for (int32_t c = c0; c < c1; c++) {
    int32_t m = INT8_MIN;
    for (int32_t y = w->y0; y < w->y1; y++)
      for (int32_t x = w->x0; x < w->x1; x++) {
        int32_t v = in[xai_pool_off(in_dims, b, y, x, c)];
        if (v > m) m = v;
      }
    if (m < p->act_min) m = p->act_min;
    if (m > p->act_max) m = p->act_max;
    dst[c - c0] = (int8_t)m;
  }
  /* ld8s + max (2 with the compare) per tap, clamp 2 + st8 + loop 2. */
  const uint64_t taps = (uint64_t)(w->y1 - w->y0) * (uint64_t)(w->x1 - w->x0);
  for (int32_t c = c0; c < c1; c++) {
    xai_vpu_mem(ctx, taps + 1u); /* the ld8s, the st8 */
    xai_vpu_scalar(ctx, 2u * taps + 2u);
    xai_vpu_branch(ctx);
  }
}

xai_status xai_maxpool2d_s8_xcore(xai_vpu_ctx *ctx, const xai_pool_params *p,
                                  const xai_dims4 *in_dims, const int8_t *in,
                                  const xai_dims4 *out_dims, int8_t *out,
                                  const xai_pool_range *r) {
  if (!ctx) return XAI_ERR_ARGUMENT;
  xai_status st = xai_pool_check(p, in_dims, in, out_dims, out, r);
  if (st != XAI_OK) return st;
  if (r->row_end == r->row_begin || r->ch_end == r->ch_begin) return XAI_OK;
  const int vector = in_dims->c % 4 == 0 && xai_ew_aligned(in) &&
                     xai_ew_aligned(out);
  const int8_t *in_end =
      in + (size_t)in_dims->n * in_dims->h * in_dims->w * in_dims->c;
  xai_ew_vec cur, tmp, lo, hi, lowest, stage;
  xai_ew_fill_s8(&lo, (int8_t)p->act_min);
  xai_ew_fill_s8(&hi, (int8_t)p->act_max);
  xai_ew_fill_s8(&lowest, INT8_MIN);
  xai_vpu_mem(ctx, 3u * XAI_EW_FILL_BUNDLES);
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  for (int32_t row = r->row_begin; row < r->row_end; row++) {
    const int32_t b = row / out_dims->h, oy = row % out_dims->h;
    for (int32_t ox = 0; ox < out_dims->w; ox++) {
      const xai_pool_window w = xai_pool_window_at(p, in_dims, oy, ox);
      xai_vpu_scalar(ctx, XAI_POOL_WINDOW_BUNDLES);
      xai_vpu_branch(ctx); /* pixel loop */
      int8_t *dst = out + xai_pool_off(out_dims, b, oy, ox, r->ch_begin);
      if (!vector) {
        max_scalar_pixel(ctx, p, in_dims, in, &w, b, dst, r->ch_begin,
                         r->ch_end);
        continue;
      }
      for (int32_t c = r->ch_begin; c < r->ch_end; c += 32) {
        const int32_t n = r->ch_end - c < 32 ? r->ch_end - c : 32;
        int first = 1;
        for (int32_t y = w.y0; y < w.y1; y++) {
          xai_vpu_scalar(ctx, 1); /* row address */
          xai_vpu_branch(ctx);    /* row loop */
          for (int32_t x = w.x0; x < w.x1; x++) {
            const int8_t *tap = xai_ew_src(
                ctx, in + xai_pool_off(in_dims, b, y, x, c), in, in_end,
                &stage);
            if (first) {
              xai_vpu_vldr(ctx, tap);
              xai_vpu_vstr(ctx, cur.b);
              first = 0;
              continue;
            }
            /* tap' = max(tap, -127) keeps VLSUB away from its quirk. */
            xai_vpu_vlashr(ctx, tap, 0);
            xai_vpu_vlsub(ctx, cur.b); /* sat(cur - tap') */
            uint32_t m = mask_of_vr(ctx, &tmp);
            xai_vpu_vldr(ctx, tap);
            xai_vpu_vstrpv(ctx, cur.b, m);
          }
        }
        if (first) { /* no element in the image: the type minimum */
          xai_vpu_vldr(ctx, lowest.b);
          xai_vpu_vstr(ctx, cur.b);
        }
        if (p->act_min > INT8_MIN) { /* cur < lo -> lo */
          xai_vpu_vldr(ctx, lo.b);
          xai_vpu_vlsub(ctx, cur.b); /* sat(cur - lo), lo != -128 */
          uint32_t m = mask_of_vr(ctx, &tmp);
          xai_vpu_vldr(ctx, lo.b);
          xai_vpu_vstrpv(ctx, cur.b, m);
        }
        if (p->act_max < INT8_MAX) { /* hi < cur -> hi */
          xai_vpu_vlashr(ctx, cur.b, 0); /* -128 -> -127: only hi = -128
                                            then matches, harmlessly */
          xai_vpu_vlsub(ctx, hi.b);      /* sat(hi - cur') */
          uint32_t m = mask_of_vr(ctx, &tmp);
          xai_vpu_vldr(ctx, hi.b);
          xai_vpu_vstrpv(ctx, cur.b, m);
        }
        xai_vpu_vldr(ctx, cur.b);
        xai_vpu_vstrpv(ctx, dst + (c - r->ch_begin), xai_ew_mask((size_t)n));
      }
    }
  }
  return XAI_OK;
}
