/* CONV_2D reference kernels (TFLite reference_integer_ops::ConvPerChannel)
 * and the padding geometry shared by the convolution family. */
#include "conv_internal.h"
#include "quant_internal.h"
#include "xai/tflite.h"

int32_t xai_conv_out_size(int padding, int32_t in, int32_t filter,
                          int32_t stride, int32_t dilation) {
  if (stride < 1) return 0;
  int32_t effective = (filter - 1) * dilation + 1;
  /* TFLite ComputeOutSize: SAME ceil(in / stride), VALID
   * ceil((in - effective + 1) / stride). */
  int32_t out = padding == XAI_PADDING_SAME
                    ? (in + stride - 1) / stride
                    : (in + stride - effective) / stride;
  return out > 0 ? out : 0;
}

int32_t xai_conv_pad(int32_t in, int32_t filter, int32_t stride,
                     int32_t dilation, int32_t out) {
  int32_t effective = (filter - 1) * dilation + 1;
  int32_t total = (out - 1) * stride + effective - in;
  /* TFLite SAME padding puts the odd pixel at the bottom/right. */
  return total > 0 ? total / 2 : 0;
}

/* Checks shared by every CONV_2D variant; sets *groups. */
static xai_status conv_check(const xai_conv_params *p,
                             const xai_per_channel_quant *q,
                             const xai_dims4 *in, const void *in_data,
                             const xai_dims4 *f, const void *f_data,
                             const xai_dims4 *out, const void *out_data,
                             int32_t *groups) {
  if (!p || !q || !xai_dims_ok(in) || !xai_dims_ok(f) || !xai_dims_ok(out))
    return XAI_ERR_ARGUMENT;
  if (p->stride_h < 1 || p->stride_w < 1 || p->dilation_h < 1 ||
      p->dilation_w < 1 || p->act_min > p->act_max)
    return XAI_ERR_ARGUMENT;
  if (in->n != out->n || f->n != out->c || f->c < 1 || in->c % f->c != 0)
    return XAI_ERR_ARGUMENT;
  *groups = in->c / f->c;
  if (*groups < 1 || out->c % *groups != 0) return XAI_ERR_ARGUMENT;
  if (xai_dims_elements(out) == 0) return XAI_OK;
  if (!in_data || !f_data || !out_data || !q->multiplier ||
      (!q->shift && !q->shift8))
    return XAI_ERR_ARGUMENT;
  return XAI_OK;
}

/* The staged window (n_rows rows of `run` values, x + input offset)
 * against `count` (1..4) consecutive output channels' filters; w points at
 * the first channel's tap (fy_lo, fx_lo). When the window spans whole
 * filter rows (`full`), filter and window are both contiguous: one dot. */
static void window_sums(const int8_t *w, size_t f_oc, size_t f_row,
                        int32_t count, const int16_t *staged,
                        int32_t n_rows, int32_t run, int full,
                        int32_t sums[4]) {
  sums[0] = sums[1] = sums[2] = sums[3] = 0;
  if (full) {
    run *= n_rows;
    n_rows = 1;
  }
  for (int32_t r = 0; r < n_rows; ++r) {
    const int8_t *wr = w + (size_t)r * f_row;
    const int16_t *xr = staged + (size_t)r * (size_t)run;
    if (count == 4) {
      xai_dot4_s8_s16(wr, f_oc, xr, run, sums);
      continue;
    }
    for (int32_t k = 0; k < count; ++k)
      sums[k] += xai_dot_s8_s16(wr + (size_t)k * f_oc, xr, run);
  }
}

/* Output channels are taken in blocks whose requantization steps are
 * split once; each pixel's window is staged per block. */
enum { STAGED_BLOCK = 32 };

/* CONV_2D with one group, no x dilation, an input offset in
 * xai_stage_offset_ok's range and a filter of at most XAI_STAGE_MAX taps:
 * each output pixel's window is staged as int16 x + offset and every
 * channel's sum is an int8 x int16 dot, four channels at a time. The sums
 * are exact (at most XAI_STAGE_MAX products below 2^15 in magnitude), so
 * they equal TFLite's wrapping int32 accumulator. */
static void conv_s8_staged(const xai_conv_params *p,
                           const xai_per_channel_quant *q,
                           const xai_dims4 *in_dims, const int8_t *in,
                           const xai_dims4 *fd, const int8_t *filter,
                           const int32_t *bias, const xai_dims4 *out_dims,
                           int8_t *out) {
  const size_t f_row = (size_t)fd->w * (size_t)fd->c;
  const size_t f_oc = (size_t)fd->h * f_row;
  int16_t staged[XAI_STAGE_MAX];
  xai_mbqm_pre scale[STAGED_BLOCK];
  for (int32_t oc0 = 0; oc0 < out_dims->c; oc0 += STAGED_BLOCK) {
    const int32_t left = out_dims->c - oc0;
    const int32_t n_oc = left < STAGED_BLOCK ? left : STAGED_BLOCK;
    for (int32_t k = 0; k < n_oc; ++k)
      scale[k] = xai_mbqm_pre_make(xai_pcq_multiplier(q, oc0 + k),
                                   (int)xai_pcq_shift(q, oc0 + k));
    for (int32_t b = 0; b < out_dims->n; ++b)
      for (int32_t oy = 0; oy < out_dims->h; ++oy) {
        const int32_t y0 = oy * p->stride_h - p->pad_h;
        int32_t fy_lo, fy_hi;
        xai_tap_range(y0, p->dilation_h, fd->h, in_dims->h, &fy_lo, &fy_hi);
        for (int32_t ox = 0; ox < out_dims->w; ++ox) {
          const int32_t x0 = ox * p->stride_w - p->pad_w;
          int32_t fx_lo, fx_hi;
          xai_tap_range(x0, 1, fd->w, in_dims->w, &fx_lo, &fx_hi);
          const int32_t run = (fx_hi - fx_lo) * fd->c;
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy)
            xai_stage_s16(in + xai_nhwc(in_dims, b, y0 + p->dilation_h * fy,
                                        x0 + fx_lo, 0),
                          run, p->input_offset,
                          staged + (size_t)(fy - fy_lo) * (size_t)run);
          const int full = fx_lo == 0 && fx_hi == fd->w;
          const int8_t *w0 = filter + (size_t)oc0 * f_oc +
                             (size_t)fy_lo * f_row + (size_t)fx_lo * fd->c;
          int8_t *o = out + xai_nhwc(out_dims, b, oy, ox, oc0);
          for (int32_t k = 0; k < n_oc; k += 4) {
            const int32_t count = n_oc - k < 4 ? n_oc - k : 4;
            int32_t sums[4];
            window_sums(w0 + (size_t)k * f_oc, f_oc, f_row, count, staged,
                        fy_hi - fy_lo, run, full, sums);
            for (int32_t j = 0; j < count; ++j) {
              uint32_t acc = (uint32_t)sums[j];
              if (bias) acc += (uint32_t)bias[oc0 + k + j];
              int32_t v = xai_mbqm_apply(&scale[k + j], (int32_t)acc);
              v = xai_add_wrap32(v, p->output_offset);
              o[k + j] = (int8_t)xai_clamp32(v, p->act_min, p->act_max);
            }
          }
        }
      }
  }
}

xai_status xai_conv2d_s8_ref(const xai_conv_params *p,
                             const xai_per_channel_quant *q,
                             const xai_dims4 *in_dims, const int8_t *in,
                             const xai_dims4 *filter_dims,
                             const int8_t *filter, const int32_t *bias,
                             const xai_dims4 *out_dims, int8_t *out) {
  int32_t groups = 1;
  xai_status st = conv_check(p, q, in_dims, in, filter_dims, filter, out_dims,
                             out, &groups);
  if (st != XAI_OK) return st;
  const xai_dims4 *fd = filter_dims;
  const int32_t per_group = out_dims->c / groups;
  /* With one group and no x dilation, a filter row's taps read one
   * contiguous run of input (fx, c) and of filter, so the whole row is one
   * dot product. */
  const int row_runs = groups == 1 && p->dilation_w == 1;
  const size_t f_row = (size_t)fd->w * (size_t)fd->c;
  const size_t f_oc = (size_t)fd->h * f_row;
  if (row_runs && xai_stage_offset_ok(p->input_offset) &&
      (size_t)fd->h * f_row <= XAI_STAGE_MAX) {
    conv_s8_staged(p, q, in_dims, in, fd, filter, bias, out_dims, out);
    return XAI_OK;
  }
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy) {
      const int32_t y0 = oy * p->stride_h - p->pad_h;
      int32_t fy_lo, fy_hi;
      xai_tap_range(y0, p->dilation_h, fd->h, in_dims->h, &fy_lo, &fy_hi);
      for (int32_t ox = 0; ox < out_dims->w; ++ox) {
        const int32_t x0 = ox * p->stride_w - p->pad_w;
        int32_t fx_lo, fx_hi;
        xai_tap_range(x0, p->dilation_w, fd->w, in_dims->w, &fx_lo, &fx_hi);
        const int32_t run = (fx_hi - fx_lo) * fd->c;
        int8_t *o = out + xai_nhwc(out_dims, b, oy, ox, 0);
        for (int32_t oc = 0; oc < out_dims->c; ++oc) {
          const int32_t in_c0 = (oc / per_group) * fd->c;
          const int8_t *wf = filter + (size_t)oc * f_oc;
          uint32_t acc = 0; /* zero padding: taps outside add nothing */
          for (int32_t fy = fy_lo; fy < fy_hi; ++fy) {
            const int32_t iy = y0 + p->dilation_h * fy;
            const int8_t *wr = wf + (size_t)fy * f_row;
            if (row_runs) {
              acc += xai_dot_s8_offset(
                  in + xai_nhwc(in_dims, b, iy, x0 + fx_lo, 0),
                  wr + (size_t)fx_lo * fd->c, run, p->input_offset);
              continue;
            }
            for (int32_t fx = fx_lo; fx < fx_hi; ++fx) {
              const int32_t ix = x0 + p->dilation_w * fx;
              acc += xai_dot_s8_offset(in + xai_nhwc(in_dims, b, iy, ix, in_c0),
                                       wr + (size_t)fx * fd->c, fd->c,
                                       p->input_offset);
            }
          }
          if (bias) acc += (uint32_t)bias[oc];
          int32_t v = xai_mbqm_inline((int32_t)acc, xai_pcq_multiplier(q, oc),
                                      xai_pcq_shift(q, oc));
          v = xai_add_wrap32(v, p->output_offset);
          o[oc] = (int8_t)xai_clamp32(v, p->act_min, p->act_max);
        }
      }
    }
  return XAI_OK;
}

/* One int16 output's sum of products (no offsets: zero points are 0). */
static int64_t conv_sum_s16(const xai_conv_params *p, const xai_dims4 *in_dims,
                            const int16_t *in, const xai_dims4 *fd,
                            const int8_t *filter, int32_t b, int32_t oy,
                            int32_t ox, int32_t oc, int32_t in_c0) {
  const int32_t y0 = oy * p->stride_h - p->pad_h;
  const int32_t x0 = ox * p->stride_w - p->pad_w;
  int64_t acc = 0;
  for (int32_t fy = 0; fy < fd->h; ++fy) {
    const int32_t iy = y0 + p->dilation_h * fy;
    if (iy < 0 || iy >= in_dims->h) continue;
    for (int32_t fx = 0; fx < fd->w; ++fx) {
      const int32_t ix = x0 + p->dilation_w * fx;
      if (ix < 0 || ix >= in_dims->w) continue;
      const int16_t *src = in + xai_nhwc(in_dims, b, iy, ix, in_c0);
      const int8_t *w = filter + xai_nhwc(fd, oc, fy, fx, 0);
      for (int32_t ic = 0; ic < fd->c; ++ic)
        acc += (int32_t)w[ic] * (int32_t)src[ic];
    }
  }
  return acc;
}

xai_status xai_conv2d_s16_ref(const xai_conv_params *p,
                              const xai_per_channel_quant *q,
                              const xai_dims4 *in_dims, const int16_t *in,
                              const xai_dims4 *filter_dims,
                              const int8_t *filter, const int64_t *bias,
                              const xai_dims4 *out_dims, int16_t *out) {
  int32_t groups = 1;
  xai_status st = conv_check(p, q, in_dims, in, filter_dims, filter, out_dims,
                             out, &groups);
  if (st != XAI_OK) return st;
  const int32_t per_group = out_dims->c / groups;
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy)
      for (int32_t ox = 0; ox < out_dims->w; ++ox)
        for (int32_t oc = 0; oc < out_dims->c; ++oc) {
          int64_t acc = conv_sum_s16(p, in_dims, in, filter_dims, filter, b,
                                     oy, ox, oc,
                                     (oc / per_group) * filter_dims->c);
          if (bias) acc = xai_add_wrap64(acc, bias[oc]);
          int32_t v = xai_mbqm64(acc, xai_pcq_multiplier(q, oc),
                                 xai_pcq_shift(q, oc));
          out[xai_nhwc(out_dims, b, oy, ox, oc)] =
              (int16_t)xai_clamp32(v, p->act_min, p->act_max);
        }
  return XAI_OK;
}

xai_status xai_conv2d_s16_acc32_ref(const xai_conv_params *p,
                                    const xai_per_channel_quant *q,
                                    const xai_dims4 *in_dims,
                                    const int16_t *in,
                                    const xai_dims4 *filter_dims,
                                    const int8_t *filter, const int32_t *bias,
                                    const xai_dims4 *out_dims, int16_t *out) {
  int32_t groups = 1;
  xai_status st = conv_check(p, q, in_dims, in, filter_dims, filter, out_dims,
                             out, &groups);
  if (st != XAI_OK) return st;
  const int32_t per_group = out_dims->c / groups;
  for (int32_t b = 0; b < out_dims->n; ++b)
    for (int32_t oy = 0; oy < out_dims->h; ++oy)
      for (int32_t ox = 0; ox < out_dims->w; ++ox)
        for (int32_t oc = 0; oc < out_dims->c; ++oc) {
          /* TFLite's int32 accumulator: the 64-bit sum truncated. */
          int64_t sum = conv_sum_s16(p, in_dims, in, filter_dims, filter, b,
                                     oy, ox, oc,
                                     (oc / per_group) * filter_dims->c);
          int32_t acc = (int32_t)(uint32_t)(uint64_t)sum;
          if (bias) acc = xai_add_wrap32(acc, bias[oc]);
          acc = xai_mbqm(acc, xai_pcq_multiplier(q, oc),
                         xai_pcq_shift(q, oc));
          out[xai_nhwc(out_dims, b, oy, ox, oc)] =
              (int16_t)xai_clamp32(acc, p->act_min, p->act_max);
        }
  return XAI_OK;
}
