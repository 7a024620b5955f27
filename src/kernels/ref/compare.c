/* Comparisons, logical ops and SELECT_V2 (TFLite Micro comparisons.cc,
 * logical.cc, select.cc). */
#include "xai/kernels_ref/compare.h"

#include <string.h>

#include "bcast_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/tflite.h"

void xai_cmp_s8_params_make(float scale1, int32_t zp1, float scale2,
                            int32_t zp2, xai_cmp_s8_params *p) {
  p->offset1 = -zp1;
  p->offset2 = -zp2;
  xai_quantize_multiplier((double)scale1, &p->multiplier1, &p->shift1);
  xai_quantize_multiplier((double)scale2, &p->multiplier2, &p->shift2);
}

static int cmp_i64(xai_cmp_fn fn, int64_t a, int64_t b) {
  switch (fn) {
    case XAI_CMP_EQ: return a == b;
    case XAI_CMP_NE: return a != b;
    case XAI_CMP_GT: return a > b;
    case XAI_CMP_GE: return a >= b;
    case XAI_CMP_LT: return a < b;
    case XAI_CMP_LE: return a <= b;
  }
  return 0;
}

static int cmp_f32(xai_cmp_fn fn, float a, float b) {
  switch (fn) {
    case XAI_CMP_EQ: return a == b;
    case XAI_CMP_NE: return a != b;
    case XAI_CMP_GT: return a > b;
    case XAI_CMP_GE: return a >= b;
    case XAI_CMP_LT: return a < b;
    case XAI_CMP_LE: return a <= b;
  }
  return 0;
}

static int32_t scale_s8(int32_t q, int32_t offset, int32_t m, int shift) {
  const int32_t shifted = (q + offset) * (1 << 8);
  return xai_mbqm_smaller_than_one(shifted, m, shift);
}

xai_status xai_compare_ref(xai_cmp_fn fn, int8_t type,
                           const xai_cmp_s8_params *p, const xai_bcast *bc,
                           const void *in1, const void *in2, uint8_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++, xai_bcast_cursor_next(bc, &c)) {
    int r;
    switch (type) {
      case XAI_TYPE_FLOAT32:
        r = cmp_f32(fn, ((const float *)in1)[c.off1],
                    ((const float *)in2)[c.off2]);
        break;
      case XAI_TYPE_INT32:
        r = cmp_i64(fn, ((const int32_t *)in1)[c.off1],
                    ((const int32_t *)in2)[c.off2]);
        break;
      case XAI_TYPE_INT64:
        r = cmp_i64(fn, ((const int64_t *)in1)[c.off1],
                    ((const int64_t *)in2)[c.off2]);
        break;
      case XAI_TYPE_INT16:
        r = cmp_i64(fn, ((const int16_t *)in1)[c.off1],
                    ((const int16_t *)in2)[c.off2]);
        break;
      case XAI_TYPE_BOOL:
        r = cmp_i64(fn, ((const uint8_t *)in1)[c.off1] != 0,
                    ((const uint8_t *)in2)[c.off2] != 0);
        break;
      case XAI_TYPE_INT8:
        if (!p) return XAI_ERR_ARGUMENT;
        r = cmp_i64(fn,
                    scale_s8(((const int8_t *)in1)[c.off1], p->offset1,
                             p->multiplier1, p->shift1),
                    scale_s8(((const int8_t *)in2)[c.off2], p->offset2,
                             p->multiplier2, p->shift2));
        break;
      default:
        return XAI_ERR_UNSUPPORTED;
    }
    out[i] = (uint8_t)r;
  }
  return XAI_OK;
}

void xai_logical_ref(int and_op, const xai_bcast *bc, const uint8_t *in1,
                     const uint8_t *in2, uint8_t *out) {
  xai_bcast_cursor c;
  xai_bcast_cursor_init(&c);
  for (size_t i = 0; i < bc->count; i++, xai_bcast_cursor_next(bc, &c)) {
    const int a = in1[c.off1] != 0, b = in2[c.off2] != 0;
    out[i] = (uint8_t)(and_op ? (a && b) : (a || b));
  }
}

void xai_logical_not_ref(size_t n, const uint8_t *in, uint8_t *out) {
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)!in[i];
}

static void strides_for(const xai_shape *s, const xai_select_plan *p,
                        int32_t *stride) {
  int32_t st = 1;
  for (int32_t d = p->rank - 1; d >= 0; d--) {
    const int32_t i = d - (p->rank - s->rank);
    const int32_t n = i >= 0 ? s->dims[i] : 1;
    stride[d] = (n == 1 && p->dims[d] != 1) ? 0 : st;
    st *= n;
  }
}

xai_status xai_select_plan_make(const xai_shape *c, const xai_shape *x,
                                const xai_shape *y, xai_select_plan *p,
                                xai_error *err) {
  const xai_shape *s[3] = {c, x, y};
  int32_t rank = 0;
  for (int k = 0; k < 3; k++)
    if (s[k]->rank > rank) rank = s[k]->rank;
  if (rank > XAI_BCAST_MAX_RANK)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "rank %d: at most %d dimensions are supported", (int)rank,
                    XAI_BCAST_MAX_RANK);
  p->rank = rank ? rank : 1;
  p->count = 1;
  for (int32_t d = 0; d < p->rank; d++) {
    int32_t out = 1;
    for (int k = 0; k < 3; k++) {
      const int32_t i = d - (p->rank - s[k]->rank);
      const int32_t n = i >= 0 ? s[k]->dims[i] : 1;
      if (n == 1 || n == out) continue;
      if (out != 1)
        return xai_fail(err, XAI_ERR_ARGUMENT,
                        "condition, x and y do not broadcast at dimension %d",
                        (int)d);
      out = n;
    }
    p->dims[d] = out;
    p->count *= (size_t)out;
  }
  strides_for(c, p, p->stride_c);
  strides_for(x, p, p->stride_x);
  strides_for(y, p, p->stride_y);
  return XAI_OK;
}

void xai_select_ref(const xai_select_plan *p, size_t elem,
                    const uint8_t *cond, const void *x, const void *y,
                    void *out) {
  int32_t idx[XAI_BCAST_MAX_RANK] = {0};
  size_t oc = 0, ox = 0, oy = 0;
  for (size_t i = 0; i < p->count; i++) {
    const uint8_t *src = cond[oc] ? (const uint8_t *)x + ox * elem
                                  : (const uint8_t *)y + oy * elem;
    memcpy((uint8_t *)out + i * elem, src, elem);
    for (int32_t d = p->rank - 1; d >= 0; d--) {
      idx[d]++;
      oc += (size_t)p->stride_c[d];
      ox += (size_t)p->stride_x[d];
      oy += (size_t)p->stride_y[d];
      if (idx[d] < p->dims[d]) break;
      oc -= (size_t)p->stride_c[d] * (size_t)p->dims[d];
      ox -= (size_t)p->stride_x[d] * (size_t)p->dims[d];
      oy -= (size_t)p->stride_y[d] * (size_t)p->dims[d];
      idx[d] = 0;
    }
  }
}
