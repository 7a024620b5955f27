/* Arg min/max and min/max/float reductions (TFLite Micro arg_min_max.cc,
 * reduce.cc). */
#include "xai/kernels_ref/reduce_more.h"

#include <float.h>
#include <string.h>

#include "xai/tflite.h"

static double load(int8_t type, const void *p, size_t i) {
  switch (type) {
    case XAI_TYPE_FLOAT32: return ((const float *)p)[i];
    case XAI_TYPE_INT8: return ((const int8_t *)p)[i];
    case XAI_TYPE_INT16: return ((const int16_t *)p)[i];
    default: return ((const int32_t *)p)[i];
  }
}

xai_status xai_arg_minmax_ref(int8_t type, int is_min, const void *in,
                              int32_t outer, int32_t axis_size, int32_t inner,
                              void *out, int out_bytes) {
  if ((out_bytes != 4 && out_bytes != 8) || outer < 0 || axis_size <= 0 ||
      inner < 0)
    return XAI_ERR_ARGUMENT;
  for (int32_t o = 0; o < outer; o++) {
    for (int32_t i = 0; i < inner; i++) {
      const size_t base = (size_t)o * axis_size * inner + i;
      double best = load(type, in, base);
      int32_t best_k = 0;
      for (int32_t k = 1; k < axis_size; k++) {
        const double v = load(type, in, base + (size_t)k * inner);
        if (is_min ? v < best : v > best) best = v, best_k = k;
      }
      const size_t j = (size_t)o * inner + i;
      if (out_bytes == 4) {
        memcpy((uint8_t *)out + j * 4, &best_k, 4);
      } else {
        const int64_t w = best_k;
        memcpy((uint8_t *)out + j * 8, &w, 8);
      }
    }
  }
  return XAI_OK;
}

/* Calls visit(in_index, out_index) for every input element in order. */
#define REDUCE_WALK(plan, body)                                           \
  do {                                                                    \
    int32_t idx_[XAI_SHAPE_MAX_RANK] = {0};                               \
    size_t ostride_[XAI_SHAPE_MAX_RANK];                                  \
    size_t os_ = 1;                                                       \
    for (int32_t d_ = (plan)->in.rank - 1; d_ >= 0; d_--) {               \
      ostride_[d_] = ((plan)->reduced_mask >> d_) & 1u ? 0 : os_;         \
      if (!(((plan)->reduced_mask >> d_) & 1u))                           \
        os_ *= (size_t)(plan)->in.dims[d_];                               \
    }                                                                     \
    size_t oi = 0;                                                        \
    for (size_t ii = 0; ii < (plan)->in_count; ii++) {                    \
      body;                                                               \
      for (int32_t d_ = (plan)->in.rank - 1; d_ >= 0; d_--) {             \
        oi += ostride_[d_];                                               \
        if (++idx_[d_] < (plan)->in.dims[d_]) break;                      \
        oi -= ostride_[d_] * (size_t)(plan)->in.dims[d_];                 \
        idx_[d_] = 0;                                                     \
      }                                                                   \
    }                                                                     \
  } while (0)

#define MINMAX(T, init_max, init_min)                                     \
  do {                                                                    \
    T *o = out;                                                           \
    const T *x = in;                                                      \
    for (size_t k = 0; k < plan->out_count; k++)                          \
      o[k] = is_min ? (init_min) : (init_max);                            \
    REDUCE_WALK(plan, {                                                   \
      if (is_min ? x[ii] < o[oi] : x[ii] > o[oi]) o[oi] = x[ii];          \
    });                                                                   \
  } while (0)

xai_status xai_reduce_minmax_ref(const xai_reduce_plan *plan, int8_t type,
                                 int is_min, const void *in, void *out) {
  switch (type) {
    case XAI_TYPE_FLOAT32: MINMAX(float, -FLT_MAX, FLT_MAX); break;
    case XAI_TYPE_INT8: MINMAX(int8_t, INT8_MIN, INT8_MAX); break;
    case XAI_TYPE_INT16: MINMAX(int16_t, INT16_MIN, INT16_MAX); break;
    case XAI_TYPE_INT32: MINMAX(int32_t, INT32_MIN, INT32_MAX); break;
    default: return XAI_ERR_UNSUPPORTED;
  }
  return XAI_OK;
}

void xai_reduce_sum_f32_ref(const xai_reduce_plan *plan, int mean,
                            const float *in, float *out) {
  for (size_t k = 0; k < plan->out_count; k++) out[k] = 0.0f;
  REDUCE_WALK(plan, { out[oi] += in[ii]; });
  if (mean)
    for (size_t k = 0; k < plan->out_count; k++)
      out[k] = out[k] / (float)plan->n;
}
