/* XAI_fc (docs/xcore_ops.md): runs the xcore FULLY_CONNECTED kernel over
 * groups of 16 output units split across the emulated threads, for every
 * batch row. The kernel's pointers are re-bound to the packed tensor at
 * every eval (it may be loaded into the arena at run time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/kernels_xcore/conv.h" /* xai_xcore_split */
#include "xai/kernels_xcore/fc.h"
#include "xcore_conv_internal.h"

/* What eval needs, 16 bytes in the tail: the kernel's struct (80 bytes
 * with its pointers and params) is rebuilt from the dims at every eval,
 * and the one scratch request (index 0) has the size the dims give. */
typedef struct {
  xai_fc_dims d;
  uint32_t th;
} xfc_data;

/* The kernel's geometry (no pointers yet) and its per-thread scratch. */
static xai_fc_xcore fc_op(const xfc_data *d, size_t *slice) {
  xai_fc_xcore op;
  memset(&op, 0, sizeof op);
  op.d = d->d;
  (void)xai_fc_s8_xcore_bind(&op, NULL, 0); /* checked in prepare */
  *slice = (xai_fc_s8_xcore_scratch_size(&op) + 15u) & ~(size_t)15u;
  return op;
}

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *packed, *out;
  xai_status st = xai_xconv_tensors(ctx, &in, &packed, &out);
  if (st) return st;
  xai_flexbuf_ref map;
  st = xai_xconv_options(ctx, &map);
  if (st) return st;
  int32_t th = 0, k = 0, n = 0, zi = 0;
  st = xai_xconv_opt_int(ctx, &map, "th", 1, 8, &th);
  if (!st) st = xai_xconv_opt_int(ctx, &map, "k", 1, INT32_MAX, &k);
  if (!st) st = xai_xconv_opt_int(ctx, &map, "n", 1, INT32_MAX, &n);
  if (!st) st = xai_xconv_opt_int(ctx, &map, "zi", -128, 127, &zi);
  if (st) return st;
  size_t in_elems = xai_rt_tensor_elements(in);
  if (in_elems == 0 || in_elems % (size_t)k != 0 ||
      in_elems / (size_t)k > INT32_MAX)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input tensor %d has %zu elements, not a whole number "
                       "of rows of depth %d (option \"k\")",
                       (int)ctx->inputs[0], in_elems, (int)k);
  const int32_t batches = (int32_t)(in_elems / (size_t)k);
  if (xai_rt_tensor_elements(out) != (size_t)batches * (size_t)n)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output tensor %d has %zu elements; %d rows x %d "
                       "units (option \"n\") need %zu", (int)ctx->outputs[0],
                       xai_rt_tensor_elements(out), (int)batches, (int)n,
                       (size_t)batches * (size_t)n);
  /* The input zero point, output zero point, clamp and rounding live in
   * the blob ("zi" is checked for range only). */
  xai_fc_xcore op;
  memset(&op, 0, sizeof op);
  op.d = (xai_fc_dims){batches, k, n};
  char geom[64];
  snprintf(geom, sizeof geom, "%d inputs to %d units", (int)k, (int)n);
  st = xai_xconv_check_packed(ctx, packed, xai_fc_s8_xcore_packed_size(&op.d),
                              geom);
  if (st) return st;
  if (xai_fc_s8_xcore_bind(&op, NULL, 0) != XAI_OK)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "inconsistent geometry (%s)",
                       geom);
  /* A model constant is checked once here; a blob loaded at run time is
   * checked by the bind of each eval. */
  if (packed->mem == XAI_MEM_CONST && packed->data) {
    xai_fc_xcore probe = op;
    if (xai_fc_s8_xcore_bind(&probe, packed->data, packed->bytes) != XAI_OK)
      return xai_xconv_blob_invalid(ctx, packed);
  }
  xfc_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  ctx->data = d;
  d->d = op.d;
  d->th = xai_xconv_threads((uint32_t)th, op.n_groups);
  size_t slice = 0;
  int32_t index = -1;
  st = xai_xconv_request_scratch(ctx, xai_fc_s8_xcore_scratch_size(&op), d->th,
                                 &slice, &index);
  /* eval finds it as request 0 (fc_op gives the same slice). */
  if (!st && index > 0)
    return xai_op_fail(ctx, XAI_ERR_STATE, "scratch request %d, not 0",
                       (int)index);
  return st;
}

/* Runs every thread's group range; bundles[t] gets each thread's count. */
static xai_status run_all(xai_op_ctx *ctx, const xfc_data *d,
                          const void *blob, size_t blob_size,
                          const int8_t *in, int8_t *out, uint8_t *scratch,
                          size_t scratch_stride, uint64_t *bundles) {
  size_t slice = 0;
  xai_fc_xcore op = fc_op(d, &slice);
  if (xai_fc_s8_xcore_bind(&op, blob, blob_size) != XAI_OK)
    return xai_xconv_blob_invalid(ctx, xai_op_input(ctx, 1));
  for (uint32_t t = 0; t < d->th; t++) {
    int32_t g0, g1;
    xai_xcore_split(op.n_groups, d->th, t, &g0, &g1);
    xai_vpu_ctx v;
    xai_vpu_init(&v, XAI_VPU_MODE_INT8);
    xai_status st = xai_fc_s8_xcore(&v, &op, in, out, g0, g1,
                                    xai_xconv_thread_scratch(
                                        scratch, scratch_stride, t),
                                    slice);
    if (st)
      return xai_op_fail(ctx, st, "the xcore kernel refused groups %d..%d; "
                         "this is an xai bug, please report it", (int)g0,
                         (int)g1);
    st = xai_xconv_check_fault(ctx, &v, t);
    if (st) return st;
    bundles[t] = v.bundles;
  }
  return XAI_OK;
}

static uint64_t macs(const xfc_data *d) {
  return (uint64_t)d->d.batches * (uint64_t)d->d.input_depth *
         (uint64_t)d->d.output_depth;
}

static xai_status eval(xai_op_ctx *ctx) {
  const xfc_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  const xai_rt_tensor *packed = xai_op_input(ctx, 1);
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  uint64_t bundles[8] = {0};
  size_t slice = 0;
  (void)fc_op(d, &slice);
  xai_status st = run_all(ctx, d, packed->data, packed->bytes, in->data,
                          out->data, slice ? xai_op_scratch(ctx, 0) : NULL,
                          slice, bundles);
  if (st) return st;
  return xai_xconv_fill_cost(ctx, bundles, d->th, macs(d), packed->bytes,
                             "fc");
}

/* Estimate: the kernel itself on a zero input (one scratch slice reused by
 * every thread). FC layers are small next to convolutions, so up to 8
 * batch rows run in full (exact up to the data-dependent -128 fix-up);
 * beyond that rows cost the same every 4 (input row alignment repeats), so
 * 4 and 8 rows are run and the difference extrapolated. */
static xai_status estimate(xai_op_ctx *ctx) {
  const xfc_data *d = ctx->data;
  const xai_rt_tensor *packed = xai_op_input(ctx, 1);
  const int32_t batches = d->d.batches;
  size_t slice = 0;
  const xai_fc_xcore geom = fc_op(d, &slice);
  const int32_t run_rows = batches <= 8 ? batches : 8;
  void *owned = NULL;
  const void *blob = xai_xconv_estimate_blob(packed, &owned);
  size_t in_bytes = (size_t)run_rows * (size_t)d->d.input_depth;
  size_t out_bytes = (size_t)run_rows * (size_t)d->d.output_depth;
  int8_t *x = calloc(1, in_bytes);
  int8_t *y = malloc(out_bytes);
  uint8_t *scratch = malloc(slice ? slice : 16);
  xai_status st = XAI_OK;
  uint64_t bundles[8] = {0}, b4[8] = {0};
  if (!blob || !x || !y || !scratch) {
    st = xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "out of memory for estimate");
    goto done;
  }
  if (owned) /* a refused placeholder fails the bind in run_all */
    (void)xai_fc_s8_xcore_placeholder(&geom, owned, packed->bytes);
  xfc_data e = *d;
  e.d.batches = run_rows;
  st = run_all(ctx, &e, blob, packed->bytes, x, y, scratch, 0, bundles);
  if (!st && batches > 8) {
    e.d.batches = 4;
    st = run_all(ctx, &e, blob, packed->bytes, x, y, scratch, 0, b4);
    for (uint32_t t = 0; !st && t < d->th; t++) {
      uint64_t per4 = bundles[t] - b4[t];
      bundles[t] = b4[t] - per4 +
                   per4 * (uint64_t)(batches / 4) +
                   per4 * (uint64_t)(batches % 4) / 4u;
    }
  }
  if (!st)
    st = xai_xconv_fill_cost(ctx, bundles, d->th, macs(d), packed->bytes,
                             "fc");
done:
  free(owned);
  free(x);
  free(y);
  free(scratch);
  return st;
}

const xai_op_registration xai_op_xai_fc = {XAI_OP_CUSTOM, "XAI_fc", prepare,
                                           eval, estimate};
