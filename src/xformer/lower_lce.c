/* Binarized networks (Larq Compute Engine custom ops). LceBconv2d becomes
 * XAI_bconv2d (lower_bconv.c) and LceQuantize XAI_bquantize (here: the
 * same op with a thread count); LceDequantize and an unfused
 * LceBMaxPool2d stay as they are. Their float batch-norm parameters are
 * not a sign of an unquantized model. */
#include <stdio.h>
#include <string.h>

#include "lower_conv_internal.h" /* xf_conv_threads */
#include "xai/flexbuf.h"
#include "xai/kernels_ref/lce.h"

bool xf_lce_op_name(const char *custom_code) {
  static const char *const names[] = {"LceQuantize", "LceDequantize",
                                      "LceBconv2d", "LceBMaxPool2d"};
  if (!custom_code) return false;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(custom_code, names[i]) == 0) return true;
  return false;
}

bool xf_lce_input_movable(const char *custom_code, uint32_t k) {
  return strcmp(custom_code, "LceBconv2d") == 0 && (k == 1 || k == 4);
}

void xf_lce_layer_note(const xai_op_cost *cost, char *note, size_t size) {
  uint64_t bundles = cost->bundles_max * (cost->threads ? cost->threads : 1);
  double util = bundles ? (double)cost->macs /
                              (XAI_XCORE_PEAK_BINARY_MACS_PER_BUNDLE *
                               (double)bundles)
                        : 0.0;
  snprintf(note, size, "binary MACs; %.1f%% of the 1-bit peak (VLMACCR1)",
           100.0 * util);
}

bool xf_lce_binary_op(const char *op_name) {
  return strcmp(op_name, "LceBconv2d") == 0 ||
         strcmp(op_name, "XAI_bconv2d") == 0;
}

/* Bundles of one row (the unit split over threads): about 7 a 32-value
 * word on the VPU for int8 input, 3 a value + 2 a word for float. */
static xai_status lower_quantize(xf_ctx *x, uint32_t op, xai_error *err) {
  xai_operator *o = xf_op(x, op);
  if (o->input_count != 1 || o->output_count != 1) return XAI_OK;
  const xai_tensor *in = xf_tensor(x, o->inputs[0]);
  const xai_tensor *out = xf_tensor(x, o->outputs[0]);
  if (!in || !out || in->rank == 0 || out->type != XAI_TYPE_INT32 ||
      (in->type != XAI_TYPE_INT8 && in->type != XAI_TYPE_FLOAT32))
    return XAI_OK; /* the runtime's LceQuantize names the problem */
  int64_t rows = 1;
  for (uint32_t i = 0; i + 1 < in->rank; i++) rows *= in->shape[i];
  int32_t cols = in->shape[in->rank - 1];
  uint64_t per_row = in->type == XAI_TYPE_INT8
                         ? 7u * (uint64_t)xai_lce_words(cols)
                         : 3u * (uint64_t)cols + 2u * (uint64_t)xai_lce_words(cols);
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_int(&b, "th", xf_conv_threads(x, rows, per_row));
  xai_flexbuf_map_end(&b);
  const uint8_t *opts = NULL;
  size_t size = 0;
  xai_status st = xai_flexbuf_finish(&b, &opts, &size, err);
  if (!st) {
    int32_t ins[1] = {o->inputs[0]}, outs[1] = {o->outputs[0]};
    st = xf_replace_custom(x, op, "XAI_bquantize", ins, 1, outs, 1, opts,
                           size, err);
  }
  xai_flexbuf_builder_free(&b);
  return st;
}

xai_status xf_lower_lce(xf_ctx *x, uint32_t op, xai_error *err) {
  const xai_operator *o = xf_op(x, op);
  const char *code = x->m->opcodes[o->opcode_index].custom_code;
  if (!code) return XAI_OK;
  if (strcmp(code, "LceBconv2d") == 0) return xf_lower_lce_bconv(x, op, err);
  if (strcmp(code, "LceQuantize") == 0) return lower_quantize(x, op, err);
  return XAI_OK;
}
