/* XAI_add and XAI_mul: int8 broadcasting ADD (and SUB) and MUL with the
 * xcore kernels (xai/kernels_xcore/elementwise.h). Both are in-place safe:
 * output element i depends only on input elements at the same or
 * broadcast positions, read before it is written.
 *   XAI_add: inputs a, b, packed xai_add_s8_xcore_params; options {th}.
 *   XAI_mul: inputs a, b, packed xai_mul_s8_xcore_params; options {th}. */
#include <string.h>

#include "xai/kernels_xcore/elementwise.h"
#include "xcore_misc_internal.h"

typedef struct {
  int mul;
  unsigned threads;
  xai_bcast bc;
} ew_data;

static xai_status shape_of(xai_op_ctx *ctx, const xai_rt_tensor *t,
                           const char *what, xai_shape *s) {
  if (t->rank > XAI_BCAST_MAX_RANK)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%s has rank %u; broadcasting supports at most %d",
                       what, t->rank, XAI_BCAST_MAX_RANK);
  memset(s, 0, sizeof *s);
  s->rank = (int32_t)t->rank;
  for (uint32_t i = 0; i < t->rank; i++) s->dims[i] = t->dims[i];
  return XAI_OK;
}

static xai_status prepare(xai_op_ctx *ctx, int mul) {
  xai_flexbuf_ref map;
  unsigned threads = 0;
  ew_data *d;
  xai_status st = xai_xcore_misc_begin(ctx, sizeof *d, (void **)&d, &map,
                                       &threads);
  if (st) return st;
  d->threads = threads;
  d->mul = mul;
  if ((st = xai_xcore_misc_check_io(ctx, 3u))) return st;
  xai_rt_tensor *a, *b, *out;
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 0, SIZE_MAX, &a)) ||
      (st = xai_xcore_misc_check_s8(ctx, 1, 0, SIZE_MAX, &b)) ||
      (st = xai_xcore_misc_check_s8(ctx, 0, 1, SIZE_MAX, &out)))
    return st;
  xai_shape sa, sb, so;
  if ((st = shape_of(ctx, a, "input 1", &sa)) ||
      (st = shape_of(ctx, b, "input 2", &sb)))
    return st;
  xai_error e;
  xai_error_clear(&e);
  if (xai_bcast_make(&sa, &sb, &d->bc, &e))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "%s", e.message);
  xai_bcast_out_shape(&d->bc, &so);
  int same = out->rank == (uint32_t)so.rank;
  for (uint32_t i = 0; same && i < out->rank; i++)
    same = out->dims[i] == so.dims[i];
  if (!same)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output shape differs from the broadcast of the "
                       "inputs' shapes (%zu elements expected)",
                       d->bc.count);
  return xai_xcore_misc_packed_check(
      ctx, 2, mul ? sizeof(xai_mul_s8_xcore_params)
                  : sizeof(xai_add_s8_xcore_params));
}

static xai_status eval(xai_op_ctx *ctx) {
  const ew_data *d = ctx->data;
  const int8_t *a = xai_op_input(ctx, 0)->data;
  const int8_t *b = xai_op_input(ctx, 1)->data;
  int8_t *out = xai_op_output(ctx, 0)->data;
  const void *p = xai_xcore_misc_packed(ctx, 2);
  if (!p) return XAI_ERR_FORMAT;
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st =
      d->mul ? xai_mul_s8_xcore_run(p, &d->bc, a, b, out, d->threads, &rep, &e)
             : xai_add_s8_xcore_run(p, &d->bc, a, b, out, d->threads, &rep,
                                    &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(
      ctx, &rep, 0,
      d->mul ? sizeof(xai_mul_s8_xcore_params) : sizeof(xai_add_s8_xcore_params),
      d->mul ? "mul" : "add");
}

/* The bundles depend on the data only through the -128 fix-up of the
 * requantization, so the estimate runs the op as eval does (writing its
 * output). */
static xai_status estimate(xai_op_ctx *ctx) { return eval(ctx); }

static xai_status prepare_add(xai_op_ctx *ctx) { return prepare(ctx, 0); }
static xai_status prepare_mul(xai_op_ctx *ctx) { return prepare(ctx, 1); }

const xai_op_registration xai_op_xcore_add = {XAI_OP_CUSTOM, "XAI_add",
                                              prepare_add, eval, estimate};
const xai_op_registration xai_op_xcore_mul = {XAI_OP_CUSTOM, "XAI_mul",
                                              prepare_mul, eval, estimate};
