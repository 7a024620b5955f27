/* MEAN / SUM, quantized (TFLite reference reduce.h QuantizedMeanOrSum). */
#include "xai/kernels_ref/reduce.h"
#include "xai/kernels_ref/quant.h"

xai_status xai_reduce_plan_make(const xai_shape *in, const int32_t *axes,
                                int32_t axis_count, xai_reduce_plan *plan,
                                xai_error *err) {
  if (in->rank < 0 || in->rank > XAI_SHAPE_MAX_RANK)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "reduce: input rank %d is above %d", (int)in->rank,
                    XAI_SHAPE_MAX_RANK);
  plan->in = *in;
  plan->reduced_mask = 0;
  for (int32_t i = 0; i < axis_count; i++) {
    int32_t a = axes[i] < 0 ? axes[i] + in->rank : axes[i];
    if (a < 0 || a >= in->rank)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "reduce: axis %d is out of range for a rank %d input",
                      (int)axes[i], (int)in->rank);
    plan->reduced_mask |= 1u << a;
  }
  plan->in_count = 1;
  plan->out_count = 1;
  plan->n = 1;
  for (int32_t d = 0; d < in->rank; d++) {
    plan->in_count *= (size_t)in->dims[d];
    if (plan->reduced_mask & (1u << d))
      plan->n *= in->dims[d];
    else
      plan->out_count *= (size_t)in->dims[d];
  }
  return XAI_OK;
}

void xai_reduce_out_shape(const xai_reduce_plan *plan, int keep_dims,
                          xai_shape *out) {
  out->rank = 0;
  for (int32_t d = 0; d < plan->in.rank; d++) {
    const int reduced = (plan->reduced_mask >> d) & 1u;
    if (!reduced)
      out->dims[out->rank++] = plan->in.dims[d];
    else if (keep_dims)
      out->dims[out->rank++] = 1;
  }
}

void xai_reduce_params_make(float input_scale, int32_t input_zp,
                            float output_scale, int32_t output_zp,
                            xai_reduce_params *p) {
  int shift = 0;
  xai_quantize_multiplier((double)input_scale / (double)output_scale,
                          &p->multiplier, &shift);
  p->shift = shift;
  p->input_zero_point = input_zp;
  p->output_zero_point = output_zp;
}

size_t xai_reduce_scratch_size(const xai_reduce_plan *plan) {
  return plan->out_count * sizeof(int32_t);
}

/* Sums every input into its output slot (odometer over the input; the
 * output offset advances only on kept dimensions). */
#define XAI_DEFINE_SUMS(name, type)                                        \
  static void name(const xai_reduce_plan *plan, const type *in,            \
                   int32_t *sums) {                                        \
    int32_t idx[XAI_SHAPE_MAX_RANK] = {0};                                 \
    size_t ostride[XAI_SHAPE_MAX_RANK];                                    \
    size_t s = 1;                                                          \
    for (int32_t d = plan->in.rank - 1; d >= 0; d--) {                     \
      const int reduced = (plan->reduced_mask >> d) & 1u;                  \
      ostride[d] = reduced ? 0 : s;                                        \
      if (!reduced) s *= (size_t)plan->in.dims[d];                         \
    }                                                                      \
    for (size_t o = 0; o < plan->out_count; o++) sums[o] = 0;              \
    size_t off = 0;                                                        \
    for (size_t i = 0; i < plan->in_count; i++) {                          \
      sums[off] = (int32_t)((uint32_t)sums[off] + (uint32_t)(int32_t)in[i]); \
      for (int32_t d = plan->in.rank - 1; d >= 0; d--) {                   \
        idx[d]++;                                                          \
        off += ostride[d];                                                 \
        if (idx[d] < plan->in.dims[d]) break;                              \
        off -= ostride[d] * (size_t)plan->in.dims[d];                      \
        idx[d] = 0;                                                        \
      }                                                                    \
    }                                                                      \
  }

XAI_DEFINE_SUMS(sums_s8, int8_t)
XAI_DEFINE_SUMS(sums_s16, int16_t)

/* The output rescale of QuantizedMeanOrSum; mean folds in 1/n. */
static void finish(const xai_reduce_plan *plan, const xai_reduce_params *p,
                   int mean, const int32_t *sums, int32_t lo, int32_t hi,
                   void *out, int out_bytes) {
  int32_t multiplier = p->multiplier;
  int32_t shift = p->shift;
  const int64_t n = plan->n;
  if (mean && n > 0) {
    int s = 63 - __builtin_clzll((unsigned long long)n); /* floor(log2 n) */
    if (s > 32) s = 32;
    if (s > 31 + shift) s = 31 + shift;
    multiplier = (int32_t)(((int64_t)multiplier << s) / n);
    shift -= s;
  }
  for (size_t o = 0; o < plan->out_count; o++) {
    const int32_t shifted =
        (int32_t)((int64_t)sums[o] - (int64_t)p->input_zero_point * n);
    int32_t v = xai_mbqm(shifted, multiplier, shift) + p->output_zero_point;
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    if (out_bytes == 1)
      ((int8_t *)out)[o] = (int8_t)v;
    else
      ((int16_t *)out)[o] = (int16_t)v;
  }
}

xai_status xai_mean_s8_ref(const xai_reduce_plan *plan,
                           const xai_reduce_params *p, const int8_t *in,
                           int8_t *out, int32_t *scratch) {
  if (plan->reduced_mask == 0) { /* no axes: a copy, as TFLite */
    for (size_t i = 0; i < plan->in_count; i++) out[i] = in[i];
    return XAI_OK;
  }
  sums_s8(plan, in, scratch);
  finish(plan, p, 1, scratch, INT8_MIN, INT8_MAX, out, 1);
  return XAI_OK;
}

/* int16 MEAN or SUM: the same sums and rescale at int16 limits. */
static void reduce_s16(const xai_reduce_plan *plan, const xai_reduce_params *p,
                       int mean, const int16_t *in, int16_t *out,
                       int32_t *scratch) {
  if (plan->reduced_mask == 0) {
    for (size_t i = 0; i < plan->in_count; i++) out[i] = in[i];
    return;
  }
  sums_s16(plan, in, scratch);
  finish(plan, p, mean, scratch, INT16_MIN, INT16_MAX, out, 2);
}

xai_status xai_mean_s16_ref(const xai_reduce_plan *plan,
                            const xai_reduce_params *p, const int16_t *in,
                            int16_t *out, int32_t *scratch) {
  reduce_s16(plan, p, 1, in, out, scratch);
  return XAI_OK;
}

xai_status xai_sum_s8_ref(const xai_reduce_plan *plan,
                          const xai_reduce_params *p, const int8_t *in,
                          int8_t *out, int32_t *scratch) {
  if (plan->reduced_mask == 0) {
    for (size_t i = 0; i < plan->in_count; i++) out[i] = in[i];
    return XAI_OK;
  }
  sums_s8(plan, in, scratch);
  finish(plan, p, 0, scratch, INT8_MIN, INT8_MAX, out, 1);
  return XAI_OK;
}

xai_status xai_sum_s16_ref(const xai_reduce_plan *plan,
                           const xai_reduce_params *p, const int16_t *in,
                           int16_t *out, int32_t *scratch) {
  reduce_s16(plan, p, 0, in, out, scratch);
  return XAI_OK;
}
