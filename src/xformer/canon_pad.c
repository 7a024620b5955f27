/* Folds an explicit PAD/PADV2 of the spatial axes into the VALID CONV_2D or
 * DEPTHWISE_CONV_2D reading it. Our runtime (like TFLite) takes a conv's
 * padding from its SAME/VALID option only (conv_conv2d.c: xai_conv_pad of
 * the SAME output size), so the fold is done exactly when the explicit pad
 * is what SAME would pad: same output size and the same top/left amount.
 * Then every output reads the same window: padded pixels hold the input
 * zero point in the VALID form and are skipped in the SAME form, and both
 * contribute (zp - zp) * w = 0 to the sum (the common Keras
 * ZeroPadding2D + VALID conv pattern). */
#include <string.h>

#include "canon_internal.h"
#include "xai/kernels_ref/conv.h"

/* Reads PAD's [4][2] paddings (int32 or int64 constant) into pads. */
static bool read_pads(xf_ctx *x, int32_t t, int64_t pads[8]) {
  const xai_tensor *tt = xf_tensor(x, t);
  size_t size = 0;
  const uint8_t *d = xf_const_data(x, t, &size);
  if (!tt || !d || tt->rank != 2 || tt->shape[0] != 4 || tt->shape[1] != 2)
    return false;
  if (tt->type == XAI_TYPE_INT32 && size >= 32) {
    for (int i = 0; i < 8; i++) {
      int32_t v;
      memcpy(&v, d + 4 * i, 4);
      pads[i] = v;
    }
    return true;
  }
  if (tt->type == XAI_TYPE_INT64 && size >= 64) {
    for (int i = 0; i < 8; i++) memcpy(&pads[i], d + 8 * i, 8);
    return true;
  }
  return false;
}

/* Whether VALID over in+lead+trail equals SAME over in, axis by axis. */
static bool same_as_valid(int32_t in, int64_t lead, int64_t trail,
                          int32_t filter, int32_t stride, int32_t dil) {
  if (lead < 0 || trail < 0 || lead > 4096 || trail > 4096) return false;
  int32_t padded = in + (int32_t)lead + (int32_t)trail;
  int32_t valid = xai_conv_out_size(XAI_PADDING_VALID, padded, filter, stride, dil);
  int32_t same = xai_conv_out_size(XAI_PADDING_SAME, in, filter, stride, dil);
  return valid > 0 && valid == same &&
         xai_conv_pad(in, filter, stride, dil, same) == lead;
}

xai_status xf_canon_fold_pad(xf_ctx *x, uint32_t op, bool *done,
                             xai_error *err) {
  *done = false;
  int32_t code = xf_op_builtin(x, op);
  if (code != XAI_OP_PAD && code != XAI_OP_PADV2) return XAI_OK;
  xai_operator *o = xf_op(x, op);
  if (o->input_count < 2 || o->output_count != 1) return XAI_OK;
  int32_t in = o->inputs[0], out = o->outputs[0];
  const xai_tensor *ti = xf_tensor(x, in);
  if (!ti || ti->type != XAI_TYPE_INT8 || ti->rank != 4 ||
      !xf_canon_same_quant(x, in, out) || xf_is_graph_output(x, out) ||
      xf_consumer_count(x, out) != 1)
    return XAI_OK;
  float scale;
  int32_t zp;
  if (!xf_quant(x, out, &scale, &zp)) return XAI_OK;
  if (code == XAI_OP_PADV2 && o->input_count >= 3 && o->inputs[2] >= 0) {
    size_t n = 0;
    const uint8_t *v = xf_const_data(x, o->inputs[2], &n);
    const xai_tensor *tv = xf_tensor(x, o->inputs[2]);
    if (!v || n < 1 || tv->type != XAI_TYPE_INT8 || (int8_t)v[0] != zp)
      return XAI_OK;
  }
  int64_t pads[8];
  if (!read_pads(x, o->inputs[1], pads) || pads[0] || pads[1] || pads[6] ||
      pads[7])
    return XAI_OK;
  /* The single consumer: a VALID conv reading the pad output as its data. */
  xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t c = op + 1;
  while (c < sg->operator_count && !(sg->operators[c].input_count > 0 &&
                                     sg->operators[c].inputs[0] == out))
    c++;
  if (c >= sg->operator_count) return XAI_OK;
  int32_t cc = xf_op_builtin(x, c);
  xai_operator *co = &sg->operators[c];
  if (co->input_count < 2) return XAI_OK;
  const xai_tensor *tf = xf_tensor(x, co->inputs[1]);
  if (!tf || tf->rank != 4) return XAI_OK;
  int8_t *padding;
  int32_t sh, sw, dh, dw;
  if (cc == XAI_OP_CONV_2D && co->options.type == XAI_OPTS_CONV2D) {
    xai_conv2d_options *cv = &co->options.u.conv2d;
    padding = &cv->padding;
    sh = cv->stride_h, sw = cv->stride_w;
    dh = cv->dilation_h_factor, dw = cv->dilation_w_factor;
  } else if (cc == XAI_OP_DEPTHWISE_CONV_2D &&
             co->options.type == XAI_OPTS_DEPTHWISE_CONV2D) {
    xai_depthwise_conv2d_options *cv = &co->options.u.depthwise_conv2d;
    padding = &cv->padding;
    sh = cv->stride_h, sw = cv->stride_w;
    dh = cv->dilation_h_factor, dw = cv->dilation_w_factor;
  } else {
    return XAI_OK;
  }
  if (*padding != XAI_PADDING_VALID) return XAI_OK;
  /* Filters are [out, h, w, in] (CONV_2D) or [1, h, w, c] (depthwise). */
  if (!same_as_valid(ti->shape[1], pads[2], pads[3], tf->shape[1], sh, dh) ||
      !same_as_valid(ti->shape[2], pads[4], pads[5], tf->shape[2], sw, dw))
    return XAI_OK;
  *padding = XAI_PADDING_SAME;
  co->inputs[0] = in;
  xai_status st = xai_model_remove_operator(x->m, 0, op);
  if (st)
    return xai_fail(err, st, "canonicalise: cannot remove op %u: %s", op,
                    xai_error_text(err));
  x->canon_pads_folded++;
  *done = true;
  return XAI_OK;
}
