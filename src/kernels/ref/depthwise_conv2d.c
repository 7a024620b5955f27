/* DEPTHWISE_CONV_2D reference kernels (TFLite
 * reference_integer_ops::DepthwiseConvPerChannel). */
#include "conv_internal.h"
#include "quant_internal.h"

/* Output channels accumulated together on the stack. */
#define DW_BLOCK 64

/* The first input row (column) an output row (column) o reads, and its
 * taps [lo, hi) that fall inside the input. */
static inline int32_t dw_window(int32_t o, int32_t stride, int32_t pad,
                                int32_t dilation, int32_t taps, int32_t size,
                                int32_t *lo, int32_t *hi) {
  const int32_t start = o * stride - pad;
  xai_tap_range(start, dilation, taps, size, lo, hi);
  return start;
}

/* Requantizes a block's accumulators acc[0..n) (channels oc0..) into o. */
static inline void dw_store_block(int8_t *o, const uint32_t *acc, int32_t oc0,
                                  int32_t n, const int32_t *bias,
                                  const xai_per_channel_quant *q,
                                  const xai_conv_params *p) {
  for (int32_t k = 0; k < n; ++k) {
    const int32_t oc = oc0 + k;
    uint32_t a = acc[k];
    if (bias) a += (uint32_t)bias[oc];
    int32_t v = xai_mbqm_inline((int32_t)a, xai_pcq_multiplier(q, oc),
                                xai_pcq_shift(q, oc));
    v = xai_add_wrap32(v, p->output_offset);
    o[oc] = (int8_t)xai_clamp32(v, p->act_min, p->act_max);
  }
}

static xai_status dw_check(const xai_conv_params *p,
                           const xai_per_channel_quant *q, const xai_dims4 *in,
                           const void *in_data, const xai_dims4 *f,
                           const void *f_data, const xai_dims4 *out,
                           const void *out_data) {
  if (!p || !q || !xai_dims_ok(in) || !xai_dims_ok(f) || !xai_dims_ok(out))
    return XAI_ERR_ARGUMENT;
  if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 ||
      p->dilation_w < 1 || p->act_min > p->act_max)
    return XAI_ERR_ARGUMENT;
  /* Output channel oc = ic * multiplier + m. */
  if (in->n != out->n || f->n != 1 || f->c != out->c || in->c < 1 ||
      out->c % in->c != 0)
    return XAI_ERR_ARGUMENT;
  if (xai_dims_elements(out) == 0) return XAI_OK;
  if (!in_data || !f_data || !out_data || !q->multiplier ||
      (!q->shift && !q->shift8))
    return XAI_ERR_ARGUMENT;
  return XAI_OK;
}

/* ---- Depth multiplier > 1, small filters: patch dot products -----------
 * Each output pixel gathers its input patch once per input channel (x +
 * offset, 0 for taps outside the input, which TFLite skips and so add
 * nothing), then every output channel is one dot product of the patch
 * with that channel's filter taps, transposed once per call into
 * [oc][tap] order. With an int8 zero point, x + offset lies in
 * [-255, 255] and |w * (x + offset)| <= 128 * 255 < 2^15, so a dot of at
 * most 2^15 taps is exact in int32 and GCC turns it into 16-bit
 * multiply-adds (pmaddwd). The exact sum equals TFLite's wrapping one. */
#define DW_PATCH_MAX 512  /* taps * input channels, int16 on the stack */
#define DW_FILTER_MAX 2048 /* taps * output channels, int16 on the stack */

static int dw_offset_int8(const xai_conv_params *p) {
  return p->input_offset >= -127 && p->input_offset <= 128;
}

static int dw_patch_ok(const xai_conv_params *p, const xai_dims4 *in_dims,
                       const xai_dims4 *filter_dims, int32_t mult) {
  const int64_t taps = (int64_t)filter_dims->h * filter_dims->w;
  return mult > 1 && dw_offset_int8(p) &&
         taps * in_dims->c <= DW_PATCH_MAX &&
         taps * filter_dims->c <= DW_FILTER_MAX;
}

static inline int32_t dw_dot_s16(const int16_t *a, const int16_t *b,
                                 int32_t n) {
  int32_t sum = 0;
  for (int32_t i = 0; i < n; ++i) sum += (int32_t)a[i] * (int32_t)b[i];
  return sum;
}

static void dw_s8_patch(const xai_conv_params *p,
                        const xai_per_channel_quant *q,
                        const xai_dims4 *in_dims, const int8_t *in,
                        const xai_dims4 *filter_dims, const int8_t *filter,
                        const int32_t *bias, const xai_dims4 *out_dims,
                        int8_t *out) {
  const int32_t fh = filter_dims->h, fw = filter_dims->w, taps = fh * fw;
  const int32_t n_ic = in_dims->c, n_oc = out_dims->c, mult = n_oc / n_ic;
  const int32_t offset = p->input_offset;
  int16_t wt[DW_FILTER_MAX];
  int16_t patch[DW_PATCH_MAX];
  for (int32_t t = 0; t < taps; ++t)
    for (int32_t oc = 0; oc < n_oc; ++oc)
      wt[oc * taps + t] = filter[(size_t)t * n_oc + oc];
  /* Per-channel requantization split once for the first DW_BLOCK
   * channels (the common case has few). */
  xai_mbqm_pre scale[DW_BLOCK];
  const int32_t n_pre = n_oc < DW_BLOCK ? n_oc : DW_BLOCK;
  for (int32_t oc = 0; oc < n_pre; ++oc)
    scale[oc] =
        xai_mbqm_pre_make(xai_pcq_multiplier(q, oc), xai_pcq_shift(q, oc));
  const size_t x_step = (size_t)p->dilation_w * (size_t)n_ic;
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy) {
      int32_t fy_lo, fy_hi;
      const int32_t y0 = dw_window(oy, p->stride_h, p->pad_h, p->dilation_h,
                                   fh, in_dims->h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < out_dims->w; ++ox) {
        int32_t fx_lo, fx_hi;
        const int32_t x0 = dw_window(ox, p->stride_w, p->pad_w,
                                     p->dilation_w, fw, in_dims->w, &fx_lo,
                                     &fx_hi);
        if (fy_lo > 0 || fy_hi < fh || fx_lo > 0 || fx_hi < fw)
          for (int32_t i = 0; i < taps * n_ic; ++i) patch[i] = 0;
        for (int32_t fy = fy_lo; fy < fy_hi && fx_lo < fx_hi; ++fy) {
          const int32_t iy = y0 + p->dilation_h * fy;
          const int8_t *x =
              in + xai_nhwc(in_dims, b, iy, x0 + p->dilation_w * fx_lo, 0);
          int16_t *row = patch + fy * fw;
          const int32_t nx = fx_hi - fx_lo;
          if (x_step == 1) /* one channel, no dilation: contiguous */
            for (int32_t k = 0; k < nx; ++k)
              row[fx_lo + k] = (int16_t)(x[k] + offset);
          else
            for (int32_t ic = 0; ic < n_ic; ++ic)
              for (int32_t k = 0; k < nx; ++k)
                row[ic * taps + fx_lo + k] =
                    (int16_t)(x[(size_t)k * x_step + (size_t)ic] + offset);
        }
        int8_t *o = out + xai_nhwc(out_dims, b, oy, ox, 0);
        for (int32_t ic = 0, oc = 0; ic < n_ic; ++ic)
          for (int32_t m = 0; m < mult; ++m, ++oc) {
            uint32_t a = (uint32_t)dw_dot_s16(patch + ic * taps,
                                              wt + oc * taps, taps);
            if (bias) a += (uint32_t)bias[oc];
            int32_t v = oc < n_pre
                            ? xai_mbqm_apply(&scale[oc], (int32_t)a)
                            : xai_mbqm_inline((int32_t)a,
                                              xai_pcq_multiplier(q, oc),
                                              xai_pcq_shift(q, oc));
            v = xai_add_wrap32(v, p->output_offset);
            o[oc] = (int8_t)xai_clamp32(v, p->act_min, p->act_max);
          }
      }
    }
}

/* ---- Depth multiplier > 1, other filters: grouped taps -------------------
 * Output channel ic * mult + m reads input channel ic, so each tap loads
 * a group's input value once and multiplies it into the group's mult
 * accumulators (no per-channel division). Blocks hold whole groups. */
static int dw_grouped_ok(const xai_conv_params *p, int32_t mult) {
  return mult > 1 && mult <= DW_BLOCK && dw_offset_int8(p);
}

/* acc[g * mult + m] += w[g * mult + m] * (x[g] + offset), g < groups.
 * Inlined with literal mult (and groups) for the common shapes. */
static inline void dw_tap_groups(uint32_t *acc, const int8_t *x,
                                 const int8_t *w, int32_t groups,
                                 int32_t mult, int32_t offset) {
  for (int32_t g = 0; g < groups; ++g) {
    const int16_t xv = (int16_t)(x[g] + offset);
    for (int32_t m = 0; m < mult; ++m)
      acc[g * mult + m] +=
          (uint32_t)((int32_t)w[g * mult + m] * (int32_t)xv);
  }
}

/* One output pixel's block of n = groups * mult channels from oc0, summed
 * over the taps [fy_lo, fy_hi) x [fx_lo, fx_hi). */
static inline void dw_pixel_groups(
    uint32_t *acc, const xai_conv_params *p, const xai_dims4 *in_dims,
    const int8_t *in, const xai_dims4 *filter_dims, const int8_t *filter,
    int32_t b, int32_t y0, int32_t x0, int32_t fy_lo, int32_t fy_hi,
    int32_t fx_lo, int32_t fx_hi, int32_t oc0, int32_t groups, int32_t mult) {
  const int32_t ic0 = oc0 / mult, n = groups * mult;
  for (int32_t k = 0; k < n; ++k) acc[k] = 0;
  if (fx_lo >= fx_hi) return; /* no column inside: x would point outside */
  const size_t x_step = (size_t)p->dilation_w * (size_t)in_dims->c;
  const size_t w_step = (size_t)filter_dims->c;
  for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
    const int32_t iy = y0 + p->dilation_h * fy;
    const int8_t *x =
        in + xai_nhwc(in_dims, b, iy, x0 + p->dilation_w * fx_lo, ic0);
    const int8_t *w = filter + xai_nhwc(filter_dims, 0, fy, fx_lo, oc0);
    for (int32_t fx = fx_lo; fx < fx_hi; ++fx, x += x_step, w += w_step)
      dw_tap_groups(acc, x, w, groups, mult, p->input_offset);
  }
}

static void dw_s8_grouped(const xai_conv_params *p,
                          const xai_per_channel_quant *q,
                          const xai_dims4 *in_dims, const int8_t *in,
                          const xai_dims4 *filter_dims, const int8_t *filter,
                          const int32_t *bias, const xai_dims4 *out_dims,
                          int8_t *out) {
  const int32_t mult = out_dims->c / in_dims->c;
  const int32_t n_oc = out_dims->c;
  const int32_t block = (DW_BLOCK / mult) * mult;
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy) {
      int32_t fy_lo, fy_hi;
      const int32_t y0 = dw_window(oy, p->stride_h, p->pad_h, p->dilation_h,
                                   filter_dims->h, in_dims->h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < out_dims->w; ++ox) {
        int32_t fx_lo, fx_hi;
        const int32_t x0 =
            dw_window(ox, p->stride_w, p->pad_w, p->dilation_w,
                      filter_dims->w, in_dims->w, &fx_lo, &fx_hi);
        int8_t *o = out + xai_nhwc(out_dims, b, oy, ox, 0);
        for (int32_t oc0 = 0; oc0 < n_oc; oc0 += block) {
          const int32_t n = n_oc - oc0 < block ? n_oc - oc0 : block;
          const int32_t groups = n / mult;
          uint32_t acc[DW_BLOCK];
          /* Literal shapes let GCC unroll and vectorise the group loop. */
          if (groups == 1 && mult == 8)
            dw_pixel_groups(acc, p, in_dims, in, filter_dims, filter, b, y0,
                            x0, fy_lo, fy_hi, fx_lo, fx_hi, oc0, 1, 8);
          else if (groups == 1 && mult == 16)
            dw_pixel_groups(acc, p, in_dims, in, filter_dims, filter, b, y0,
                            x0, fy_lo, fy_hi, fx_lo, fx_hi, oc0, 1, 16);
          else if (mult == 8)
            dw_pixel_groups(acc, p, in_dims, in, filter_dims, filter, b, y0,
                            x0, fy_lo, fy_hi, fx_lo, fx_hi, oc0, groups, 8);
          else if (mult == 4)
            dw_pixel_groups(acc, p, in_dims, in, filter_dims, filter, b, y0,
                            x0, fy_lo, fy_hi, fx_lo, fx_hi, oc0, groups, 4);
          else if (mult == 2)
            dw_pixel_groups(acc, p, in_dims, in, filter_dims, filter, b, y0,
                            x0, fy_lo, fy_hi, fx_lo, fx_hi, oc0, groups, 2);
          else
            dw_pixel_groups(acc, p, in_dims, in, filter_dims, filter, b, y0,
                            x0, fy_lo, fy_hi, fx_lo, fx_hi, oc0, groups,
                            mult);
          dw_store_block(o, acc, oc0, n, bias, q, p);
        }
      }
    }
}

xai_status xai_depthwise_conv2d_s8_ref(const xai_conv_params *p,
                                       const xai_per_channel_quant *q,
                                       const xai_dims4 *in_dims,
                                       const int8_t *in,
                                       const xai_dims4 *filter_dims,
                                       const int8_t *filter,
                                       const int32_t *bias,
                                       const xai_dims4 *out_dims,
                                       int8_t *out) {
  xai_status st = dw_check(p, q, in_dims, in, filter_dims, filter, out_dims,
                           out);
  if (st != XAI_OK) return st;
  const int32_t mult = out_dims->c / in_dims->c;
  const int32_t n_oc = out_dims->c;
  if (dw_patch_ok(p, in_dims, filter_dims, mult)) {
    dw_s8_patch(p, q, in_dims, in, filter_dims, filter, bias, out_dims, out);
    return XAI_OK;
  }
  if (dw_grouped_ok(p, mult)) {
    dw_s8_grouped(p, q, in_dims, in, filter_dims, filter, bias, out_dims,
                  out);
    return XAI_OK;
  }
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy) {
      int32_t fy_lo, fy_hi;
      const int32_t y0 = dw_window(oy, p->stride_h, p->pad_h, p->dilation_h,
                                   filter_dims->h, in_dims->h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < out_dims->w; ++ox) {
        int32_t fx_lo, fx_hi;
        const int32_t x0 =
            dw_window(ox, p->stride_w, p->pad_w, p->dilation_w,
                      filter_dims->w, in_dims->w, &fx_lo, &fx_hi);
        int8_t *o = out + xai_nhwc(out_dims, b, oy, ox, 0);
        /* Channels in blocks, accumulated tap by tap across the block so
         * the channel loop is contiguous (modular sums: order-free). */
        for (int32_t oc0 = 0; oc0 < n_oc; oc0 += DW_BLOCK) {
          const int32_t n = n_oc - oc0 < DW_BLOCK ? n_oc - oc0 : DW_BLOCK;
          uint32_t acc[DW_BLOCK] = {0};
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
            const int32_t iy = y0 + p->dilation_h * fy;
            for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
              const int32_t ix = x0 + p->dilation_w * fx;
              const int8_t *x = in + xai_nhwc(in_dims, b, iy, ix, 0);
              const int8_t *w =
                  filter + xai_nhwc(filter_dims, 0, fy, fx, oc0);
              if (mult == 1) {
                x += oc0;
                for (int32_t k = 0; k < n; ++k)
                  acc[k] += (uint32_t)((int32_t)w[k] *
                                       ((int32_t)x[k] + p->input_offset));
              } else {
                for (int32_t k = 0; k < n; ++k)
                  acc[k] += (uint32_t)((int32_t)w[k] *
                                       ((int32_t)x[(oc0 + k) / mult] +
                                        p->input_offset));
              }
            }
          }
          dw_store_block(o, acc, oc0, n, bias, q, p);
        }
      }
    }
  return XAI_OK;
}

xai_status xai_depthwise_conv2d_s16_ref(const xai_conv_params *p,
                                        const xai_per_channel_quant *q,
                                        const xai_dims4 *in_dims,
                                        const int16_t *in,
                                        const xai_dims4 *filter_dims,
                                        const int8_t *filter,
                                        const int64_t *bias,
                                        const xai_dims4 *out_dims,
                                        int16_t *out) {
  xai_status st = dw_check(p, q, in_dims, in, filter_dims, filter, out_dims,
                           out);
  if (st != XAI_OK) return st;
  const int32_t mult = out_dims->c / in_dims->c;
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy)
      for (int32_t ox = 0; ox < out_dims->w; ++ox)
        for (int32_t oc = 0; oc < out_dims->c; ++oc) {
          const int32_t ic = oc / mult;
          const int32_t y0 = oy * p->stride_h - p->pad_h;
          const int32_t x0 = ox * p->stride_w - p->pad_w;
          int64_t acc = 0;
          for (int32_t fy = 0; fy < filter_dims->h; ++fy) {
            const int32_t iy = y0 + p->dilation_h * fy;
            if (iy < 0 || iy >= in_dims->h) continue;
            for (int32_t fx = 0; fx < filter_dims->w; ++fx) {
              const int32_t ix = x0 + p->dilation_w * fx;
              if (ix < 0 || ix >= in_dims->w) continue;
              int32_t x = in[xai_nhwc(in_dims, b, iy, ix, ic)];
              int32_t w = filter[xai_nhwc(filter_dims, 0, fy, fx, oc)];
              acc += w * x;
            }
          }
          if (bias) acc = xai_add_wrap64(acc, bias[oc]);
          int32_t v = xai_mbqm64(acc, xai_pcq_multiplier(q, oc),
                                 xai_pcq_shift(q, oc));
          out[xai_nhwc(out_dims, b, oy, ox, oc)] =
              (int16_t)xai_clamp32(v, p->act_min, p->act_max);
        }
  return XAI_OK;
}
