/* RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR: TFLite reference kernels.
 * Nearest uses TFLite's float index arithmetic; int8/int16 bilinear its
 * integer-only ResizeBilinearInteger (10-bit coordinates), float32
 * bilinear its float ResizeBilinear. */
#include <math.h>
#include <string.h>

#include "xai/kernels_ref/shape.h"

static int params_ok(const xai_resize_params *p) {
  return p->batch >= 0 && p->in_h > 0 && p->in_w > 0 && p->depth >= 0 &&
         p->out_h > 0 && p->out_w > 0;
}

/* GetNearestNeighbor: float scale and offset, floor (or round half away
 * from zero with align_corners), clamped to the input. */
static int32_t nearest(int32_t out_index, int32_t in_size, int32_t out_size,
                       int align_corners, int half_pixel_centers) {
  const float scale = (align_corners && out_size > 1)
                          ? (float)(in_size - 1) / (float)(out_size - 1)
                          : (float)in_size / (float)out_size;
  const float offset = half_pixel_centers ? 0.5f : 0.0f;
  const float pos = ((float)out_index + offset) * scale;
  int32_t v = align_corners ? (int32_t)roundf(pos) : (int32_t)floorf(pos);
  if (v > in_size - 1) v = in_size - 1;
  if (half_pixel_centers && v < 0) v = 0;
  return v;
}

xai_status xai_resize_nearest_ref(const xai_resize_params *p, const void *in,
                                  size_t elem_size, void *out) {
  if (!params_ok(p) || elem_size == 0) return XAI_ERR_ARGUMENT;
  const size_t pixel = (size_t)p->depth * elem_size;
  const uint8_t *src = in;
  uint8_t *dst = out;
  for (int32_t b = 0; b < p->batch; b++) {
    for (int32_t y = 0; y < p->out_h; y++) {
      const int32_t iy =
          nearest(y, p->in_h, p->out_h, p->align_corners, p->half_pixel_centers);
      for (int32_t x = 0; x < p->out_w; x++) {
        const int32_t ix = nearest(x, p->in_w, p->out_w, p->align_corners,
                                   p->half_pixel_centers);
        memcpy(dst,
               src + (((size_t)b * p->in_h + iy) * p->in_w + ix) * pixel,
               pixel);
        dst += pixel;
      }
    }
  }
  return XAI_OK;
}

/* Q10 scale in/out, rounded to nearest (align_corners maps corner to
 * corner). */
static int32_t scale_q10(int32_t in_size, int32_t out_size, int align) {
  if (align && out_size > 1)
    return ((1 << 10) * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
  return ((1 << 10) * in_size + out_size / 2) / out_size;
}

/* ComputeInterpolationValuesInteger: Q10 source position and the two
 * neighbouring rows/columns. */
static void interp(int32_t index, int32_t scale, int half_pixel,
                   int32_t in_size, int32_t *pos, int32_t *lo, int32_t *hi) {
  *pos = half_pixel ? index * scale + scale / 2 - (1 << 9) : index * scale;
  int32_t l = *pos / (1 << 10);
  *lo = l > 0 ? l : 0;
  int32_t h = (*pos + (1 << 10) - 1) / (1 << 10);
  *hi = h < in_size - 1 ? h : in_size - 1;
}

/* Sum of four Q20-weighted neighbours, rounded half away from zero
 * (TFLite's default double-rounding build). */
static int32_t blend(int32_t v00, int32_t v10, int32_t v01, int32_t v11,
                     int32_t fy, int32_t fx) {
  const int64_t one = 1 << 10;
  const int64_t acc = (int64_t)v00 * (one - fy) * (one - fx) +
                      (int64_t)v10 * fy * (one - fx) +
                      (int64_t)v01 * (one - fy) * fx + (int64_t)v11 * fy * fx;
  const int64_t round = acc > 0 ? (1 << 19) : -(1 << 19);
  return (int32_t)((acc + round) / (1 << 20));
}

#define XAI_RESIZE_BILINEAR_BODY(T)                                          \
  if (!params_ok(p)) return XAI_ERR_ARGUMENT;                                \
  const int32_t sy = scale_q10(p->in_h, p->out_h, p->align_corners);         \
  const int32_t sx = scale_q10(p->in_w, p->out_w, p->align_corners);         \
  const size_t D = (size_t)p->depth;                                         \
  for (int32_t b = 0; b < p->batch; b++) {                                   \
    const T *img = in + (size_t)b * p->in_h * p->in_w * D;                   \
    for (int32_t y = 0; y < p->out_h; y++) {                                 \
      int32_t py, y0, y1;                                                    \
      interp(y, sy, p->half_pixel_centers, p->in_h, &py, &y0, &y1);          \
      for (int32_t x = 0; x < p->out_w; x++) {                               \
        int32_t px, x0, x1;                                                  \
        interp(x, sx, p->half_pixel_centers, p->in_w, &px, &x0, &x1);        \
        const int32_t fy = py - (1 << 10) * y0, fx = px - (1 << 10) * x0;    \
        const T *r0 = img + (size_t)y0 * p->in_w * D;                        \
        const T *r1 = img + (size_t)y1 * p->in_w * D;                        \
        for (size_t c = 0; c < D; c++)                                       \
          *out++ = (T)blend(r0[x0 * D + c], r1[x0 * D + c], r0[x1 * D + c],  \
                            r1[x1 * D + c], fy, fx);                         \
      }                                                                      \
    }                                                                        \
  }                                                                          \
  return XAI_OK;

xai_status xai_resize_bilinear_s8_ref(const xai_resize_params *p,
                                      const int8_t *in, int8_t *out) {
  XAI_RESIZE_BILINEAR_BODY(int8_t)
}

xai_status xai_resize_bilinear_s16_ref(const xai_resize_params *p,
                                       const int16_t *in, int16_t *out) {
  XAI_RESIZE_BILINEAR_BODY(int16_t)
}

/* ComputeInterpolationValues (float): source position and the two
 * neighbouring rows/columns. */
static void interp_f32(int32_t index, float scale, int half_pixel,
                       int32_t in_size, float *pos, int32_t *lo,
                       int32_t *hi) {
  *pos = half_pixel ? ((float)index + 0.5f) * scale - 0.5f
                    : (float)index * scale;
  const int32_t l = (int32_t)floorf(*pos), h = (int32_t)ceilf(*pos);
  *lo = l > 0 ? l : 0;
  *hi = h < in_size - 1 ? h : in_size - 1;
}

static float scale_f32(int32_t in_size, int32_t out_size, int align) {
  if (align && out_size > 1)
    return (float)(in_size - 1) / (float)(out_size - 1);
  return (float)in_size / (float)out_size;
}

xai_status xai_resize_bilinear_f32_ref(const xai_resize_params *p,
                                       const float *in, float *out) {
  if (!params_ok(p)) return XAI_ERR_ARGUMENT;
  const float sy = scale_f32(p->in_h, p->out_h, p->align_corners);
  const float sx = scale_f32(p->in_w, p->out_w, p->align_corners);
  const size_t D = (size_t)p->depth;
  for (int32_t b = 0; b < p->batch; b++) {
    const float *img = in + (size_t)b * p->in_h * p->in_w * D;
    for (int32_t y = 0; y < p->out_h; y++) {
      float py;
      int32_t y0, y1;
      interp_f32(y, sy, p->half_pixel_centers, p->in_h, &py, &y0, &y1);
      const float dy = py - (float)y0;
      const float *r0 = img + (size_t)y0 * p->in_w * D;
      const float *r1 = img + (size_t)y1 * p->in_w * D;
      for (int32_t x = 0; x < p->out_w; x++) {
        float px;
        int32_t x0, x1;
        interp_f32(x, sx, p->half_pixel_centers, p->in_w, &px, &x0, &x1);
        const float dx = px - (float)x0;
        /* The same products and sums, in the same order, as TFLite (the
         * trailing + 0 is its rounding offset for float). */
        for (size_t c = 0; c < D; c++)
          *out++ = r0[x0 * D + c] * (1 - dy) * (1 - dx) +
                   r1[x0 * D + c] * dy * (1 - dx) +
                   r0[x1 * D + c] * (1 - dy) * dx +
                   r1[x1 * D + c] * dy * dx + 0.0f;
      }
    }
  }
  return XAI_OK;
}
