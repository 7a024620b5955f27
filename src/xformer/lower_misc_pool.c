/* MAX_POOL_2D and AVERAGE_POOL_2D (int8, NHWC, incl. global pooling) ->
 * XAI_maxpool2d / XAI_avgpool2d, with the parameters the reference op
 * (src/runtime/ops/conv_pooling.c) derives: geometry from the options and
 * tensor shapes, SAME/VALID padding, the fused activation as a clamp in
 * the output's quantization (TFLite pooling does not requantize). */
#include <stdlib.h>

#include "lower_misc_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/kernels_xcore/pool.h"

static xai_status lower_pool(xf_ctx *x, uint32_t op, bool avg, bool *done,
                             xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  const char *name = avg ? "AVERAGE_POOL_2D" : "MAX_POOL_2D";
  xf_misc_quant qi, qo;
  if (o->input_count < 1 || o->output_count != 1) {
    xf_keep(x, op, "%s: unexpected tensor count", name);
    return XAI_OK;
  }
  const int32_t in = o->inputs[0], out = o->outputs[0];
  if (!xf_misc_s8(x, in, &qi) || !xf_misc_s8(x, out, &qo)) {
    xf_keep(x, op, "%s: not int8 (xcore pooling is int8 only)", name);
    return XAI_OK;
  }
  if (!xf_misc_quant_ok(&qo)) {
    xf_keep(x, op, "%s: output has no quantization scale", name);
    return XAI_OK;
  }
  const xai_tensor *ti = xf_tensor(x, in), *to = xf_tensor(x, out);
  if (ti->rank != 4 || to->rank != 4) {
    xf_keep(x, op, "%s: tensors are not 4-D NHWC", name);
    return XAI_OK;
  }
  const xai_pool2d_options *po = &o->options.u.pool2d;
  if (po->stride_w < 1 || po->stride_h < 1 || po->filter_width < 1 ||
      po->filter_height < 1) {
    xf_keep(x, op, "%s: filter or stride below 1", name);
    return XAI_OK;
  }
  const xai_dims4 di = {ti->shape[0], ti->shape[1], ti->shape[2],
                        ti->shape[3]};
  const xai_dims4 dout = {di.n,
                          xai_conv_out_size(po->padding, di.h,
                                            po->filter_height, po->stride_h,
                                            1),
                          xai_conv_out_size(po->padding, di.w,
                                            po->filter_width, po->stride_w,
                                            1),
                          di.c};
  if (to->shape[0] != dout.n || to->shape[1] != dout.h ||
      to->shape[2] != dout.w || to->shape[3] != dout.c) {
    xf_keep(x, op, "%s: output shape does not match the pooling geometry",
            name);
    return XAI_OK;
  }
  xai_pool_params p = {0};
  p.stride_h = po->stride_h;
  p.stride_w = po->stride_w;
  p.filter_h = po->filter_height;
  p.filter_w = po->filter_width;
  p.pad_h = xai_conv_pad(di.h, p.filter_h, p.stride_h, 1, dout.h);
  p.pad_w = xai_conv_pad(di.w, p.filter_w, p.stride_w, 1, dout.w);
  xai_activation_range_quantized(po->fused_activation_function, qo.scale,
                                 qo.zero_point, INT8_MIN, INT8_MAX,
                                 &p.act_min, &p.act_max);

  xai_avgpool_div *divs = NULL;
  size_t n_divs = 0;
  if (avg) {
    n_divs = xai_avgpool2d_s8_xcore_div_count(&p);
    divs = calloc(n_divs ? n_divs : 1, sizeof *divs);
    if (!divs) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    xai_status st = xai_avgpool2d_s8_xcore_pack(&p, divs, n_divs, err);
    if (st) {
      free(divs);
      return st;
    }
  }
  xai_flexbuf_builder b;
  xf_misc_options_begin(x, &b);
  xai_flexbuf_add_int(&b, "fh", p.filter_h);
  xai_flexbuf_add_int(&b, "fw", p.filter_w);
  xai_flexbuf_add_int(&b, "sh", p.stride_h);
  xai_flexbuf_add_int(&b, "sw", p.stride_w);
  xai_flexbuf_add_int(&b, "ph", p.pad_h);
  xai_flexbuf_add_int(&b, "pw", p.pad_w);
  xai_flexbuf_add_int(&b, "lo", p.act_min);
  xai_flexbuf_add_int(&b, "hi", p.act_max);
  xai_status st = xf_misc_replace(
      x, op, avg ? "XAI_avgpool2d" : "XAI_maxpool2d", &in, 1, divs,
      n_divs * sizeof *divs, &b, err);
  free(divs);
  if (!st) *done = true;
  return st;
}

xai_status xf_lower_maxpool2d(xf_ctx *x, uint32_t op, bool *done,
                              xai_error *err) {
  return lower_pool(x, op, false, done, err);
}

xai_status xf_lower_avgpool2d(xf_ctx *x, uint32_t op, bool *done,
                              xai_error *err) {
  return lower_pool(x, op, true, done, err);
}
