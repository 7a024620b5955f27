/* See image_prep.h. */
#include "image_prep.h"

#include <math.h>
#include <string.h>

static float clampf(float v, float lo, float hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

void xc_resize_bilinear(const uint8_t *src, int sw, int sh, int c, float *dst,
                        int dw, int dh) {
  const float sx = (float)sw / (float)dw, sy = (float)sh / (float)dh;
  for (int y = 0; y < dh; y++) {
    float fy = clampf(((float)y + 0.5f) * sy - 0.5f, 0.0f, (float)(sh - 1));
    int y0 = (int)fy;
    int y1 = y0 + 1 < sh ? y0 + 1 : y0;
    float wy = fy - (float)y0;
    for (int x = 0; x < dw; x++) {
      float fx = clampf(((float)x + 0.5f) * sx - 0.5f, 0.0f, (float)(sw - 1));
      int x0 = (int)fx;
      int x1 = x0 + 1 < sw ? x0 + 1 : x0;
      float wx = fx - (float)x0;
      for (int k = 0; k < c; k++) {
        float p00 = src[((size_t)y0 * sw + x0) * c + k];
        float p01 = src[((size_t)y0 * sw + x1) * c + k];
        float p10 = src[((size_t)y1 * sw + x0) * c + k];
        float p11 = src[((size_t)y1 * sw + x1) * c + k];
        float top = p00 + (p01 - p00) * wx;
        float bottom = p10 + (p11 - p10) * wx;
        dst[((size_t)y * dw + x) * c + k] = top + (bottom - top) * wy;
      }
    }
  }
}

static long quantize(float real, float scale, int32_t zp, long lo, long hi) {
  double q = scale != 0.0f ? (double)real / (double)scale : (double)real;
  long r = (long)(q < 0 ? q - 0.5 : q + 0.5) + zp; /* half away from zero */
  return r < lo ? lo : r > hi ? hi : r;
}

int xc_quantize_input(const float *hwc, int h, int w, int c, int nchw,
                      float lo, float hi, int dtype, float scale,
                      int32_t zero_point, void *dst) {
  const size_t n = (size_t)h * w * c;
  for (size_t i = 0; i < n; i++) {
    /* i walks the destination order; find its HWC source element. */
    size_t src = i;
    if (nchw) {
      size_t ch = i / ((size_t)h * w), rest = i % ((size_t)h * w);
      src = rest * c + ch;
    }
    float real = hwc[src] / 255.0f * (hi - lo) + lo;
    switch (dtype) {
      case 0: ((float *)dst)[i] = real; break;
      case 3: ((uint8_t *)dst)[i] =
                  (uint8_t)quantize(real, scale, zero_point, 0, 255);
        break;
      case 7: ((int16_t *)dst)[i] =
                  (int16_t)quantize(real, scale, zero_point, -32768, 32767);
        break;
      case 9: ((int8_t *)dst)[i] =
                  (int8_t)quantize(real, scale, zero_point, -128, 127);
        break;
      default: return -1;
    }
  }
  return 0;
}

double xc_dequantize(const void *raw, size_t i, int dtype, float scale,
                     int32_t zero_point) {
  double q;
  switch (dtype) {
    case 0: return ((const float *)raw)[i];
    case 2: q = ((const int32_t *)raw)[i]; break;
    case 3: q = ((const uint8_t *)raw)[i]; break;
    case 7: q = ((const int16_t *)raw)[i]; break;
    case 9: q = ((const int8_t *)raw)[i]; break;
    default: return 0.0;
  }
  return scale != 0.0f ? (double)scale * (q - zero_point) : q;
}

void xc_softmax(double *v, size_t n) {
  if (n == 0) return;
  double max = v[0], sum = 0.0;
  for (size_t i = 1; i < n; i++)
    if (v[i] > max) max = v[i];
  for (size_t i = 0; i < n; i++) {
    v[i] = exp(v[i] - max);
    sum += v[i];
  }
  for (size_t i = 0; i < n; i++) v[i] /= sum;
}

static int is_channels(int32_t c, int alpha) {
  return c == 1 || c == 3 || (alpha && c == 4);
}

static int layout_of(unsigned rank, const int32_t *s, int alpha,
                     xc_layout *l) {
  if (rank == 4 && s[0] == 1 && is_channels(s[3], alpha)) {
    *l = (xc_layout){s[1], s[2], s[3], 0};
    return 0;
  }
  if (rank == 4 && s[0] == 1 && is_channels(s[1], alpha)) {
    *l = (xc_layout){s[2], s[3], s[1], 1};
    return 0;
  }
  if (rank == 3 && is_channels(s[2], alpha)) {
    *l = (xc_layout){s[0], s[1], s[2], 0};
    return 0;
  }
  return -1;
}

int xc_image_layout(unsigned rank, const int32_t *shape, xc_layout *l) {
  return layout_of(rank, shape, 0, l);
}

int xc_image_layout_alpha(unsigned rank, const int32_t *shape, xc_layout *l) {
  return layout_of(rank, shape, 1, l);
}

void xc_quantized_range(int dtype, float scale, int32_t zero_point,
                        float *lo, float *hi) {
  double qmin = 0, qmax = 0;
  switch (dtype) {
    case 9: qmin = -128; qmax = 127; break;
    case 3: qmin = 0; qmax = 255; break;
    case 7: qmin = -32768; qmax = 32767; break;
    default: break;
  }
  if (qmax == 0 || !(scale > 0)) {
    *lo = 0.0f;
    *hi = 1.0f;
    return;
  }
  *lo = (float)(scale * (qmin - zero_point));
  *hi = (float)(scale * (qmax - zero_point));
}
