/* FULLY_CONNECTED -> XAI_fc (docs/xcore_ops.md). Lowered for int8 input
 * and output, constant symmetric int8 weights [units, depth] in the default
 * format, and an absent or constant int32 bias; the xcore kernel then gives
 * the bits of the reference op (src/runtime/ops/conv_fully_connected.c):
 * LiteRT's single rounding, the per-tensor multiplier from the float
 * product of the scales, any number of batch rows. */
#include <stdlib.h>

#include "lower_conv_internal.h"
#include "xai/kernels_xcore/fc.h"

static size_t elements(const xai_tensor *t) {
  size_t n = 1;
  for (uint32_t i = 0; i < t->rank; i++)
    n *= t->shape[i] > 0 ? (size_t)t->shape[i] : 0u;
  return n;
}

/* Output dims as the reference op accepts them (check_output there). */
static bool output_ok(const xai_tensor *in, const xai_tensor *out,
                      bool keep_dims, int32_t batches, int32_t units) {
  bool ok = out->rank >= 1 && out->shape[out->rank - 1] == units &&
            elements(out) == (size_t)batches * (size_t)units;
  if (ok && keep_dims) {
    ok = out->rank == in->rank;
    for (uint32_t i = 0; ok && i + 1 < in->rank; i++)
      ok = out->shape[i] == in->shape[i];
  }
  return ok;
}

xai_status xf_lower_fully_connected(xf_ctx *x, uint32_t op, bool *done,
                                    xai_error *err) {
  xai_operator *o = xf_op(x, op);
  const xai_fully_connected_options *fo = &o->options.u.fully_connected;
  if (o->input_count < 2 || o->output_count < 1) {
    xf_keep(x, op, "needs input, weights and output");
    return XAI_OK;
  }
  int32_t in_t = o->inputs[0], w_t = o->inputs[1], out_t = o->outputs[0];
  int32_t bias_t = o->input_count > 2 ? o->inputs[2] : -1;
  float in_scale, out_scale;
  int32_t zi, zo;
  if (!xf_conv_int8_act(x, op, in_t, "input", &in_scale, &zi) ||
      !xf_conv_int8_act(x, op, out_t, "output", &out_scale, &zo))
    return XAI_OK;
  if (fo->weights_format != 0) {
    xf_keep(x, op, "weights format %d (only the default is lowered)",
            (int)fo->weights_format);
    return XAI_OK;
  }
  int act = fo->fused_activation_function;
  if (act != XAI_ACT_NONE && act != XAI_ACT_RELU &&
      act != XAI_ACT_RELU_N1_TO_1 && act != XAI_ACT_RELU6) {
    xf_keep(x, op, "fused activation %d is not one FULLY_CONNECTED allows",
            act);
    return XAI_OK;
  }
  xai_tensor *in = xf_tensor(x, in_t), *w = xf_tensor(x, w_t);
  xai_tensor *out = xf_tensor(x, out_t);
  if (!w || w->rank != 2 || w->shape[0] < 1 || w->shape[1] < 1) {
    xf_keep(x, op, "weights are not a [units, depth] matrix");
    return XAI_OK;
  }
  const int32_t units = w->shape[0], depth = w->shape[1];
  size_t in_elems = elements(in);
  if (in->rank < 1 || in_elems == 0 || in_elems % (size_t)depth != 0 ||
      in_elems / (size_t)depth > INT32_MAX ||
      (fo->keep_num_dims && in->shape[in->rank - 1] != depth)) {
    xf_keep(x, op, "input is not a whole number of rows of depth %d",
            (int)depth);
    return XAI_OK;
  }
  const int32_t batches = (int32_t)(in_elems / (size_t)depth);
  if (!output_ok(in, out, fo->keep_num_dims, batches, units)) {
    xf_keep(x, op, "output shape disagrees with %d batches x %d units",
            (int)batches, (int)units);
    return XAI_OK;
  }
  const int8_t *wd = xf_conv_weights(x, op, w_t,
                                     (size_t)units * (size_t)depth, "weights");
  if (!wd) return XAI_OK;
  for (uint32_t i = 0; i < w->quant.zero_point_count; i++)
    if (w->quant.zero_point[i] != 0) {
      xf_keep(x, op, "weights zero point %lld: the xcore kernel needs "
              "symmetric weights", (long long)w->quant.zero_point[i]);
      return XAI_OK;
    }
  int32_t *bias = NULL;
  bool oom = false;
  if (!xf_conv_bias(x, op, bias_t, units, &bias, &oom))
    return oom ? xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory")
               : XAI_OK;
  xai_status st = XAI_OK;
  int32_t *mult = malloc((size_t)units * sizeof *mult);
  int32_t *shift = malloc((size_t)units * sizeof *shift);
  if (!mult || !shift) {
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
    goto out;
  }
  if (!xf_conv_quant(x, op, in_scale, w_t, out_scale, units, 0, true, mult,
                     shift))
    goto out;
  xai_fc_params p = {0};
  p.input_offset = -zi;
  p.filter_offset = 0;
  p.output_offset = zo;
  /* LiteRT's int8 FULLY_CONNECTED rounds once, TFLite Micro's twice (see
   * the reference op). */
  p.single_rounding = x->opt->litert_semantics != 0;
  xf_conv_act_range(act, out_scale, zo, &p.act_min, &p.act_max);
  xai_fc_dims d = {batches, depth, units};
  size_t size = xai_fc_s8_xcore_packed_size(&d);
  xf_conv_emit e;
  /* A group of 16 units per batch row: bias, 17 bundles per 32 inputs,
   * about 45 for the requantization (an estimate: the choice only needs
   * the order of magnitude next to the fork/join cost). */
  uint64_t group_bundles =
      (uint64_t)batches * (17u * (((uint64_t)depth + 31u) / 32u) + 47u);
  st = xf_conv_emit_begin(
      &e, size,
      xf_conv_threads(x, ((int64_t)units + 15) / 16, group_bundles), err);
  if (st) goto out;
  xai_per_channel_quant q = {.multiplier = mult, .shift = shift};
  xai_fc_xcore packed;
  xai_error kerr = {0};
  xai_status ks = xai_fc_s8_xcore_pack(&p, &q, &d, wd, bias, e.blob, size,
                                       &packed, &kerr);
  if (ks != XAI_OK) {
    xf_conv_emit_free(&e);
    if (!xf_conv_pack_refused(x, op, ks, &kerr))
      st = xai_fail(err, ks, "op %u: %s", op, kerr.message);
    goto out;
  }
  /* size was an upper bound */
  e.blob_size = xai_xcore_blob_bytes(packed.weights, packed.consts);
  xai_flexbuf_add_int(&e.opts, "k", depth);
  xai_flexbuf_add_int(&e.opts, "n", units);
  xai_flexbuf_add_int(&e.opts, "zi", zi);
  st = xf_conv_emit_finish(x, op, &e, "XAI_fc", in_t, out_t, err);
  if (!st) *done = true;
out:
  free(bias);
  free(mult);
  free(shift);
  return st;
}
