/* LceBconv2d and LceBMaxPool2d reference kernels (LCE core/bconv2d
 * reference.h, output_transform.h, bmaxpool.h semantics). */
#include <limits.h>
#include <math.h>

#include "xai/kernels_ref/lce.h"
#include "xai/tflite.h"

void xai_bconv2d_transform_make(const float *post_mul, const float *post_bias,
                                int32_t channels_out, int32_t k_depth,
                                int activation, double out_scale,
                                double out_zero_point, float *mult,
                                float *bias, int32_t *clamp_min,
                                int32_t *clamp_max) {
  for (int32_t c = 0; c < channels_out; c++) {
    double m = post_mul[c], b = post_bias[c];
    mult[c] = (float)(-1.0 * m / out_scale);
    bias[c] = (float)((b + (double)k_depth * m) / out_scale + out_zero_point);
  }
  /* TFLite's CalculateActivationRange for int32, on the true value
   * K - 2*accum, then mapped onto 2*accum. */
  int32_t lo = INT32_MIN, hi = INT32_MAX;
  if (activation == XAI_ACT_RELU) lo = 0;
  if (activation == XAI_ACT_RELU6) lo = 0, hi = 6;
  if (activation == XAI_ACT_RELU_N1_TO_1) lo = -1, hi = 1;
  if (lo < -k_depth) lo = -k_depth;
  if (hi > k_depth) hi = k_depth;
  *clamp_min = k_depth - hi;
  *clamp_max = k_depth - lo;
}

int8_t xai_bconv2d_s8_out(const xai_bconv2d_params *p, int32_t accum,
                          int32_t c) {
  /* std::round to int32, then saturate. A float outside int32 (or NaN)
   * converts to INT32_MIN on x86, where the oracle runs: -128. */
  float r = roundf(xai_bconv2d_float_out(p, accum, c));
  if (!(r >= -2147483648.0f && r < 2147483648.0f)) return -128;
  if (r > 127.0f) return 127;
  if (r < -128.0f) return -128;
  return (int8_t)r;
}

void xai_bconv2d_ref(const xai_bconv2d_params *p, const xai_dims4 *in_dims,
                     const int32_t *in, const xai_dims4 *filter_dims,
                     const int32_t *filter, const xai_dims4 *out_dims,
                     void *out) {
  const int32_t words_g = filter_dims->c, cout = out_dims->c;
  const int32_t cout_g = cout / p->groups;
  const int32_t zero_point = p->channels_in / p->groups / 2;
  const int32_t out_words = xai_lce_words(cout);
  for (int32_t n = 0; n < out_dims->n; n++)
    for (int32_t oy = 0; oy < out_dims->h; oy++)
      for (int32_t ox = 0; ox < out_dims->w; ox++) {
        size_t pix = ((size_t)n * out_dims->h + oy) * out_dims->w + ox;
        uint32_t column = 0;
        for (int32_t c = 0; c < cout; c++) {
          const int32_t g = c / cout_g;
          int32_t accum = 0;
          for (int32_t fy = 0; fy < filter_dims->h; fy++)
            for (int32_t fx = 0; fx < filter_dims->w; fx++) {
              int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dil_h;
              int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dil_w;
              int inside = iy >= 0 && iy < in_dims->h && ix >= 0 &&
                           ix < in_dims->w;
              if (!inside && p->zero_padding) {
                accum += zero_point;
                continue;
              }
              const int32_t *f =
                  filter +
                  (((size_t)c * filter_dims->h + fy) * filter_dims->w + fx) *
                      words_g;
              const int32_t *x =
                  inside ? in + (((size_t)n * in_dims->h + iy) * in_dims->w +
                                 ix) * in_dims->c + (size_t)g * words_g
                         : NULL;
              /* one-padding: a padded word is 0 (all +1) */
              for (int32_t k = 0; k < words_g; k++)
                accum += __builtin_popcount((uint32_t)(x ? x[k] : 0) ^
                                            (uint32_t)f[k]);
            }
          if (p->out_kind == XAI_BCONV_OUT_BITPACKED) {
            if (accum > p->threshold[c]) column |= 1u << (c % 32);
            if (c % 32 == 31 || c == cout - 1) {
              ((int32_t *)out)[pix * out_words + c / 32] = (int32_t)column;
              column = 0;
            }
          } else if (p->out_kind == XAI_BCONV_OUT_INT8) {
            ((int8_t *)out)[pix * cout + c] = xai_bconv2d_s8_out(p, accum, c);
          } else {
            ((float *)out)[pix * cout + c] =
                xai_bconv2d_float_out(p, accum, c);
          }
        }
      }
}

void xai_bmaxpool2d_ref(const xai_bmaxpool_params *p, const xai_dims4 *in_dims,
                        const int32_t *in, const xai_dims4 *out_dims,
                        int32_t *out) {
  for (int32_t n = 0; n < out_dims->n; n++)
    for (int32_t oy = 0; oy < out_dims->h; oy++)
      for (int32_t ox = 0; ox < out_dims->w; ox++)
        for (int32_t c = 0; c < out_dims->c; c++) {
          uint32_t acc = UINT32_MAX;
          for (int32_t fy = 0; fy < p->filter_h; fy++)
            for (int32_t fx = 0; fx < p->filter_w; fx++) {
              int32_t iy = oy * p->stride_h - p->pad_h + fy;
              int32_t ix = ox * p->stride_w - p->pad_w + fx;
              if (iy < 0 || iy >= in_dims->h || ix < 0 || ix >= in_dims->w)
                continue;
              acc &= (uint32_t)in[(((size_t)n * in_dims->h + iy) *
                                       in_dims->w + ix) * in_dims->c + c];
            }
          *out++ = (int32_t)acc;
        }
}
