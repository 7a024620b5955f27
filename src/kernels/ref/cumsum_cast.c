/* CUMSUM, ADD_N, CAST (TFLite Micro cumsum.cc, add_n.cc, cast.cc). */
#include <string.h>

#include "xai/kernels_ref/movement.h"
#include "xai/tflite.h"

void xai_cumsum_ref(int8_t type, const xai_shape *shape, int32_t axis,
                    int exclusive, int reverse, const void *in, void *out) {
  size_t outer = 1, inner = 1;
  const size_t n = (size_t)shape->dims[axis];
  for (int32_t d = 0; d < axis; d++) outer *= (size_t)shape->dims[d];
  for (int32_t d = axis + 1; d < shape->rank; d++)
    inner *= (size_t)shape->dims[d];
  for (size_t o = 0; o < outer; o++)
    for (size_t i = 0; i < inner; i++) {
      float fs = 0.0f;
      int32_t is = 0;
      for (size_t k = 0; k < n; k++) {
        const size_t kk = reverse ? n - 1 - k : k;
        const size_t at = (o * n + kk) * inner + i;
        if (type == XAI_TYPE_FLOAT32) {
          const float v = ((const float *)in)[at];
          if (!exclusive) fs += v;
          ((float *)out)[at] = fs;
          if (exclusive) fs += v;
        } else {
          const int32_t v = ((const int32_t *)in)[at];
          if (!exclusive) is = (int32_t)((uint32_t)is + (uint32_t)v);
          ((int32_t *)out)[at] = is;
          if (exclusive) is = (int32_t)((uint32_t)is + (uint32_t)v);
        }
      }
    }
}

void xai_add_n_ref(int8_t type, size_t count, const void *const *in,
                   size_t n_inputs, void *out) {
  for (size_t i = 0; i < count; i++) {
    if (type == XAI_TYPE_FLOAT32) {
      float s = ((const float *)in[0])[i];
      for (size_t k = 1; k < n_inputs; k++) s += ((const float *)in[k])[i];
      ((float *)out)[i] = s;
    } else {
      uint32_t s = (uint32_t)((const int32_t *)in[0])[i];
      for (size_t k = 1; k < n_inputs; k++)
        s += (uint32_t)((const int32_t *)in[k])[i];
      ((int32_t *)out)[i] = (int32_t)s;
    }
  }
}

/* Values go through int64 (integers) or double (floats), as a C++
 * static_cast from the source type would convert them. */
xai_status xai_cast_ref(int8_t from, int8_t to, size_t count, const void *in,
                        void *out) {
  for (size_t i = 0; i < count; i++) {
    int64_t iv = 0;
    double fv = 0.0;
    int is_float = 0;
    switch (from) {
      case XAI_TYPE_FLOAT32: fv = ((const float *)in)[i]; is_float = 1; break;
      case XAI_TYPE_INT8: iv = ((const int8_t *)in)[i]; break;
      case XAI_TYPE_UINT8: iv = ((const uint8_t *)in)[i]; break;
      case XAI_TYPE_INT16: iv = ((const int16_t *)in)[i]; break;
      case XAI_TYPE_UINT16: iv = ((const uint16_t *)in)[i]; break;
      case XAI_TYPE_INT32: iv = ((const int32_t *)in)[i]; break;
      case XAI_TYPE_UINT32: iv = ((const uint32_t *)in)[i]; break;
      case XAI_TYPE_INT64: iv = ((const int64_t *)in)[i]; break;
      case XAI_TYPE_BOOL: iv = ((const uint8_t *)in)[i] != 0; break;
      default: return XAI_ERR_UNSUPPORTED;
    }
    /* float -> integer truncates toward zero; out-of-range values wrap
     * through int64 (C++ leaves them undefined). */
    if (is_float && (to == XAI_TYPE_UINT32 || to == XAI_TYPE_UINT8 ||
                     to == XAI_TYPE_UINT16) && fv < 0.0)
      fv = 0.0; /* TFLM's float -> unsigned gives 0 for negatives */
    if (is_float && to != XAI_TYPE_FLOAT32 && to != XAI_TYPE_BOOL)
      iv = fv != fv ? 0 : fv >= 9.2e18 ? INT64_MAX
                        : fv <= -9.2e18 ? INT64_MIN : (int64_t)fv;
    switch (to) {
      case XAI_TYPE_FLOAT32:
        ((float *)out)[i] = is_float ? (float)fv : (float)iv;
        break;
      case XAI_TYPE_INT8: ((int8_t *)out)[i] = (int8_t)iv; break;
      case XAI_TYPE_UINT8: ((uint8_t *)out)[i] = (uint8_t)iv; break;
      case XAI_TYPE_INT16: ((int16_t *)out)[i] = (int16_t)iv; break;
      case XAI_TYPE_UINT16: ((uint16_t *)out)[i] = (uint16_t)iv; break;
      case XAI_TYPE_INT32: ((int32_t *)out)[i] = (int32_t)iv; break;
      case XAI_TYPE_UINT32: ((uint32_t *)out)[i] = (uint32_t)iv; break;
      case XAI_TYPE_INT64: ((int64_t *)out)[i] = iv; break;
      case XAI_TYPE_BOOL:
        ((uint8_t *)out)[i] = (uint8_t)(is_float ? fv != 0.0 : iv != 0);
        break;
      default: return XAI_ERR_UNSUPPORTED;
    }
  }
  return XAI_OK;
}
