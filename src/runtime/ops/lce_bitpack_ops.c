/* LceQuantize (float32/int8 -> bitpacked int32 along the last axis) and
 * LceDequantize (bitpacked -> float32/int8), as larq_compute_engine 0.16's
 * quantization.cc. Neither has options. XAI_bquantize is the xformer's
 * form of LceQuantize: the same op with its thread count (option "th"). */
#include "lce_ops_internal.h"
#include "xai/kernels_xcore/bconv.h"
#include "xai/xcore_machine.h"

/* int8 input runs on the VPU form, float on the reference loop (scalar on
 * the device too); LceQuantize splits rows over up to this many threads,
 * XAI_bquantize over its "th". */
#define LCE_QUANTIZE_THREADS 5u

typedef struct {
  size_t rows;
  int32_t cols;
  unsigned threads;
} bitpack_data;

/* Checks in/out ranks and that out = in with the last axis packed (or the
 * reverse); packed_side 1 = the output is the packed one. */
static xai_status shapes(xai_op_ctx *ctx, int packed_side, bitpack_data **d) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_lce_op_io(ctx, 1, &in, &out);
  if (st) return st;
  const xai_rt_tensor *unpacked = packed_side ? in : out;
  const xai_rt_tensor *packed = packed_side ? out : in;
  if (in->rank == 0 || in->rank != out->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input has rank %u and output rank %u; they must be "
                       "equal and at least 1", in->rank, out->rank);
  size_t rows = 1;
  for (uint32_t i = 0; i + 1 < in->rank; i++) {
    if (in->dims[i] != out->dims[i])
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "input and output differ in dimension %u (%d vs %d)",
                         i, (int)in->dims[i], (int)out->dims[i]);
    rows *= (size_t)in->dims[i];
  }
  int32_t cols = unpacked->dims[in->rank - 1];
  if (packed->dims[in->rank - 1] != xai_lce_words(cols))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the bitpacked tensor's last dimension is %d; %d "
                       "channels pack into %d words",
                       (int)packed->dims[in->rank - 1], (int)cols,
                       (int)xai_lce_words(cols));
  *d = xai_op_alloc_persistent(ctx, sizeof **d);
  if (!*d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  (*d)->rows = rows;
  (*d)->cols = cols;
  ctx->data = *d;
  return XAI_OK;
}

static xai_status prepare_quantize_th(xai_op_ctx *ctx, unsigned threads) {
  bitpack_data *d;
  xai_status st = shapes(ctx, 1, &d);
  if (st) return st;
  d->threads = (size_t)threads > d->rows ? (unsigned)d->rows : threads;
  if (d->threads == 0) d->threads = 1;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  if (in->type != XAI_TYPE_FLOAT32 && in->type != XAI_TYPE_INT8)
    return xai_lce_op_bad_type(ctx, "input", in, "FLOAT32 or INT8");
  return xai_lce_op_expect_type(ctx, xai_op_output(ctx, 0), "output",
                                XAI_TYPE_INT32);
}

static xai_status prepare_quantize(xai_op_ctx *ctx) {
  return prepare_quantize_th(ctx, LCE_QUANTIZE_THREADS);
}

static xai_status prepare_xquantize(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  unsigned threads = 1;
  xai_status st = xai_xcore_op_options(ctx, &map);
  if (!st) st = xai_xcore_op_threads(ctx, &map, &threads);
  return st ? st : prepare_quantize_th(ctx, threads);
}

static xai_status eval_quantize(xai_op_ctx *ctx) {
  const bitpack_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  int32_t *out = xai_op_output(ctx, 0)->data;
  const unsigned threads = d->threads;
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE] = {0};
  const bool s8 = in->type == XAI_TYPE_INT8;
  if (!s8) xai_lce_quantize_f32_ref(in->data, d->rows, d->cols, out);
  for (unsigned t = 0; t < threads; t++) {
    size_t b = d->rows * t / threads, e = d->rows * (t + 1) / threads;
    if (!s8) {
      bundles[t] = xai_lce_quantize_f32_bundles(e - b, d->cols);
      continue;
    }
    xai_vpu_ctx v;
    xai_vpu_init(&v, XAI_VPU_MODE_INT8);
    xai_lce_quantize_s8_xcore(&v, in->data, in->zero_point, b, e, d->cols,
                              out);
    xai_error err;
    xai_error_clear(&err);
    if (xai_vpu_check(&v, "LceQuantize", &err))
      return xai_op_fail(ctx, XAI_ERR_STATE, "VPU kernel: %s", err.message);
    bundles[t] = v.bundles;
  }
  return xai_xcore_op_cost(ctx, bundles, threads, 0, 0,
                           s8 ? "bitpack_s8_vdepth1" : "bitpack_f32");
}

static xai_status prepare_dequantize(xai_op_ctx *ctx) {
  bitpack_data *d;
  xai_status st = shapes(ctx, 0, &d);
  if (st) return st;
  const xai_rt_tensor *out = xai_op_output(ctx, 0);
  if ((st = xai_lce_op_expect_type(ctx, xai_op_input(ctx, 0), "input",
                                   XAI_TYPE_INT32)))
    return st;
  if (out->type == XAI_TYPE_INT8)
    return xai_lce_op_expect_scale(ctx, out, "output");
  if (out->type != XAI_TYPE_FLOAT32)
    return xai_lce_op_bad_type(ctx, "output", out, "FLOAT32 or INT8");
  return XAI_OK;
}

static xai_status eval_dequantize(xai_op_ctx *ctx) {
  const bitpack_data *d = ctx->data;
  const int32_t *in = xai_op_input(ctx, 0)->data;
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  if (out->type == XAI_TYPE_FLOAT32)
    xai_lce_dequantize_f32_ref(in, d->rows, d->cols, out->data);
  else
    xai_lce_dequantize_s8_ref(in, out->scale, out->zero_point, d->rows,
                              d->cols, out->data);
  return XAI_OK;
}

const xai_op_registration xai_op_lce_quantize = {
    XAI_OP_CUSTOM, "LceQuantize", prepare_quantize, eval_quantize, NULL};
const xai_op_registration xai_op_xai_bquantize = {
    XAI_OP_CUSTOM, "XAI_bquantize", prepare_xquantize, eval_quantize, NULL};
const xai_op_registration xai_op_lce_dequantize = {
    XAI_OP_CUSTOM, "LceDequantize", prepare_dequantize, eval_dequantize,
    NULL};
