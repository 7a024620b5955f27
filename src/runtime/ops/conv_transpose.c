/* TRANSPOSE_CONV (TFLite transpose_conv.cc). Inputs: 0 output_shape
 * (INT32 [4]), 1 weights [out_c, h, w, in_c], 2 input, 3 optional bias.
 * int8 (int32 bias, int32 scratch accumulators), int16 activations with
 * int8 weights (int64 bias, int64 scratch) and float32 (TFLite's float
 * reference: scatter into the zeroed output, then bias and clamp). The output tensor's declared
 * shape is used; a constant output_shape must agree with it. */
#include <string.h>

#include "conv_ops_internal.h"
#include "xai/kernels_ref/arith_float.h"
#include "xai/kernels_ref/conv_float.h"

typedef struct {
  bool s16, f32;
  xai_conv_params p;
  xai_conv_f32_params pf;
  xai_conv_op_quant q;
  xai_dims4 in, filter, out;
  const void *bias;
  int32_t scratch;
} tconv_data;

/* A constant output_shape must equal the declared output dims. */
static xai_status check_shape_input(xai_op_ctx *ctx,
                                    const xai_rt_tensor *shape,
                                    const xai_dims4 *out) {
  if (shape->type != XAI_TYPE_INT32 || xai_rt_tensor_elements(shape) != 4)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output_shape tensor %d must be INT32 with 4 values",
                       (int)xai_conv_op_tensor_index(ctx, 0));
  if (shape->mem != XAI_MEM_CONST || !shape->data) return XAI_OK;
  int32_t v[4];
  memcpy(v, shape->data, sizeof v);
  if (v[0] != out->n || v[1] != out->h || v[2] != out->w || v[3] != out->c)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output_shape [%d, %d, %d, %d] differs from the output "
                       "tensor's shape [%d, %d, %d, %d]",
                       (int)v[0], (int)v[1], (int)v[2], (int)v[3],
                       (int)out->n, (int)out->h, (int)out->w, (int)out->c);
  return XAI_OK;
}

static xai_status prepare(xai_op_ctx *ctx) {
  xai_rt_tensor *shape, *filter, *in, *out;
  xai_rt_tensor *bias = xai_op_input(ctx, 3);
  xai_status st = xai_conv_op_input(ctx, 0, "output_shape", &shape);
  if (!st) st = xai_conv_op_input(ctx, 1, "weights", &filter);
  if (!st) st = xai_conv_op_input(ctx, 2, "input", &in);
  if (!st) st = xai_conv_op_output(ctx, &out);
  if (st) return st;
  const xai_transpose_conv_options *o = &ctx->options->u.transpose_conv;

  tconv_data *d = xai_op_alloc_persistent(ctx, sizeof *d);
  if (!d) return xai_op_fail(ctx, XAI_ERR_NO_MEMORY, "arena full");
  memset(d, 0, sizeof *d);
  ctx->data = d;

  if (in->type != XAI_TYPE_INT8 && in->type != XAI_TYPE_INT16 &&
      in->type != XAI_TYPE_FLOAT32)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input tensor %d is %s; expected FLOAT32, INT8 or "
                       "INT16",
                       (int)xai_conv_op_tensor_index(ctx, 2),
                       xai_tensor_type_name(in->type));
  d->s16 = in->type == XAI_TYPE_INT16;
  d->f32 = in->type == XAI_TYPE_FLOAT32;
  st = xai_conv_op_expect_type(ctx, out, UINT32_MAX, "output", in->type);
  if (!st) st = xai_conv_op_expect_type(ctx, filter, 1, "weights",
                                        d->f32 ? XAI_TYPE_FLOAT32
                                               : XAI_TYPE_INT8);
  if (!st) st = xai_conv_op_dims4(ctx, in, "input", &d->in);
  if (!st) st = xai_conv_op_dims4(ctx, filter, "weights", &d->filter);
  if (!st) st = xai_conv_op_dims4(ctx, out, "output", &d->out);
  /* TFLite's 16x8 transpose conv takes an int64 bias only. */
  if (!st) st = xai_conv_op_check_bias(ctx, bias, 3,
                                       d->f32   ? XAI_TYPE_FLOAT32
                                       : d->s16 ? XAI_TYPE_INT64
                                                : XAI_TYPE_INT32,
                                       d->filter.n);
  if (!st && !d->f32) st = xai_conv_op_expect_quant(ctx, in, "input");
  if (!st && !d->f32) st = xai_conv_op_expect_quant(ctx, out, "output");
  if (!st) st = check_shape_input(ctx, shape, &d->out);
  if (st) return st;
  if (d->s16 && (in->zero_point != 0 || out->zero_point != 0))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "int16 input/output zero points are %d/%d; TFLite's "
                       "16x8 transpose convolution needs both 0",
                       (int)in->zero_point, (int)out->zero_point);
  if (o->stride_w < 1 || o->stride_h < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "strides are %dx%d; must be >= 1",
                       (int)o->stride_h, (int)o->stride_w);
  if (d->filter.c != d->in.c || d->filter.n != d->out.c ||
      d->in.n != d->out.n)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "weights [%d, %d, %d, %d] do not connect input "
                       "channels %d to output channels %d (batches %d -> %d)",
                       (int)d->filter.n, (int)d->filter.h, (int)d->filter.w,
                       (int)d->filter.c, (int)d->in.c, (int)d->out.c,
                       (int)d->in.n, (int)d->out.n);

  d->p.stride_h = o->stride_h;
  d->p.stride_w = o->stride_w;
  d->p.dilation_h = d->p.dilation_w = 1;
  /* TFLite pads as for the forward convolution from the output back to
   * the input: the padding comes from the output size, filter and stride
   * alone (padding.h ComputePaddingHeightWidth with in = output size). */
  d->p.pad_h = xai_conv_pad(
      d->out.h, d->filter.h, o->stride_h, 1,
      xai_conv_out_size(o->padding, d->out.h, d->filter.h, o->stride_h, 1));
  d->p.pad_w = xai_conv_pad(
      d->out.w, d->filter.w, o->stride_w, 1,
      xai_conv_out_size(o->padding, d->out.w, d->filter.w, o->stride_w, 1));
  /* The kernels place input row iy at iy * stride - pad in int32: a huge
   * stride on a small output would overflow there (found by fuzz_xformer). */
  if ((int64_t)(d->in.h - 1) * o->stride_h + d->filter.h + d->p.pad_h >
          INT32_MAX ||
      (int64_t)(d->in.w - 1) * o->stride_w + d->filter.w + d->p.pad_w >
          INT32_MAX)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "strides %dx%d over a %dx%d input reach past 2^31 "
                       "output positions",
                       (int)o->stride_h, (int)o->stride_w, (int)d->in.h,
                       (int)d->in.w);
  if (d->f32) {
    d->pf = (xai_conv_f32_params){.stride_h = o->stride_h,
                                  .stride_w = o->stride_w,
                                  .dilation_h = 1, .dilation_w = 1,
                                  .pad_h = d->p.pad_h, .pad_w = d->p.pad_w};
    xai_activation_range_f32(o->fused_activation_function, &d->pf.act_min,
                             &d->pf.act_max);
    return xai_conv_op_const_aligned(ctx, bias, sizeof(float), &d->bias);
  }
  d->p.input_offset = -in->zero_point;
  d->p.output_offset = out->zero_point;
  xai_conv_op_act_range(out, o->fused_activation_function, &d->p.act_min,
                        &d->p.act_max);
  st = xai_conv_op_channel_quant(ctx, in, filter, out, d->filter.n, 0, &d->q);
  if (st) return st;
  size_t scratch = d->s16 ? xai_transpose_conv_s16_scratch_size(&d->out)
                          : xai_transpose_conv_s8_scratch_size(&d->out);
  st = xai_op_request_scratch(ctx, scratch, &d->scratch);
  if (st) return st;
  return xai_conv_op_const_aligned(
      ctx, bias, d->s16 ? sizeof(int64_t) : sizeof(int32_t), &d->bias);
}

static xai_status eval(xai_op_ctx *ctx) {
  const tconv_data *d = ctx->data;
  const xai_rt_tensor *filter = xai_op_input(ctx, 1);
  const xai_rt_tensor *in = xai_op_input(ctx, 2);
  const void *b = xai_conv_op_data(d->bias, xai_op_input(ctx, 3));
  xai_rt_tensor *out = xai_op_output(ctx, 0);
  if (d->f32) {
    xai_transpose_conv_f32_ref(&d->pf, &d->in, in->data, &d->filter,
                               filter->data, b, &d->out, out->data);
    return XAI_OK;
  }
  void *scratch = xai_op_scratch(ctx, d->scratch);
  xai_per_channel_quant q;
  xai_conv_op_quant_get(&d->q, &q);
  xai_status st =
      d->s16 ? xai_transpose_conv_s16_ref(&d->p, &q, &d->in, in->data,
                                          &d->filter, filter->data, b,
                                          &d->out, out->data, scratch)
             : xai_transpose_conv_s8_ref(&d->p, &q, &d->in, in->data,
                                         &d->filter, filter->data, b, &d->out,
                                         out->data, scratch);
  return st ? xai_conv_op_kernel_failed(ctx, st) : XAI_OK;
}

const xai_op_registration xai_op_transpose_conv = {XAI_OP_TRANSPOSE_CONV,
                                                   NULL, prepare, eval, NULL};
