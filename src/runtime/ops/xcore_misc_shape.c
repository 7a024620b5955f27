/* XAI_pad and XAI_concat: int8 data movement with the xcore kernels
 * (xai/kernels_xcore/elementwise.h); XAI_pad also moves int16 tensors as
 * byte pairs (the xformer lowers int16 PAD only when the pad value's two
 * bytes are equal, i.e. 0 or -1). Neither is in-place safe (threads
 * write output rows that other threads' input rows may still occupy).
 *   XAI_pad: input; options {th, pv, pb, pa} (pad value, padding before
 *            and after each dimension).
 *   XAI_concat: inputs 0..n-1 (same quantization as the output); options
 *            {th, ax} (axis, 0..rank-1). */

#include "xai/kernels_xcore/elementwise.h"
#include "xcore_misc_internal.h"

/* ---- XAI_pad ------------------------------------------------------------- */

typedef struct {
  unsigned threads;
  xai_shape in;
  int32_t before[XAI_SHAPE_MAX_RANK], after[XAI_SHAPE_MAX_RANK];
  int32_t value;
  size_t rows; /* output rows: all dimensions but the last */
} pad_data;

static xai_status pad_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  unsigned threads = 0;
  pad_data *d;
  xai_status st = xai_xcore_misc_begin(ctx, sizeof *d, (void **)&d, &map,
                                       &threads);
  if (st) return st;
  d->threads = threads;
  if ((st = xai_xcore_misc_check_io(ctx, 1))) return st;
  xai_rt_tensor *in = xai_op_input(ctx, 0), *out = xai_op_output(ctx, 0);
  const bool s16 = in && out && in->type == XAI_TYPE_INT16 &&
                   out->type == XAI_TYPE_INT16 && in->rank > 0;
  if (!s16 && ((st = xai_xcore_misc_check_s8(ctx, 0, 0, SIZE_MAX, &in)) ||
               (st = xai_xcore_misc_check_s8(ctx, 0, 1, SIZE_MAX, &out))))
    return st;
  if (in->rank > XAI_SHAPE_MAX_RANK || out->rank != in->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input rank %u and output rank %u must match (at "
                       "most %d)",
                       in->rank, out->rank, XAI_SHAPE_MAX_RANK);
  d->in.rank = (int32_t)in->rank;
  for (uint32_t i = 0; i < in->rank; i++) d->in.dims[i] = in->dims[i];
  if ((st = xai_xcore_op_opt_int(ctx, &map, "pv", -128, 127, &d->value)))
    return st;
  if (in->rank &&
      ((st = xai_xcore_misc_opt_ints(ctx, &map, "pb", d->before, in->rank)) ||
       (st = xai_xcore_misc_opt_ints(ctx, &map, "pa", d->after, in->rank))))
    return st;
  d->rows = 1;
  for (uint32_t i = 0; i < in->rank; i++) {
    if (d->before[i] < 0 || d->after[i] < 0 ||
        (int64_t)in->dims[i] + d->before[i] + d->after[i] != out->dims[i])
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "axis %u: input %d padded by (%d, %d) does not give "
                         "the output's %d",
                         i, (int)in->dims[i], (int)d->before[i],
                         (int)d->after[i], (int)out->dims[i]);
    if (i + 1 < in->rank) d->rows *= (size_t)out->dims[i];
  }
  if (s16) { /* rows of bytes: the last axis counts bytes */
    const uint32_t last = in->rank - 1;
    d->in.dims[last] *= 2;
    d->before[last] *= 2;
    d->after[last] *= 2;
  }
  return XAI_OK;
}

static xai_status pad_eval(xai_op_ctx *ctx) {
  const pad_data *d = ctx->data;
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st = xai_pad_s8_xcore_run(
      &d->in, d->before, d->after, xai_op_input(ctx, 0)->data,
      (int8_t)d->value, xai_op_output(ctx, 0)->data, d->threads, &rep, &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(ctx, &rep, 0, 0, "pad");
}

/* Thread 0's rows are run and extrapolated by rows (the run helper's
 * split); writes thread 0's part of the output, as running would. */
static xai_status pad_estimate(xai_op_ctx *ctx) {
  const pad_data *d = ctx->data;
  size_t items[XAI_XCORE_THREADS_PER_TILE], b, e;
  for (unsigned t = 0; t < d->threads; t++) {
    xai_xcore_ew_split(d->rows, 1, d->threads, t, &b, &e);
    items[t] = e - b;
  }
  xai_xcore_ew_split(d->rows, 1, d->threads, 0, &b, &e);
  xai_vpu_ctx v;
  xai_vpu_init(&v, XAI_VPU_MODE_INT8);
  xai_status st = xai_pad_s8_xcore(
      &v, &d->in, d->before, d->after, xai_op_input(ctx, 0)->data,
      (int8_t)d->value, xai_op_output(ctx, 0)->data, b, e);
  if (st) return xai_op_fail(ctx, st, "pad kernel rejected its arguments");
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE];
  xai_xcore_misc_extrapolate(v.bundles, items, d->threads, bundles);
  return xai_xcore_op_cost(ctx, bundles, d->threads, 0, 0, "pad");
}

/* ---- XAI_concat ---------------------------------------------------------- */

typedef struct {
  unsigned threads;
  uint32_t count;
  int32_t outer, inner;
  size_t total;
  int32_t *axis_sizes;
  const int8_t **inputs; /* filled at every eval: arena data moves */
} concat_data;

static xai_status concat_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  unsigned threads = 0;
  concat_data *d;
  xai_status st = xai_xcore_misc_begin(ctx, sizeof *d, (void **)&d, &map,
                                       &threads);
  if (st) return st;
  d->threads = threads;
  if (ctx->input_count < 1 || ctx->output_count != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; expected >= 1 and 1",
                       ctx->input_count, ctx->output_count);
  d->count = ctx->input_count;
  d->axis_sizes = xai_op_alloc_persistent(ctx, d->count * sizeof(int32_t));
  d->inputs = xai_op_alloc_persistent(ctx, d->count * sizeof(int8_t *));
  if (!d->axis_sizes || !d->inputs)
    return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  xai_rt_tensor *out;
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 1, SIZE_MAX, &out))) return st;
  if (out->rank < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "output is a scalar");
  int32_t axis;
  if ((st = xai_xcore_op_opt_int(ctx, &map, "ax", 0,
                                   (int64_t)out->rank - 1, &axis)))
    return st;
  int64_t sum = 0;
  for (uint32_t i = 0; i < d->count; i++) {
    xai_rt_tensor *t;
    if ((st = xai_xcore_misc_check_s8(ctx, i, 0, SIZE_MAX, &t))) return st;
    if (t->rank != out->rank)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "input %u has rank %u but the output %u", i, t->rank,
                         out->rank);
    for (uint32_t k = 0; k < t->rank; k++)
      if ((int32_t)k != axis && t->dims[k] != out->dims[k])
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "input %u has %d at axis %u but the output %d", i,
                           (int)t->dims[k], k, (int)out->dims[k]);
    d->axis_sizes[i] = t->dims[axis];
    sum += t->dims[axis];
  }
  if (sum != out->dims[axis])
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "inputs add up to %lld along axis %d but the output "
                       "has %d",
                       (long long)sum, (int)axis, (int)out->dims[axis]);
  d->outer = 1;
  d->inner = 1;
  for (int32_t k = 0; k < axis; k++) d->outer *= out->dims[k];
  for (uint32_t k = (uint32_t)axis + 1; k < out->rank; k++)
    d->inner *= out->dims[k];
  d->total = xai_rt_tensor_elements(out);
  return XAI_OK;
}

static void concat_bind(xai_op_ctx *ctx, concat_data *d) {
  for (uint32_t i = 0; i < d->count; i++)
    d->inputs[i] = xai_op_input(ctx, i)->data;
}

static xai_status concat_eval(xai_op_ctx *ctx) {
  concat_data *d = ctx->data;
  concat_bind(ctx, d);
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st = xai_concat_s8_xcore_run(
      d->count, d->inputs, d->axis_sizes, d->outer, d->inner,
      xai_op_output(ctx, 0)->data, d->threads, &rep, &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(ctx, &rep, 0, 0, "concat");
}

/* Thread 0's bytes are run and extrapolated by bytes (the run helper's
 * split); writes thread 0's part of the output, as running would. */
static xai_status concat_estimate(xai_op_ctx *ctx) {
  concat_data *d = ctx->data;
  concat_bind(ctx, d);
  size_t items[XAI_XCORE_THREADS_PER_TILE], b, e;
  for (unsigned t = 0; t < d->threads; t++) {
    xai_xcore_ew_split(d->total, 32, d->threads, t, &b, &e);
    items[t] = e - b;
  }
  xai_xcore_ew_split(d->total, 32, d->threads, 0, &b, &e);
  xai_vpu_ctx v;
  xai_vpu_init(&v, XAI_VPU_MODE_INT8);
  xai_status st = xai_concat_s8_xcore(&v, d->count, d->inputs, d->axis_sizes,
                                      d->outer, d->inner,
                                      xai_op_output(ctx, 0)->data, b, e);
  if (st)
    return xai_op_fail(ctx, st, "concat kernel rejected its arguments");
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE];
  xai_xcore_misc_extrapolate(v.bundles, items, d->threads, bundles);
  return xai_xcore_op_cost(ctx, bundles, d->threads, 0, 0, "concat");
}

const xai_op_registration xai_op_xcore_pad = {XAI_OP_CUSTOM, "XAI_pad",
                                              pad_prepare, pad_eval,
                                              pad_estimate};
const xai_op_registration xai_op_xcore_concat = {
    XAI_OP_CUSTOM, "XAI_concat", concat_prepare, concat_eval,
    concat_estimate};
