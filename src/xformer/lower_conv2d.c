/* CONV_2D -> XAI_conv2d (docs/xcore_ops.md). Lowered when input and output
 * are int8, the filter is a constant int8 OHWI tensor with one group, and
 * the bias is absent or a constant int32 vector; the xcore kernel then
 * gives exactly the bits of the reference op (src/runtime/ops/
 * conv_conv2d.c), whose parameter derivation this repeats. */
#include <stdlib.h>

#include "lower_conv_internal.h"
#include "xai/kernels_xcore/conv.h"

/* Geometry and quantization shared by CONV_2D and DEPTHWISE_CONV_2D. */
typedef struct {
  int32_t in_t, filter_t, bias_t, out_t;
  xai_dims4 in, filter, out;
  xai_conv_params p;
  float in_scale, out_scale;
} conv_geom;

/* Fills g from op's tensors and options (padding, strides, dilations,
 * activation); false (with a note) when the op is not an int8 conv the
 * reference op would accept. */
static bool conv_geometry(xf_ctx *x, uint32_t op, int padding,
                          int32_t stride_h, int32_t stride_w, int32_t dil_h,
                          int32_t dil_w, int activation, int32_t out_c,
                          conv_geom *g) {
  xai_operator *o = xf_op(x, op);
  if (o->input_count < 2 || o->output_count < 1) {
    xf_keep(x, op, "needs input, filter and output");
    return false;
  }
  g->in_t = o->inputs[0];
  g->filter_t = o->inputs[1];
  g->bias_t = o->input_count > 2 ? o->inputs[2] : -1;
  g->out_t = o->outputs[0];
  int32_t zi = 0, zo = 0;
  if (!xf_conv_int8_act(x, op, g->in_t, "input", &g->in_scale, &zi) ||
      !xf_conv_int8_act(x, op, g->out_t, "output", &g->out_scale, &zo) ||
      !xf_conv_dims4(x, op, g->in_t, "input", &g->in) ||
      !xf_conv_dims4(x, op, g->filter_t, "filter", &g->filter) ||
      !xf_conv_dims4(x, op, g->out_t, "output", &g->out))
    return false;
  if (stride_h < 1 || stride_w < 1) {
    xf_keep(x, op, "strides %dx%d are invalid", (int)stride_h, (int)stride_w);
    return false;
  }
  dil_h = dil_h > 0 ? dil_h : 1;
  dil_w = dil_w > 0 ? dil_w : 1;
  xai_dims4 want = {g->in.n,
                    xai_conv_out_size(padding, g->in.h, g->filter.h, stride_h,
                                      dil_h),
                    xai_conv_out_size(padding, g->in.w, g->filter.w, stride_w,
                                      dil_w),
                    out_c};
  if (want.n != g->out.n || want.h != g->out.h || want.w != g->out.w ||
      want.c != g->out.c) {
    xf_keep(x, op, "output shape disagrees with input, filter and options");
    return false;
  }
  g->p.stride_h = stride_h;
  g->p.stride_w = stride_w;
  g->p.dilation_h = dil_h;
  g->p.dilation_w = dil_w;
  g->p.pad_h = xai_conv_pad(g->in.h, g->filter.h, stride_h, dil_h, want.h);
  g->p.pad_w = xai_conv_pad(g->in.w, g->filter.w, stride_w, dil_w, want.w);
  g->p.input_offset = -zi;
  g->p.output_offset = zo;
  xf_conv_act_range(activation, g->out_scale, zo, &g->p.act_min,
                    &g->p.act_max);
  return true;
}

static void add_geometry(xai_flexbuf_builder *b, const conv_geom *g) {
  xai_flexbuf_add_int(b, "ih", g->in.h);
  xai_flexbuf_add_int(b, "iw", g->in.w);
  xai_flexbuf_add_int(b, "ic", g->in.c);
  xai_flexbuf_add_int(b, "oh", g->out.h);
  xai_flexbuf_add_int(b, "ow", g->out.w);
  xai_flexbuf_add_int(b, "oc", g->out.c);
  xai_flexbuf_add_int(b, "kh", g->filter.h);
  xai_flexbuf_add_int(b, "kw", g->filter.w);
  xai_flexbuf_add_int(b, "sh", g->p.stride_h);
  xai_flexbuf_add_int(b, "sw", g->p.stride_w);
  xai_flexbuf_add_int(b, "dh", g->p.dilation_h);
  xai_flexbuf_add_int(b, "dw", g->p.dilation_w);
  xai_flexbuf_add_int(b, "ph", g->p.pad_h);
  xai_flexbuf_add_int(b, "pw", g->p.pad_w);
  xai_flexbuf_add_int(b, "zi", -g->p.input_offset);
}

/* Shared tail: weights, bias, multipliers, pack, emit. */
static xai_status lower(xf_ctx *x, uint32_t op, const conv_geom *g,
                        bool depthwise, bool *done, xai_error *err) {
  const int32_t n_out = g->out.c;
  size_t fbytes = (size_t)g->filter.n * (size_t)g->filter.h *
                  (size_t)g->filter.w * (size_t)g->filter.c;
  const int8_t *w = xf_conv_weights(x, op, g->filter_t, fbytes, "filter");
  if (!w) return XAI_OK;
  int32_t *bias = NULL;
  bool oom = false;
  if (!xf_conv_bias(x, op, g->bias_t, n_out, &bias, &oom))
    return oom ? xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory")
               : XAI_OK;
  int32_t *mult = malloc((size_t)n_out * sizeof *mult);
  int32_t *shift = malloc((size_t)n_out * sizeof *shift);
  /* A depthwise layer of one input channel is a CONV_2D of one input
   * channel (output channel c's filter is filter[0][ky][kx][c]); the
   * CONV_2D kernel reads its input rows in place (window layout) where the
   * depthwise kernel gathers every lane, so it is emitted as XAI_conv2d
   * with the filter transposed to OHWI. Only with one group of 16 output
   * channels, where CONV_2D needs no arena scratch either. */
  const bool as_conv = depthwise && g->in.c == 1 && n_out <= 16;
  conv_geom gc = *g;
  int8_t *wt = NULL;
  if (as_conv) {
    gc.filter = (xai_dims4){n_out, g->filter.h, g->filter.w, 1};
    wt = malloc(fbytes);
    if (wt) {
      size_t taps = (size_t)g->filter.h * (size_t)g->filter.w;
      for (size_t t = 0; t < taps; t++)
        for (int32_t c = 0; c < n_out; c++)
          wt[(size_t)c * taps + t] = w[t * (size_t)n_out + (size_t)c];
    }
  }
  const conv_geom *ge = as_conv ? &gc : g;
  const int8_t *we = as_conv ? wt : w;
  const bool dw_kernel = depthwise && !as_conv;
  xai_status st = XAI_OK;
  if (!mult || !shift || (as_conv && !wt)) {
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
    goto out;
  }
  /* CONV_2D filters are quantized along dimension 0, depthwise along 3. */
  if (!xf_conv_quant(x, op, g->in_scale, g->filter_t, g->out_scale, n_out,
                     depthwise ? 3 : 0, false, mult, shift))
    goto out;
  size_t size =
      dw_kernel
          ? xai_dwconv2d_s8_xcore_packed_size(&g->in, &g->filter, &g->out)
          : xai_conv2d_s8_xcore_packed_size_p(&ge->p, &ge->in, &ge->filter,
                                              &ge->out);
  if (size == 0) {
    xf_keep(x, op, "shapes the xcore kernel cannot take");
    goto out;
  }
  xf_conv_emit e;
  /* Bundles of one output pixel, the unit the runtime splits over
   * threads (an estimate of the kernels' loops: per group of 16
   * channels, 17 per 32-byte chunk of the patch, or 2 per tap for
   * depthwise, plus about 45 for the requantization). */
  uint64_t taps = (uint64_t)g->filter.h * (uint64_t)g->filter.w;
  uint64_t chunk_bundles =
      depthwise ? 2u * taps
                : 17u * ((taps * (uint64_t)g->filter.c + 31u) / 32u);
  uint64_t pixel_bundles =
      (uint64_t)((g->out.c + 15) / 16) * (chunk_bundles + 47u);
  st = xf_conv_emit_begin(
      &e, size,
      xf_conv_threads(x, (int64_t)g->out.n * g->out.h * g->out.w,
                      pixel_bundles),
      err);
  if (st) goto out;
  xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  xai_conv_xcore packed;
  xai_error kerr = {0};
  xai_status ks =
      dw_kernel
          ? xai_dwconv2d_s8_xcore_pack(&g->p, &q, &g->in, &g->filter, w, bias,
                                       &g->out, e.blob, size, &packed, &kerr)
          : xai_conv2d_s8_xcore_pack(&ge->p, &q, &ge->in, &ge->filter, we,
                                     bias, &ge->out, e.blob, size, &packed,
                                     &kerr);
  if (ks != XAI_OK) {
    xf_conv_emit_free(&e);
    if (!xf_conv_pack_refused(x, op, ks, &kerr))
      st = xai_fail(err, ks, "op %u: %s", op, kerr.message);
    goto out;
  }
  /* size was enough for any blob of this geometry; the packed one is as
   * large as its requantization records need. */
  e.blob_size = xai_xcore_blob_bytes(packed.weights, packed.consts);
  add_geometry(&e.opts, g);
  st = xf_conv_emit_finish(x, op, &e,
                           dw_kernel ? "XAI_depthwise_conv2d" : "XAI_conv2d",
                           g->in_t, g->out_t, err);
  if (!st) *done = true;
out:
  free(wt);
  free(bias);
  free(mult);
  free(shift);
  return st;
}

xai_status xf_lower_conv2d(xf_ctx *x, uint32_t op, bool *done,
                           xai_error *err) {
  const xai_conv2d_options *o = &xf_op(x, op)->options.u.conv2d;
  conv_geom g = {0};
  xai_tensor *f = xf_tensor(x, xf_op(x, op)->input_count > 1
                                    ? xf_op(x, op)->inputs[1] : -1);
  int32_t out_c = f && f->rank == 4 ? f->shape[0] : 0;
  if (!conv_geometry(x, op, o->padding, o->stride_h, o->stride_w,
                     o->dilation_h_factor, o->dilation_w_factor,
                     o->fused_activation_function, out_c, &g))
    return XAI_OK;
  if (g.filter.c != g.in.c) {
    xf_keep(x, op, "grouped convolution (%d input channels, filter depth "
            "%d) has no xcore kernel", (int)g.in.c, (int)g.filter.c);
    return XAI_OK;
  }
  return lower(x, op, &g, false, done, err);
}

xai_status xf_lower_depthwise_conv2d(xf_ctx *x, uint32_t op, bool *done,
                                     xai_error *err) {
  const xai_depthwise_conv2d_options *o =
      &xf_op(x, op)->options.u.depthwise_conv2d;
  conv_geom g = {0};
  xai_tensor *f = xf_tensor(x, xf_op(x, op)->input_count > 1
                                    ? xf_op(x, op)->inputs[1] : -1);
  int32_t out_c = f && f->rank == 4 ? f->shape[3] : 0;
  if (!conv_geometry(x, op, o->padding, o->stride_h, o->stride_w,
                     o->dilation_h_factor, o->dilation_w_factor,
                     o->fused_activation_function, out_c, &g))
    return XAI_OK;
  if (g.filter.n != 1 || g.filter.c % g.in.c != 0) {
    xf_keep(x, op, "filter shape does not fit %d input channels",
            (int)g.in.c);
    return XAI_OK;
  }
  int32_t mult = g.filter.c / g.in.c;
  if (o->depth_multiplier > 0 && o->depth_multiplier != mult) {
    xf_keep(x, op, "depth_multiplier option %d disagrees with the filter",
            (int)o->depth_multiplier);
    return XAI_OK;
  }
  return lower(x, op, &g, true, done, err);
}
