/* SHAPE of a tensor whose shape is static becomes a constant: the ops it
 * feeds (STRIDED_SLICE, PACK, RESHAPE's new shape, ...) then see constant
 * inputs, and no SHAPE op is left for the device. A tensor is static when
 * its shape_signature (if any) has no -1. */
#include <string.h>

#include "canon_internal.h"

xai_status xf_canon_fold_shape(xf_ctx *x, uint32_t op, bool *done,
                               xai_error *err) {
  if (xf_op_builtin(x, op) != XAI_OP_SHAPE) return XAI_OK;
  const xai_operator *o = xf_op(x, op);
  if (o->input_count < 1 || o->output_count != 1) return XAI_OK;
  const int32_t in = o->inputs[0], out = o->outputs[0];
  const xai_tensor *ti = xf_tensor(x, in);
  xai_tensor *to = xf_tensor(x, out);
  if (!ti || !to || xf_is_graph_output(x, out) || ti->rank > 8) return XAI_OK;
  if (to->type != XAI_TYPE_INT32 && to->type != XAI_TYPE_INT64) return XAI_OK;
  if (to->rank != 1 || to->shape[0] != (int32_t)ti->rank) return XAI_OK;
  for (uint32_t i = 0; i < ti->shape_signature_count; i++)
    if (ti->shape_signature[i] < 0) return XAI_OK; /* dynamic */
  uint8_t data[8 * 8];
  const size_t w = to->type == XAI_TYPE_INT64 ? 8 : 4;
  for (uint32_t i = 0; i < ti->rank; i++) {
    if (ti->shape[i] < 0) return XAI_OK;
    if (w == 8) {
      int64_t v = ti->shape[i];
      memcpy(data + 8 * i, &v, 8);
    } else {
      memcpy(data + 4 * i, &ti->shape[i], 4);
    }
  }
  int32_t b = xai_model_add_buffer(x->m, data, w * ti->rank);
  if (b < 0) return xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
  to = xf_tensor(x, out); /* adding a buffer leaves tensors in place */
  to->buffer = (uint32_t)b;
  xai_status st = xai_model_remove_operator(x->m, 0, op);
  if (st)
    return xai_fail(err, st, "canonicalise: cannot remove SHAPE op %u: %s",
                    op, xai_error_text(err));
  xf_canon_count_fold(x, NULL, 0, w * ti->rank);
  *done = true;
  return XAI_OK;
}
