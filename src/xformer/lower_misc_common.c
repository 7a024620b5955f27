/* Helpers shared by the misc lowerings (lower_misc_internal.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower_misc_internal.h"

bool xf_misc_s8(xf_ctx *x, int32_t t, xf_misc_quant *q) {
  const xai_tensor *tt = xf_tensor(x, t);
  memset(q, 0, sizeof *q);
  if (!tt || tt->type != XAI_TYPE_INT8) return false;
  q->present = xf_quant(x, t, &q->scale, &q->zero_point);
  return true;
}

bool xf_misc_quant_ok(const xf_misc_quant *q) {
  return q->present && isfinite(q->scale) && q->scale > 0.0f;
}

bool xf_misc_same_shape(xf_ctx *x, int32_t a, int32_t b) {
  const xai_tensor *ta = xf_tensor(x, a), *tb = xf_tensor(x, b);
  if (!ta || !tb || ta->rank != tb->rank) return false;
  for (uint32_t i = 0; i < ta->rank; i++)
    if (ta->shape[i] != tb->shape[i]) return false;
  return true;
}

void xf_misc_options_begin(xf_ctx *x, xai_flexbuf_builder *b) {
  xai_flexbuf_builder_init(b, NULL, 0);
  xai_flexbuf_map_begin(b, NULL);
  xai_flexbuf_add_uint(b, "th", x->opt->thread_count);
}

xai_status xf_misc_replace(xf_ctx *x, uint32_t op, const char *code,
                           const int32_t *inputs, uint32_t input_count,
                           const void *packed, size_t packed_size,
                           xai_flexbuf_builder *b, xai_error *err) {
  int32_t ins[16], outs[8];
  const xai_operator *o = xf_op(x, op);
  xai_status st = XAI_OK;
  if (!o || input_count + 1 > 16 || o->output_count > 8) {
    xai_flexbuf_builder_free(b);
    return xai_fail(err, XAI_ERR_ARGUMENT, "op %u: too many tensors for %s",
                    op, code);
  }
  const uint32_t out_count = o->output_count;
  memcpy(outs, o->outputs, out_count * sizeof(int32_t));
  memcpy(ins, inputs, input_count * sizeof(int32_t));
  uint32_t n = input_count;
  if (packed_size > 0) {
    char name[64];
    snprintf(name, sizeof name, "%s_packed_%u", code, op);
    const int32_t shape[1] = {(int32_t)packed_size};
    int32_t t = xf_add_const(x, name, XAI_TYPE_UINT8, shape, 1, packed,
                             packed_size);
    if (t < 0) {
      xai_flexbuf_builder_free(b);
      return xai_fail(err, XAI_ERR_NO_MEMORY, "op %u: out of memory", op);
    }
    ins[n++] = t;
  }
  const uint8_t *opts;
  size_t opts_size;
  xai_flexbuf_map_end(b);
  st = xai_flexbuf_finish(b, &opts, &opts_size, err);
  if (!st)
    st = xf_replace_custom(x, op, code, ins, n, outs, out_count, opts,
                           opts_size, err);
  xai_flexbuf_builder_free(b);
  return st;
}
