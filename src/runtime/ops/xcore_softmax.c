/* XAI_softmax: int8 -> int8 SOFTMAX over the last dimension with the xcore
 * kernel (xai/kernels_xcore/softmax.h). Inputs: the activation, then the
 * packed xai_softmax_s8_xcore_params (exp tables, 2,048 bytes). Options:
 * {th}. */
#include "xai/kernels_xcore/softmax.h"
#include "xcore_misc_internal.h"

typedef struct {
  unsigned threads;
  size_t outer, depth;
} softmax_data;

static xai_status prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  unsigned threads = 0;
  softmax_data *d;
  xai_status st = xai_xcore_misc_begin(ctx, sizeof *d, (void **)&d, &map,
                                       &threads);
  if (st) return st;
  d->threads = threads;
  if ((st = xai_xcore_misc_check_io(ctx, 2u))) return st;
  xai_rt_tensor *in;
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 0, SIZE_MAX, &in))) return st;
  const size_t count = xai_rt_tensor_elements(in);
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 1, count, NULL))) return st;
  if (in->rank < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "input must have rank >= 1");
  d->depth = (size_t)in->dims[in->rank - 1];
  d->outer = d->depth ? count / d->depth : 0;
  return xai_xcore_misc_packed_check(ctx, 1,
                                     sizeof(xai_softmax_s8_xcore_params));
}

static xai_status eval(xai_op_ctx *ctx) {
  const softmax_data *d = ctx->data;
  const xai_softmax_s8_xcore_params *p = xai_xcore_misc_packed(ctx, 1);
  if (!p) return XAI_ERR_FORMAT;
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st = xai_softmax_s8_xcore_run(
      p, d->outer, d->depth, xai_op_input(ctx, 0)->data,
      xai_op_output(ctx, 0)->data, d->threads, &rep, &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(ctx, &rep, 0, sizeof *p, "softmax");
}

/* The bundles depend on the shape only: the estimate is a run. */
static xai_status estimate(xai_op_ctx *ctx) { return eval(ctx); }

const xai_op_registration xai_op_xcore_softmax = {
    XAI_OP_CUSTOM, "XAI_softmax", prepare, eval, estimate};
