/* float32 / int32 binary arithmetic (TFLite Micro add.cc, sub.cc, mul.cc,
 * div.cc, floor_div.cc, floor_mod.cc, squared_difference.cc,
 * maximum_minimum.cc). */
#include "xai/kernels_ref/arith_float.h"

#include <float.h>
#include <math.h>

#include "bcast_internal.h"
#include "xai/tflite.h"

void xai_activation_range_f32(int activation, float *lo, float *hi) {
  *lo = -FLT_MAX;
  *hi = FLT_MAX;
  if (activation == XAI_ACT_RELU) {
    *lo = 0.0f;
  } else if (activation == XAI_ACT_RELU6) {
    *lo = 0.0f;
    *hi = 6.0f;
  } else if (activation == XAI_ACT_RELU_N1_TO_1) {
    *lo = -1.0f;
    *hi = 1.0f;
  }
}

static float floor_mod_f(float x, float y) {
  const float m = fmodf(x, y);
  return (m != 0.0f && ((y < 0.0f) != (m < 0.0f))) ? m + y : m;
}

static float f32_op(xai_arith_fn fn, float a, float b) {
  switch (fn) {
    case XAI_ARITH_ADD: return a + b;
    case XAI_ARITH_SUB: return a - b;
    case XAI_ARITH_MUL: return a * b;
    case XAI_ARITH_DIV: return a / b;
    case XAI_ARITH_FLOOR_DIV: return floorf(a / b);
    case XAI_ARITH_FLOOR_MOD: return floor_mod_f(a, b);
    case XAI_ARITH_SQUARED_DIFFERENCE: return (a - b) * (a - b);
    case XAI_ARITH_MAXIMUM: return a > b ? a : b;
    case XAI_ARITH_MINIMUM: return a < b ? a : b;
  }
  return 0.0f;
}

void xai_arith_f32_ref(xai_arith_fn fn, float act_min, float act_max,
                       const xai_bcast *bc, const float *in1,
                       const float *in2, float *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  const int clamp = fn != XAI_ARITH_MAXIMUM && fn != XAI_ARITH_MINIMUM &&
                    fn != XAI_ARITH_FLOOR_DIV && fn != XAI_ARITH_FLOOR_MOD &&
                    fn != XAI_ARITH_SQUARED_DIFFERENCE;
  for (size_t i = 0; i < bc->count; i++, xai_bcast_cursor_next(bc, &c)) {
    float v = f32_op(fn, in1[c.off1], in2[c.off2]);
    if (clamp) { /* std::min(std::max(v, lo), hi): keeps -0.0 as TFLM */
      v = v < act_min ? act_min : v;
      v = act_max < v ? act_max : v;
    }
    out[i] = v;
  }
}

/* Wrapping int32 arithmetic, as the int32 kernels overflow on the device. */
static int64_t i64_op(xai_arith_fn fn, int64_t a, int64_t b, int *bad) {
  switch (fn) {
    case XAI_ARITH_ADD: return a + b;
    case XAI_ARITH_SUB: return a - b;
    case XAI_ARITH_MUL: return a * b;
    case XAI_ARITH_DIV:
      if (b == 0) *bad = 1;
      return b ? a / b : 0;
    case XAI_ARITH_FLOOR_DIV: {
      if (b == 0) {
        *bad = 1;
        return 0;
      }
      int64_t q = a / b;
      if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
      return q;
    }
    case XAI_ARITH_FLOOR_MOD: {
      if (b == 0) {
        *bad = 1;
        return 0;
      }
      const int64_t m = a % b;
      return (m != 0 && ((b < 0) != (m < 0))) ? m + b : m;
    }
    case XAI_ARITH_SQUARED_DIFFERENCE: return (a - b) * (a - b);
    case XAI_ARITH_MAXIMUM: return a > b ? a : b;
    case XAI_ARITH_MINIMUM: return a < b ? a : b;
  }
  return 0;
}

xai_status xai_arith_i32_ref(xai_arith_fn fn, int32_t act_min,
                             int32_t act_max, const xai_bcast *bc,
                             const int32_t *in1, const int32_t *in2,
                             int32_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  int bad = 0;
  for (size_t i = 0; i < bc->count; i++, xai_bcast_cursor_next(bc, &c)) {
    int32_t v = (int32_t)(uint32_t)(uint64_t)i64_op(fn, in1[c.off1],
                                                    in2[c.off2], &bad);
    if (v < act_min) v = act_min;
    if (v > act_max) v = act_max;
    out[i] = v;
  }
  return bad ? XAI_ERR_RANGE : XAI_OK;
}

xai_status xai_arith_i64_ref(xai_arith_fn fn, const xai_bcast *bc,
                             const int64_t *in1, const int64_t *in2,
                             int64_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  int bad = 0;
  for (size_t i = 0; i < bc->count; i++, xai_bcast_cursor_next(bc, &c)) {
    if (fn == XAI_ARITH_MAXIMUM || fn == XAI_ARITH_MINIMUM)
      out[i] = i64_op(fn, in1[c.off1], in2[c.off2], &bad);
    else
      return XAI_ERR_UNSUPPORTED;
  }
  return bad ? XAI_ERR_RANGE : XAI_OK;
}
