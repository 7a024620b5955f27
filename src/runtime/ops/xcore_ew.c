/* XAI_add and XAI_mul: int8 broadcasting ADD (and SUB) and MUL with the
 * xcore kernels (xai/kernels_xcore/elementwise.h). Both are in-place safe:
 * output element i depends only on input elements at the same or
 * broadcast positions, read before it is written.
 *   XAI_add: inputs a, b, packed xai_add_s8_xcore_params; options {th}.
 *   XAI_mul: inputs a, b; options {th, m, s, z1, z2, zo, lo, hi}. */
#include <string.h>

#include "xai/kernels_xcore/elementwise.h"
#include "xcore_misc_internal.h"

typedef struct {
  int mul;
  unsigned threads;
  xai_bcast bc;
  xai_mul_params mp; /* XAI_mul */
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
  if ((st = xai_xcore_misc_check_io(ctx, mul ? 2u : 3u))) return st;
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
  if (!mul)
    return xai_xcore_misc_packed_check(ctx, 2,
                                       sizeof(xai_add_s8_xcore_params));
  xai_mul_params *p = &d->mp;
  if ((st = xai_xcore_op_opt_int(ctx, &map, "m", 0, INT32_MAX,
                                   &p->output_multiplier)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "s", -31, 31,
                                   &p->output_shift)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "z1", -255, 255,
                                   &p->input1_offset)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "z2", -255, 255,
                                   &p->input2_offset)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "zo", -128, 127,
                                   &p->output_offset)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "lo", -128, 127,
                                   &p->act_min)) ||
      (st = xai_xcore_op_opt_int(ctx, &map, "hi", -128, 127,
                                   &p->act_max)))
    return st;
  if (p->act_min > p->act_max)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "clamp range [%d, %d] is empty", (int)p->act_min,
                       (int)p->act_max);
  return XAI_OK;
}

static xai_status eval(xai_op_ctx *ctx) {
  const ew_data *d = ctx->data;
  const int8_t *a = xai_op_input(ctx, 0)->data;
  const int8_t *b = xai_op_input(ctx, 1)->data;
  int8_t *out = xai_op_output(ctx, 0)->data;
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st;
  if (d->mul) {
    st = xai_mul_s8_xcore_run(&d->mp, &d->bc, a, b, out, d->threads, &rep,
                              &e);
    if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
    return xai_xcore_misc_report_cost(ctx, &rep, 0, 0, "mul");
  }
  const xai_add_s8_xcore_params *p = xai_xcore_misc_packed(ctx, 2);
  if (!p) return XAI_ERR_FORMAT;
  st = xai_add_s8_xcore_run(p, &d->bc, a, b, out, d->threads, &rep, &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(ctx, &rep, 0, sizeof *p, "add");
}

/* Exact: both kernels charge a fixed number of bundles per element (plus
 * the broadcast walk), over the same split as their run helpers. */
static xai_status estimate(xai_op_ctx *ctx) {
  const ew_data *d = ctx->data;
  uint64_t per = d->mul ? XAI_MUL_S8_XCORE_BUNDLES_PER_ELEMENT
                        : XAI_ADD_S8_XCORE_BUNDLES_PER_ELEMENT;
  if (!xai_xcore_ew_bcast_is_flat(&d->bc)) per += XAI_EW_BCAST_BUNDLES;
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE];
  for (unsigned t = 0; t < d->threads; t++) {
    size_t b, e;
    xai_xcore_ew_split(d->bc.count, 32, d->threads, t, &b, &e);
    bundles[t] = (uint64_t)(e - b) * per;
  }
  return xai_xcore_op_cost(ctx, bundles, d->threads, 0,
                             d->mul ? 0 : sizeof(xai_add_s8_xcore_params),
                             d->mul ? "mul" : "add");
}

static xai_status prepare_add(xai_op_ctx *ctx) { return prepare(ctx, 0); }
static xai_status prepare_mul(xai_op_ctx *ctx) { return prepare(ctx, 1); }

const xai_op_registration xai_op_xcore_add = {XAI_OP_CUSTOM, "XAI_add",
                                              prepare_add, eval, estimate};
const xai_op_registration xai_op_xcore_mul = {XAI_OP_CUSTOM, "XAI_mul",
                                              prepare_mul, eval, estimate};
