/* Device cost of ops that have no VPU kernel: TFLite's reference kernels
 * compiled for one xcore thread (scalar XS3 code, issuing every 5th cycle
 * alone on the tile). Each op's work is a sum of terms from its tensor
 * sizes, with per-op rates in bundles from the table below; an op missing
 * from the table gets the element-count default, so new builtins are
 * charged sensibly until someone measures them.
 *
 * Rates are ESTIMATES for compiled C (no board to measure): a scalar loop
 * element loads its operands (memory lane, one load per bundle), stores the
 * result and branches (memory lane), and its arithmetic mostly single
 * issue beside them. The fixed-point helpers TFLite uses cost: a
 * MultiplyByQuantizedMultiplier ~10 bundles (MACCS 32x32->64, rounding,
 * shift); gemmlowp exp_on_negative_values ~100; a reciprocal (Newton
 * iterations) ~120. SOFTMAX is calibrated against XMOS's node figure: 2
 * values in 1,663 ticks at 600 MHz (BASELINES.md); with dispatch that is
 * 2,000 bundles here (1,667 ticks). */
#include <string.h>

#include "interp_internal.h"
#include "xai/tflite.h"
#include "xai/vpu.h"
#include "xai/xcore_machine.h"

typedef struct {
  int32_t code;      /* TFLite builtin code (schema.fbs BuiltinOperator) */
  uint16_t per_mac;  /* bundles per multiply-accumulate */
  uint16_t per_in;   /* per element of every non-constant input */
  uint16_t per_out;  /* per output element */
  uint16_t per_row;  /* per row (last axis) of output 0: reductions */
  uint16_t fixed;    /* per invocation, beyond dispatch */
} op_rate;

/* An int8 MAC in a reference loop: two ld8s (memory lane), the multiply-
 * accumulate paired with one of them, the loop branch and offset
 * arithmetic amortised over a 2x unroll. */
#define MAC 3u

/* The element-count default: load each input element, compute a few ALU
 * bundles, store, branch. */
static const op_rate k_default = {0, MAC, 2, 6, 0, 40};

static const op_rate k_rates[] = {
    /* MAC ops: their per-output requantization (~12) on top. */
    {XAI_OP_CONV_2D, MAC, 0, 12, 0, 60},
    {XAI_OP_DEPTHWISE_CONV_2D, MAC, 0, 12, 0, 60},
    {XAI_OP_FULLY_CONNECTED, MAC, 0, 12, 0, 40},
    {XAI_OP_TRANSPOSE_CONV, MAC, 0, 12, 0, 60},
    {XAI_OP_BATCH_MATMUL, MAC, 0, 12, 0, 60},
    /* LSTM: per output/state element per step ~3 gate activations (int16
     * table + interpolation, ~20 each), 2 tanh, 4 elementwise multiplies
     * with rescale (~12 each), clamps: ~150 bundles, counted on the
     * output elements (batch x time x n_output). */
    {XAI_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, MAC, 0, 150, 0, 400},
    /* SVDF: state shift (load + store per element), the time MACs, bias,
     * activation and rescale per output. */
    {XAI_OP_SVDF, MAC, 2, 20, 0, 200},
    /* Softmax: max, exp per element twice (sum pass and output pass),
     * one reciprocal per row, a rescale per element. */
    {XAI_OP_SOFTMAX, 0, 3, 400, 1000, 0},
    {50 /* LOG_SOFTMAX */, 0, 3, 400, 1200, 0},
    /* Logistic/tanh: gemmlowp fixed-point on int8 (exp + reciprocal);
     * the xformer lowers int8 forms to a table, int16 ones stay here. */
    {XAI_OP_LOGISTIC, 0, 2, 250, 0, 40},
    {XAI_OP_TANH, 0, 2, 250, 0, 40},
    {47 /* EXP */, 0, 2, 150, 0, 40},
    {73 /* LOG */, 0, 2, 150, 0, 40},
    {75 /* SQRT */, 0, 2, 120, 0, 40},
    {76 /* RSQRT */, 0, 2, 150, 0, 40},
    {XAI_OP_L2_NORMALIZATION, 0, 5, 30, 300, 40},
    /* Reductions: a load and an add per input element, a rescale per
     * output. */
    {XAI_OP_MEAN, 0, 3, 30, 0, 80},
    {XAI_OP_SUM, 0, 3, 30, 0, 80},
    {81 /* REDUCE_PROD */, 0, 14, 30, 0, 80},
    {82 /* REDUCE_MAX */, 0, 3, 6, 0, 80},
    {89 /* REDUCE_MIN */, 0, 3, 6, 0, 80},
    {XAI_OP_ARG_MAX, 0, 4, 6, 0, 60},
    {79 /* ARG_MIN */, 0, 4, 6, 0, 60},
    /* Element-wise arithmetic on quantized values: operand loads, 2-3
     * rescales, clamp, store, branch. */
    {XAI_OP_ADD, 0, 1, 34, 0, 40},
    {XAI_OP_SUB, 0, 1, 34, 0, 40},
    {XAI_OP_MUL, 0, 1, 18, 0, 40},
    {XAI_OP_DIV, 0, 1, 60, 0, 40},
    {99 /* SQUARED_DIFFERENCE */, 0, 1, 30, 0, 40},
    {XAI_OP_MAXIMUM, 0, 1, 6, 0, 40},
    {XAI_OP_MINIMUM, 0, 1, 6, 0, 40},
    {XAI_OP_PRELU, 0, 1, 16, 0, 40},
    {XAI_OP_LEAKY_RELU, 0, 1, 14, 0, 40},
    {XAI_OP_HARD_SWISH, 0, 1, 30, 0, 40},
    {XAI_OP_RELU, 0, 1, 12, 0, 40},
    {XAI_OP_RELU6, 0, 1, 12, 0, 40},
    {XAI_OP_RELU_N1_TO_1, 0, 1, 12, 0, 40},
    {XAI_OP_QUANTIZE, 0, 1, 14, 0, 40},
    {XAI_OP_DEQUANTIZE, 0, 1, 10, 0, 40},
    /* Data movement: shape ops copy words (load + store per 4 bytes, in
     * bundles per element of int8 data: ~1 with the loop); index ops
     * walk an odometer per element. */
    {XAI_OP_RESHAPE, 0, 0, 1, 0, 0},
    {XAI_OP_SQUEEZE, 0, 0, 1, 0, 0},
    {XAI_OP_EXPAND_DIMS, 0, 0, 1, 0, 0},
    {XAI_OP_CONCATENATION, 0, 0, 2, 0, 40},
    {XAI_OP_PACK, 0, 0, 2, 0, 40},
    {XAI_OP_UNPACK, 0, 0, 2, 0, 40},
    {XAI_OP_SPLIT, 0, 0, 2, 0, 40},
    {XAI_OP_SPLIT_V, 0, 0, 2, 0, 40},
    {XAI_OP_SLICE, 0, 0, 3, 0, 60},
    {XAI_OP_STRIDED_SLICE, 0, 0, 4, 0, 80},
    {XAI_OP_PAD, 0, 0, 4, 0, 60},
    {XAI_OP_PADV2, 0, 0, 4, 0, 60},
    {XAI_OP_TRANSPOSE, 0, 0, 8, 0, 60},
    {XAI_OP_GATHER, 0, 0, 6, 0, 40},
    {107 /* GATHER_ND */, 0, 0, 8, 0, 40},
    {5 /* DEPTH_TO_SPACE */, 0, 0, 6, 0, 40},
    {26 /* SPACE_TO_DEPTH */, 0, 0, 6, 0, 40},
    {69 /* TILE */, 0, 0, 6, 0, 40},
    {130 /* BROADCAST_TO */, 0, 0, 6, 0, 40},
    {XAI_OP_RESIZE_NEAREST_NEIGHBOR, 0, 0, 8, 0, 60},
    {XAI_OP_RESIZE_BILINEAR, 0, 0, 30, 0, 60},
    {XAI_OP_AVERAGE_POOL_2D, 0, 3, 30, 0, 60},
    {XAI_OP_MAX_POOL_2D, 0, 3, 8, 0, 60},
    {XAI_OP_CAST, 0, 0, 4, 0, 20},
    {XAI_OP_SHAPE, 0, 0, 2, 0, 20},
};

static const op_rate *rate_of(int32_t code) {
  for (size_t i = 0; i < sizeof k_rates / sizeof k_rates[0]; i++)
    if (k_rates[i].code == code) return &k_rates[i];
  return &k_default;
}

static xai_op_dims shape_of(const xai_rt_tensor *t) {
  xai_op_dims s = {NULL, -1};
  if (t) {
    s.dims = t->dims;
    s.rank = t->rank;
  }
  return s;
}

#define MAX_TENSORS 24u

static uint64_t default_macs(const xai_op_ctx *ctx) {
  xai_op_dims in[MAX_TENSORS], out[MAX_TENSORS];
  uint32_t n_in = ctx->input_count < MAX_TENSORS ? ctx->input_count : MAX_TENSORS;
  uint32_t n_out = ctx->output_count < MAX_TENSORS ? ctx->output_count : MAX_TENSORS;
  for (uint32_t i = 0; i < n_in; i++) in[i] = shape_of(xai_op_input(ctx, i));
  for (uint32_t i = 0; i < n_out; i++) out[i] = shape_of(xai_op_output(ctx, i));
  return xai_op_builtin_macs(ctx->builtin_code, in, n_in, out, n_out);
}

void xai_op_default_cost(xai_op_ctx *ctx) {
  const op_rate *r = rate_of(ctx->builtin_code);
  uint64_t out_elems = 0, in_elems = 0, rows = 0;
  for (uint32_t i = 0; i < ctx->output_count; i++) {
    const xai_rt_tensor *t = xai_op_output(ctx, i);
    if (t) out_elems += xai_rt_tensor_elements(t);
  }
  for (uint32_t i = 0; i < ctx->input_count; i++) {
    const xai_rt_tensor *t = xai_op_input(ctx, i);
    /* constant inputs (weights, shapes) are not walked per element */
    if (t && t->mem != XAI_MEM_CONST && t->mem != XAI_MEM_NONE)
      in_elems += xai_rt_tensor_elements(t);
  }
  const xai_rt_tensor *o = xai_op_output(ctx, 0);
  if (o && o->rank > 0 && o->dims[o->rank - 1] > 0)
    rows = xai_rt_tensor_elements(o) / (uint64_t)o->dims[o->rank - 1];
  else if (o)
    rows = 1;
  uint64_t macs = default_macs(ctx);
  uint64_t bundles = macs * r->per_mac + in_elems * r->per_in +
                     out_elems * r->per_out + rows * r->per_row + r->fixed;
  xai_vpu_op_work work;
  memset(&work, 0, sizeof work);
  work.thread_bundles = &bundles;
  work.n_threads = 1;
  work.clock_mhz = ctx->clock_mhz;
  xai_vpu_op_time t;
  memset(ctx->cost, 0, sizeof *ctx->cost);
  if (xai_vpu_time_op(&work, &t, NULL) != XAI_OK) return;
  ctx->cost->macs = macs;
  ctx->cost->ticks = t.ticks;
  ctx->cost->cycles = t.cycles;
  ctx->cost->bundles_max = bundles;
  ctx->cost->threads = 1;
  ctx->cost->utilisation = 0;
  ctx->cost->kernel = NULL;
}
