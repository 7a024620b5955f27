/* float32 convolutions and pooling (TFLite reference_ops conv.h,
 * depthwiseconv_float.h, pooling.h). */
#include "xai/kernels_ref/conv_float.h"

#include "xai/kernels_ref/arith_float.h"

#include <float.h>
#include <math.h>

static float clampf(float v, float lo, float hi) {
  return xai_act_clampf(v, lo, hi);
}

static size_t at(const xai_dims4 *d, int32_t n, int32_t y, int32_t x,
                 int32_t c) {
  return (((size_t)n * d->h + y) * d->w + x) * d->c + c;
}

void xai_conv2d_f32_ref(const xai_conv_f32_params *p, const xai_dims4 *in_d,
                        const float *in, const xai_dims4 *f_d,
                        const float *filter, const float *bias,
                        const xai_dims4 *out_d, float *out) {
  const int32_t groups = f_d->c ? in_d->c / f_d->c : 1;
  const int32_t per_group = groups ? out_d->c / groups : out_d->c;
  for (int32_t b = 0; b < out_d->n; b++)
    for (int32_t oy = 0; oy < out_d->h; oy++)
      for (int32_t ox = 0; ox < out_d->w; ox++)
        for (int32_t oc = 0; oc < out_d->c; oc++) {
          const int32_t g = per_group ? oc / per_group : 0;
          const int32_t iy0 = oy * p->stride_h - p->pad_h;
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          float total = 0.0f;
          for (int32_t fy = 0; fy < f_d->h; fy++) {
            const int32_t iy = iy0 + p->dilation_h * fy;
            for (int32_t fx = 0; fx < f_d->w; fx++) {
              const int32_t ix = ix0 + p->dilation_w * fx;
              if (iy < 0 || iy >= in_d->h || ix < 0 || ix >= in_d->w) continue;
              for (int32_t ic = 0; ic < f_d->c; ic++)
                total += in[at(in_d, b, iy, ix, ic + g * f_d->c)] *
                         filter[at(f_d, oc, fy, fx, ic)];
            }
          }
          const float bv = bias ? bias[oc] : 0.0f;
          out[at(out_d, b, oy, ox, oc)] =
              clampf(total + bv, p->act_min, p->act_max);
        }
}

void xai_depthwise_f32_ref(const xai_conv_f32_params *p,
                           const xai_dims4 *in_d, const float *in,
                           const xai_dims4 *f_d, const float *filter,
                           const float *bias, const xai_dims4 *out_d,
                           float *out) {
  for (int32_t b = 0; b < out_d->n; b++)
    for (int32_t oy = 0; oy < out_d->h; oy++)
      for (int32_t ox = 0; ox < out_d->w; ox++)
        for (int32_t ic = 0; ic < in_d->c; ic++)
          for (int32_t m = 0; m < p->depth_multiplier; m++) {
            const int32_t oc = m + ic * p->depth_multiplier;
            const int32_t iy0 = oy * p->stride_h - p->pad_h;
            const int32_t ix0 = ox * p->stride_w - p->pad_w;
            float total = 0.0f;
            for (int32_t fy = 0; fy < f_d->h; fy++)
              for (int32_t fx = 0; fx < f_d->w; fx++) {
                const int32_t iy = iy0 + p->dilation_h * fy;
                const int32_t ix = ix0 + p->dilation_w * fx;
                if (iy < 0 || iy >= in_d->h || ix < 0 || ix >= in_d->w)
                  continue;
                total += in[at(in_d, b, iy, ix, ic)] *
                         filter[at(f_d, 0, fy, fx, oc)];
              }
            const float bv = bias ? bias[oc] : 0.0f;
            out[at(out_d, b, oy, ox, oc)] =
                clampf(total + bv, p->act_min, p->act_max);
          }
}

void xai_pool_f32_ref(int is_max, const xai_conv_f32_params *p,
                      int32_t filter_h, int32_t filter_w,
                      const xai_dims4 *in_d, const float *in,
                      const xai_dims4 *out_d, float *out) {
  for (int32_t b = 0; b < out_d->n; b++)
    for (int32_t oy = 0; oy < out_d->h; oy++)
      for (int32_t ox = 0; ox < out_d->w; ox++)
        for (int32_t c = 0; c < out_d->c; c++) {
          const int32_t iy0 = oy * p->stride_h - p->pad_h;
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          const int32_t fy0 = iy0 < 0 ? -iy0 : 0;
          const int32_t fx0 = ix0 < 0 ? -ix0 : 0;
          const int32_t fy1 = filter_h < in_d->h - iy0 ? filter_h : in_d->h - iy0;
          const int32_t fx1 = filter_w < in_d->w - ix0 ? filter_w : in_d->w - ix0;
          float acc = is_max ? -FLT_MAX : 0.0f, count = 0.0f;
          for (int32_t fy = fy0; fy < fy1; fy++)
            for (int32_t fx = fx0; fx < fx1; fx++) {
              const float v = in[at(in_d, b, iy0 + fy, ix0 + fx, c)];
              if (is_max)
                acc = v > acc ? v : acc;
              else
                acc += v;
              count += 1.0f;
            }
          const float r = is_max ? acc : acc / count;
          out[at(out_d, b, oy, ox, c)] = clampf(r, p->act_min, p->act_max);
        }
}

void xai_transpose_conv_f32_ref(const xai_conv_f32_params *p,
                                const xai_dims4 *in_d, const float *in,
                                const xai_dims4 *f_d, const float *filter,
                                const float *bias, const xai_dims4 *out_d,
                                float *out) {
  const size_t total = (size_t)out_d->n * out_d->h * out_d->w * out_d->c;
  for (size_t i = 0; i < total; i++) out[i] = 0.0f;
  for (int32_t b = 0; b < in_d->n; b++)
    for (int32_t iy = 0; iy < in_d->h; iy++)
      for (int32_t ix = 0; ix < in_d->w; ix++)
        for (int32_t ic = 0; ic < in_d->c; ic++) {
          const int32_t oy0 = iy * p->stride_h - p->pad_h;
          const int32_t ox0 = ix * p->stride_w - p->pad_w;
          const float v = in[at(in_d, b, iy, ix, ic)];
          for (int32_t fy = 0; fy < f_d->h; fy++) {
            const int32_t oy = oy0 + fy;
            if (oy < 0 || oy >= out_d->h) continue;
            for (int32_t fx = 0; fx < f_d->w; fx++) {
              const int32_t ox = ox0 + fx;
              if (ox < 0 || ox >= out_d->w) continue;
              for (int32_t oc = 0; oc < out_d->c; oc++)
                out[at(out_d, b, oy, ox, oc)] +=
                    v * filter[at(f_d, oc, fy, fx, ic)];
            }
          }
        }
  for (size_t i = 0; i < total; i++) {
    const float bv = bias ? bias[i % (size_t)out_d->c] : 0.0f;
    out[i] = clampf(bias ? out[i] + bv : out[i], p->act_min, p->act_max);
  }
}
