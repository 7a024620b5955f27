/* L2_POOL_2D, L2_NORMALIZATION in float32 and BATCH_MATMUL
 * in float32, int8 and int16 (TFLite Micro's reference kernels). */
#include "arith_float_internal.h"
#include "elementwise_internal.h"
#include "xai/kernels_ref/arith_quant.h"
#include "xai/kernels_ref/nn_float.h"
#include "xai/kernels_ref/quant.h"

typedef struct {
  int8_t type;
  xai_batch_matmul_q_params q;
  size_t outer, depth;
  float act_min, act_max;
  xai_l2_pool_params pool;
  xai_batch_matmul_params mm;
} nn_data;

static const int8_t k_f32[] = {XAI_TYPE_FLOAT32};
static const int8_t k_f32_s8[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};

static xai_status begin(xai_op_ctx *ctx, uint32_t inputs, xai_rt_tensor **in,
                        xai_rt_tensor **out, nn_data **d) {
  xai_status st = xai_ew_input(ctx, 0, in);
  if (!st) st = xai_ew_output(ctx, 0, out);
  /* int8 only where TFLM takes it (L2_NORMALIZATION). */
  const int s8 = ctx->builtin_code == XAI_OP_L2_NORMALIZATION;
  if (!st) st = xai_ew_check_type(ctx, *in, "input", k_f32_s8, s8 ? 2 : 1);
  if (!st) st = xai_ew_same_type(ctx, *in, "input", *out, "output");
  for (uint32_t k = 1; !st && k < inputs; k++) {
    xai_rt_tensor *t;
    st = xai_ew_input(ctx, k, &t);
    if (!st) st = xai_ew_check_type(ctx, t, "input", k_f32, 1);
  }
  if (st) return st;
  *d = xai_ew_alloc(ctx, sizeof **d);
  if (!*d) return XAI_ERR_NO_MEMORY;
  ctx->data = *d;
  return XAI_OK;
}

/* Last-dimension ops with the input's shape on the output. */
static xai_status rows_prepare(xai_op_ctx *ctx, int act) {
  xai_rt_tensor *in, *out;
  nn_data *d;
  xai_status st = begin(ctx, 1, &in, &out, &d);
  if (st) return st;
  xai_shape s;
  if ((st = xai_ew_shape(ctx, in, &s)) ||
      (st = xai_ew_check_dims(ctx, out, "output", &s)))
    return st;
  d->depth = in->rank ? (size_t)in->dims[in->rank - 1] : 1;
  d->outer = d->depth ? xai_rt_tensor_elements(in) / d->depth : 0;
  xai_activation_range_f32(act, &d->act_min, &d->act_max);
  return XAI_OK;
}

static xai_status l2norm_prepare(xai_op_ctx *ctx) {
  return rows_prepare(ctx, ctx->options->u.l2norm.fused_activation_function);
}
static xai_status l2norm_eval(xai_op_ctx *ctx) {
  const nn_data *d = ctx->data;
  const xai_rt_tensor *in = xai_op_input(ctx, 0);
  if (in->type == XAI_TYPE_INT8) {
    xai_l2_norm_s8_ref(in->zero_point, d->outer, d->depth, in->data,
                       xai_op_output(ctx, 0)->data);
    return XAI_OK;
  }
  xai_l2_norm_f32_ref(d->outer, d->depth, d->act_min, d->act_max,
                      xai_op_input(ctx, 0)->data, xai_op_output(ctx, 0)->data);
  return XAI_OK;
}
static int32_t out_size(int padding, int32_t in, int32_t filter,
                        int32_t stride) {
  return padding == XAI_PADDING_SAME ? (in + stride - 1) / stride
                                     : (in - filter + stride) / stride;
}

static xai_status l2pool_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *in, *out;
  nn_data *d;
  xai_status st = begin(ctx, 1, &in, &out, &d);
  if (st) return st;
  const xai_pool2d_options *o = &ctx->options->u.pool2d;
  if (in->rank != 4 || o->stride_h < 1 || o->stride_w < 1 ||
      o->filter_height < 1 || o->filter_width < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "needs a 4-D input and positive strides and filter");
  xai_l2_pool_params *p = &d->pool;
  p->batches = in->dims[0], p->in_h = in->dims[1], p->in_w = in->dims[2];
  p->depth = in->dims[3];
  p->filter_h = o->filter_height, p->filter_w = o->filter_width;
  p->stride_h = o->stride_h, p->stride_w = o->stride_w;
  p->out_h = out_size(o->padding, p->in_h, p->filter_h, p->stride_h);
  p->out_w = out_size(o->padding, p->in_w, p->filter_w, p->stride_w);
  const int32_t ph = ((p->out_h - 1) * p->stride_h + p->filter_h - p->in_h) / 2;
  const int32_t pw = ((p->out_w - 1) * p->stride_w + p->filter_w - p->in_w) / 2;
  p->pad_h = ph > 0 ? ph : 0, p->pad_w = pw > 0 ? pw : 0;
  xai_activation_range_f32(o->fused_activation_function, &p->act_min,
                           &p->act_max);
  const xai_shape want = {4, {p->batches, p->out_h, p->out_w, p->depth}};
  return xai_ew_check_dims(ctx, out, "output", &want);
}
static xai_status l2pool_eval(xai_op_ctx *ctx) {
  const nn_data *d = ctx->data;
  xai_l2_pool_f32_ref(&d->pool, xai_op_input(ctx, 0)->data,
                      xai_op_output(ctx, 0)->data);
  return XAI_OK;
}

static const int8_t k_matmul[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                  XAI_TYPE_INT16};

static xai_status matmul_quant(xai_op_ctx *ctx, const xai_rt_tensor *lhs,
                               const xai_rt_tensor *rhs,
                               const xai_rt_tensor *out, nn_data *d) {
  xai_status st;
  if ((st = xai_ew_check_quantized(ctx, lhs, "lhs")) ||
      (st = xai_ew_check_quantized(ctx, rhs, "rhs")) ||
      (st = xai_ew_check_quantized(ctx, out, "output")))
    return st;
  if (lhs->type == XAI_TYPE_INT16 &&
      (lhs->zero_point || rhs->zero_point || out->zero_point))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 BATCH_MATMUL needs zero points 0");
  d->q.lhs_offset = -lhs->zero_point;
  d->q.rhs_offset = -rhs->zero_point;
  d->q.output_offset = out->zero_point;
  xai_quantize_multiplier((double)lhs->scale * (double)rhs->scale /
                              (double)out->scale,
                          &d->q.multiplier, &d->q.shift);
  xai_ew_type_range(out->type, &d->q.act_min, &d->q.act_max);
  return XAI_OK;
}

static xai_status matmul_prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *lhs, *rhs, *out;
  xai_status st = xai_ew_input(ctx, 0, &lhs);
  if (!st) st = xai_ew_input(ctx, 1, &rhs);
  if (!st) st = xai_ew_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, lhs, "lhs", k_matmul, 3);
  if (!st) st = xai_ew_same_type(ctx, lhs, "lhs", rhs, "rhs");
  if (!st) st = xai_ew_same_type(ctx, lhs, "lhs", out, "output");
  if (st) return st;
  nn_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->type = lhs->type;
  if (lhs->type != XAI_TYPE_FLOAT32 &&
      (st = matmul_quant(ctx, lhs, rhs, out, d)))
    return st;
  if (lhs->rank < 2 || rhs->rank < 2 || lhs->rank > 5 || rhs->rank > 5)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "inputs have rank %u and %u; expected 2 to 5",
                       lhs->rank, rhs->rank);
  xai_batch_matmul_params *p = &d->mm;
  p->adj_x = ctx->options->u.batch_matmul.adj_x;
  p->adj_y = ctx->options->u.batch_matmul.adj_y;
  const int32_t *ld = lhs->dims, *rd = rhs->dims;
  const uint32_t lr = lhs->rank, rr = rhs->rank;
  p->rows = p->adj_x ? ld[lr - 1] : ld[lr - 2];
  p->accum = p->adj_x ? ld[lr - 2] : ld[lr - 1];
  const int32_t r_accum = p->adj_y ? rd[rr - 1] : rd[rr - 2];
  p->cols = p->adj_y ? rd[rr - 2] : rd[rr - 1];
  if (r_accum != p->accum)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "lhs depth %d does not match rhs depth %d",
                       (int)p->accum, (int)r_accum);
  const uint32_t orank = lr > rr ? lr : rr;
  xai_shape want = {(int32_t)orank, {0}};
  for (int k = 0; k < 3; k++) {
    const int32_t li = (int32_t)lr - 5 + k, ri = (int32_t)rr - 5 + k;
    p->lhs_batch[k] = li >= 0 ? ld[li] : 1;
    p->rhs_batch[k] = ri >= 0 ? rd[ri] : 1;
    const int32_t a = p->lhs_batch[k], b = p->rhs_batch[k];
    if (a != b && a != 1 && b != 1)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "batch dimensions %d and %d do not broadcast",
                         (int)a, (int)b);
    p->out_batch[k] = a == 1 ? b : a;
    const int32_t oi = (int32_t)orank - 5 + k;
    if (oi >= 0) want.dims[oi] = p->out_batch[k];
  }
  want.dims[orank - 2] = p->rows;
  want.dims[orank - 1] = p->cols;
  return xai_ew_check_dims(ctx, out, "output", &want);
}
static xai_status matmul_eval(xai_op_ctx *ctx) {
  const nn_data *d = ctx->data;
  const void *l = xai_op_input(ctx, 0)->data, *r = xai_op_input(ctx, 1)->data;
  void *o = xai_op_output(ctx, 0)->data;
  if (d->type == XAI_TYPE_INT8)
    xai_batch_matmul_s8_ref(&d->mm, &d->q, l, r, o);
  else if (d->type == XAI_TYPE_INT16)
    xai_batch_matmul_s16_ref(&d->mm, &d->q, l, r, o);
  else
    xai_batch_matmul_f32_ref(&d->mm, l, r, o);
  return XAI_OK;
}

const xai_op_registration xai_op_l2_normalization = {
    XAI_OP_L2_NORMALIZATION, NULL, l2norm_prepare, l2norm_eval, NULL};
const xai_op_registration xai_op_l2_pool_2d = {
    XAI_OP_L2_POOL_2D, NULL, l2pool_prepare, l2pool_eval, NULL};
const xai_op_registration xai_op_batch_matmul = {
    XAI_OP_BATCH_MATMUL, NULL, matmul_prepare, matmul_eval, NULL};
