/* DEPTHWISE_CONV_2D reference kernels (TFLite
 * reference_integer_ops::DepthwiseConvPerChannel). */
#include "conv_internal.h"
#include "quant_internal.h"

/* Output channels accumulated together on the stack. */
#define DW_BLOCK 64

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
  if (!in_data || !f_data || !out_data || !q->multiplier || !q->shift)
    return XAI_ERR_ARGUMENT;
  return XAI_OK;
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
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy) {
      const int32_t y0 = oy * p->stride_h - p->pad_h;
      int32_t fy_lo, fy_hi;
      xai_tap_range(y0, p->dilation_h, filter_dims->h, in_dims->h, &fy_lo,
                    &fy_hi);
      for (int32_t ox = 0; ox < out_dims->w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int32_t fx_lo, fx_hi;
        xai_tap_range(x0, p->dilation_w, filter_dims->w, in_dims->w, &fx_lo,
                      &fx_hi);
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
          for (int32_t k = 0; k < n; ++k) {
            const int32_t oc = oc0 + k;
            uint32_t a = acc[k];
            if (bias) a += (uint32_t)bias[oc];
            int32_t v = xai_mbqm_inline((int32_t)a, q->multiplier[oc],
                                        q->shift[oc]);
            v = xai_add_wrap32(v, p->output_offset);
            o[oc] = (int8_t)xai_clamp32(v, p->act_min, p->act_max);
          }
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
          int32_t v = xai_mbqm64(acc, q->multiplier[oc], q->shift[oc]);
          out[xai_nhwc(out_dims, b, oy, ox, oc)] =
              (int16_t)xai_clamp32(v, p->act_min, p->act_max);
        }
  return XAI_OK;
}
