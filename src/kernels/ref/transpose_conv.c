/* TRANSPOSE_CONV reference kernels (TFLite
 * reference_integer_ops::TransposeConv): scatter every input pixel through
 * the filter into an accumulator per output element, then requantize. */
#include <string.h>

#include "conv_internal.h"

size_t xai_transpose_conv_s8_scratch_size(const xai_dims4 *out_dims) {
  return xai_dims_ok(out_dims) ? xai_dims_elements(out_dims) * sizeof(int32_t)
                               : 0;
}

size_t xai_transpose_conv_s16_scratch_size(const xai_dims4 *out_dims) {
  return xai_dims_ok(out_dims) ? xai_dims_elements(out_dims) * sizeof(int64_t)
                               : 0;
}

static xai_status tconv_check(const xai_conv_params *p,
                              const xai_per_channel_quant *q,
                              const xai_dims4 *in, const void *in_data,
                              const xai_dims4 *f, const void *f_data,
                              const xai_dims4 *out, const void *out_data,
                              const void *scratch) {
  if (!p || !q || !xai_dims_ok(in) || !xai_dims_ok(f) || !xai_dims_ok(out))
    return XAI_ERR_ARGUMENT;
  if (p->stride_h < 1 || p->stride_w < 1 || p->act_min > p->act_max)
    return XAI_ERR_ARGUMENT;
  if (in->n != out->n || f->n != out->c || f->c != in->c)
    return XAI_ERR_ARGUMENT;
  if (xai_dims_elements(out) == 0) return XAI_OK;
  if (!out_data || !scratch || !q->multiplier || (!q->shift && !q->shift8))
    return XAI_ERR_ARGUMENT;
  if (xai_dims_elements(in) != 0 && (!in_data || !f_data))
    return XAI_ERR_ARGUMENT;
  return XAI_OK;
}

xai_status xai_transpose_conv_s8_ref(const xai_conv_params *p,
                                     const xai_per_channel_quant *q,
                                     const xai_dims4 *in_dims,
                                     const int8_t *in,
                                     const xai_dims4 *filter_dims,
                                     const int8_t *filter, const int32_t *bias,
                                     const xai_dims4 *out_dims, int8_t *out,
                                     int32_t *scratch) {
  xai_status st = tconv_check(p, q, in_dims, in, filter_dims, filter,
                              out_dims, out, scratch);
  if (st != XAI_OK || xai_dims_elements(out_dims) == 0) return st;
  const xai_dims4 *fd = filter_dims;
  memset(scratch, 0, xai_dims_elements(out_dims) * sizeof(int32_t));
  for (int32_t b = 0; b < in_dims->n; ++b)
    for (int32_t iy = 0; iy < in_dims->h; ++iy)
      for (int32_t ix = 0; ix < in_dims->w; ++ix)
        for (int32_t ic = 0; ic < in_dims->c; ++ic) {
          const int32_t x = in[xai_nhwc(in_dims, b, iy, ix, ic)] +
                            p->input_offset;
          const int32_t oy0 = iy * p->stride_h - p->pad_h;
          const int32_t ox0 = ix * p->stride_w - p->pad_w;
          for (int32_t fy = 0; fy < fd->h; ++fy) {
            const int32_t oy = oy0 + fy;
            if (oy < 0 || oy >= out_dims->h) continue;
            for (int32_t fx = 0; fx < fd->w; ++fx) {
              const int32_t ox = ox0 + fx;
              if (ox < 0 || ox >= out_dims->w) continue;
              int32_t *acc = scratch + xai_nhwc(out_dims, b, oy, ox, 0);
              for (int32_t oc = 0; oc < out_dims->c; ++oc)
                acc[oc] = xai_add_wrap32(
                    acc[oc], x * filter[xai_nhwc(fd, oc, fy, fx, ic)]);
            }
          }
        }
  const size_t count = xai_dims_elements(out_dims);
  for (size_t i = 0; i < count; ++i) {
    const int32_t oc = (int32_t)(i % (size_t)out_dims->c);
    int32_t acc = scratch[i];
    if (bias) acc = xai_add_wrap32(acc, bias[oc]);
    acc = xai_mbqm(acc, xai_pcq_multiplier(q, oc), xai_pcq_shift(q, oc));
    acc = xai_add_wrap32(acc, p->output_offset);
    out[i] = (int8_t)xai_clamp32(acc, p->act_min, p->act_max);
  }
  return XAI_OK;
}

xai_status xai_transpose_conv_s16_ref(const xai_conv_params *p,
                                      const xai_per_channel_quant *q,
                                      const xai_dims4 *in_dims,
                                      const int16_t *in,
                                      const xai_dims4 *filter_dims,
                                      const int8_t *filter,
                                      const int64_t *bias,
                                      const xai_dims4 *out_dims, int16_t *out,
                                      int64_t *scratch) {
  xai_status st = tconv_check(p, q, in_dims, in, filter_dims, filter,
                              out_dims, out, scratch);
  if (st != XAI_OK || xai_dims_elements(out_dims) == 0) return st;
  const xai_dims4 *fd = filter_dims;
  memset(scratch, 0, xai_dims_elements(out_dims) * sizeof(int64_t));
  for (int32_t b = 0; b < in_dims->n; ++b)
    for (int32_t iy = 0; iy < in_dims->h; ++iy)
      for (int32_t ix = 0; ix < in_dims->w; ++ix)
        for (int32_t ic = 0; ic < in_dims->c; ++ic) {
          const int32_t x = in[xai_nhwc(in_dims, b, iy, ix, ic)];
          const int32_t oy0 = iy * p->stride_h - p->pad_h;
          const int32_t ox0 = ix * p->stride_w - p->pad_w;
          for (int32_t fy = 0; fy < fd->h; ++fy) {
            const int32_t oy = oy0 + fy;
            if (oy < 0 || oy >= out_dims->h) continue;
            for (int32_t fx = 0; fx < fd->w; ++fx) {
              const int32_t ox = ox0 + fx;
              if (ox < 0 || ox >= out_dims->w) continue;
              int64_t *acc = scratch + xai_nhwc(out_dims, b, oy, ox, 0);
              for (int32_t oc = 0; oc < out_dims->c; ++oc)
                acc[oc] += x * filter[xai_nhwc(fd, oc, fy, fx, ic)];
            }
          }
        }
  const size_t count = xai_dims_elements(out_dims);
  for (size_t i = 0; i < count; ++i) {
    const int32_t oc = (int32_t)(i % (size_t)out_dims->c);
    int64_t acc = scratch[i];
    if (bias) acc = xai_add_wrap64(acc, bias[oc]);
    int32_t v =
        xai_mbqm64(acc, xai_pcq_multiplier(q, oc), xai_pcq_shift(q, oc));
    out[i] = (int16_t)xai_clamp32(v, p->act_min, p->act_max);
  }
  return XAI_OK;
}
