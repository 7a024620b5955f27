/* XAI_lut: int8 -> int8 lookup table (RELU family, LEAKY_RELU, HARD_SWISH,
 * LOGISTIC, TANH, requantizing QUANTIZE) with the xcore LUT kernel
 * (xai/kernels_xcore/lut.h). Inputs: the activation, then the packed
 * xai_lut_s8_packed (268 bytes). Options: {th}. In-place safe. */
#include <string.h>

#include "xai/kernels_xcore/lut.h"
#include "xcore_misc_internal.h"

typedef struct {
  unsigned threads;
  size_t count;
} lut_data;

static xai_status prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  unsigned threads = 0;
  lut_data *d;
  xai_status st = xai_xcore_misc_begin(ctx, sizeof *d, (void **)&d, &map,
                                       &threads);
  if (st) return st;
  d->threads = threads;
  if (ctx->input_count != 2 || ctx->output_count != 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "has %u inputs and %u outputs; expected 2 (input, "
                       "packed table) and 1",
                       ctx->input_count, ctx->output_count);
  xai_rt_tensor *in;
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 0, SIZE_MAX, &in))) return st;
  d->count = xai_rt_tensor_elements(in);
  if ((st = xai_xcore_misc_check_s8(ctx, 0, 1, d->count, NULL))) return st;
  return xai_xcore_misc_packed_check(ctx, 1, sizeof(xai_lut_s8_packed));
}

/* The blob is used where it lies; only the fields the VPU path trusts are
 * checked (a corrupt shift would be an out-of-range VLSAT). */
static const xai_lut_s8_packed *bind(xai_op_ctx *ctx) {
  const xai_lut_s8_packed *lut = xai_xcore_misc_packed(ctx, 1);
  if (lut && lut->affine && lut->shift > 14) {
    xai_op_fail(ctx, XAI_ERR_FORMAT,
                "packed table has shift %u; at most 14 (corrupt model?)",
                (unsigned)lut->shift);
    return NULL;
  }
  return lut;
}

static const char *kernel_name(const xai_lut_s8_packed *lut) {
  return lut->affine ? "lut_affine" : "lut";
}

static xai_status eval(xai_op_ctx *ctx) {
  const lut_data *d = ctx->data;
  const xai_lut_s8_packed *lut = bind(ctx);
  if (!lut) return XAI_ERR_FORMAT;
  xai_xcore_ew_report rep;
  xai_error e;
  xai_error_clear(&e);
  xai_status st = xai_lut_s8_xcore_run(
      lut, d->count, xai_op_input(ctx, 0)->data, xai_op_output(ctx, 0)->data,
      d->threads, &rep, &e);
  if (st) return xai_xcore_misc_kernel_failed(ctx, st, &e);
  return xai_xcore_misc_report_cost(ctx, &rep, 0, sizeof *lut,
                                    kernel_name(lut));
}

/* Bundles of the kernel on n elements of an aligned stack buffer (the
 * tensors are not touched: the op may run in place over a live input). */
static uint64_t sample(const xai_lut_s8_packed *lut, size_t n) {
  union {
    uint32_t align;
    int8_t b[64];
  } in, out;
  memset(&in, 0, sizeof in);
  xai_vpu_ctx v;
  xai_vpu_init(&v, XAI_VPU_MODE_INT8);
  xai_lut_s8_xcore(&v, lut, in.b, out.b, 0, n);
  return v.bundles;
}

/* Table path: exact (XAI_LUT_S8_XCORE_BUNDLES_PER_4 per 4 elements, as the
 * kernel charges). Affine path: a sample of one and two 16-element steps
 * gives the set-up and per-step bundles, extrapolated to each thread's
 * share; exact except for the data-dependent -128 fix-up stores. */
static xai_status estimate(xai_op_ctx *ctx) {
  const lut_data *d = ctx->data;
  const xai_lut_s8_packed *lut = bind(ctx);
  if (!lut) return XAI_ERR_FORMAT;
  uint64_t bundles[XAI_XCORE_THREADS_PER_TILE];
  uint64_t step = 0, setup = 0;
  if (lut->affine) {
    const uint64_t b16 = sample(lut, 16), b32 = sample(lut, 32);
    step = b32 - b16;
    setup = b16 - step;
  }
  for (unsigned t = 0; t < d->threads; t++) {
    size_t b, e;
    xai_xcore_ew_split(d->count, 32, d->threads, t, &b, &e);
    const uint64_t n = e - b;
    if (n == 0)
      bundles[t] = 0;
    else if (lut->affine)
      bundles[t] = setup + (n + 15) / 16 * step;
    else
      bundles[t] = (n + 3) / 4 * XAI_LUT_S8_XCORE_BUNDLES_PER_4;
  }
  return xai_xcore_op_cost(ctx, bundles, d->threads, 0, sizeof *lut,
                             kernel_name(lut));
}

const xai_op_registration xai_op_xcore_lut = {XAI_OP_CUSTOM, "XAI_lut",
                                              prepare, eval, estimate};
