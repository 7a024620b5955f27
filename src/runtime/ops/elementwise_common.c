/* Helpers shared by the element-wise and activation op adapters. */
#include <stdio.h>
#include <string.h>

#include "elementwise_internal.h"

xai_status xai_ew_input(xai_op_ctx *ctx, uint32_t i, xai_rt_tensor **out) {
  *out = xai_op_input(ctx, i);
  if (!*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input %u is missing (the op has %u inputs)", i,
                       ctx->input_count);
  return XAI_OK;
}

xai_status xai_ew_output(xai_op_ctx *ctx, uint32_t i, xai_rt_tensor **out) {
  *out = xai_op_output(ctx, i);
  if (!*out)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output %u is missing (the op has %u outputs)", i,
                       ctx->output_count);
  return XAI_OK;
}

xai_status xai_ew_check_type(xai_op_ctx *ctx, const xai_rt_tensor *t,
                             const char *what, const int8_t *types,
                             size_t count) {
  char list[128] = "";
  for (size_t i = 0; i < count; i++) {
    if (t->type == types[i]) return XAI_OK;
    if (i) strncat(list, i + 1 == count ? " or " : ", ",
                   sizeof list - strlen(list) - 1);
    strncat(list, xai_tensor_type_name(types[i]),
            sizeof list - strlen(list) - 1);
  }
  return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "%s tensor is %s; expected %s",
                     what, xai_tensor_type_name(t->type), list);
}

xai_status xai_ew_same_type(xai_op_ctx *ctx, const xai_rt_tensor *a,
                            const char *a_what, const xai_rt_tensor *b,
                            const char *b_what) {
  if (a->type == b->type) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s tensor is %s but %s tensor is %s; they must match",
                     a_what, xai_tensor_type_name(a->type), b_what,
                     xai_tensor_type_name(b->type));
}

xai_status xai_ew_check_quantized(xai_op_ctx *ctx, const xai_rt_tensor *t,
                                  const char *what) {
  if (t->quant_count >= 1 && t->scale > 0.0f) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s tensor (%s) has no quantization scale; quantized "
                     "ops need one",
                     what, xai_op_tensor_name(ctx, t));
}

xai_status xai_ew_shape(xai_op_ctx *ctx, const xai_rt_tensor *t,
                        xai_shape *out) {
  if (t->rank > XAI_SHAPE_MAX_RANK)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "tensor %s has rank %u; at most %d is supported",
                       xai_op_tensor_name(ctx, t), t->rank, XAI_SHAPE_MAX_RANK);
  out->rank = (int32_t)t->rank;
  for (uint32_t d = 0; d < t->rank; d++) out->dims[d] = t->dims[d];
  return XAI_OK;
}

xai_status xai_ew_check_dims(xai_op_ctx *ctx, const xai_rt_tensor *t,
                             const char *what, const xai_shape *want) {
  int32_t rank = (int32_t)t->rank;
  int ok = rank == want->rank;
  for (int32_t d = 0; ok && d < rank; d++) ok = t->dims[d] == want->dims[d];
  /* A scalar output of a scalar op is planned as [1]. */
  if (!ok && rank == 0 && want->rank == 1 && want->dims[0] == 1) ok = 1;
  if (ok) return XAI_OK;
  char got[96] = "", exp[96] = "";
  for (int32_t d = 0; d < rank; d++)
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%d",
             d ? "," : "", (int)t->dims[d]);
  for (int32_t d = 0; d < want->rank; d++)
    snprintf(exp + strlen(exp), sizeof exp - strlen(exp), "%s%d",
             d ? "," : "", (int)want->dims[d]);
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s tensor has shape [%s] but the op computes [%s]", what,
                     got, exp);
}

void *xai_ew_alloc(xai_op_ctx *ctx, size_t bytes) {
  void *p = xai_op_alloc_persistent(ctx, bytes);
  if (!p) {
    xai_op_fail(ctx, XAI_ERR_NO_MEMORY,
                "arena full: %zu bytes of op data do not fit", bytes);
    return NULL;
  }
  memset(p, 0, bytes);
  return p;
}

void xai_ew_type_range(int8_t type, int32_t *lo, int32_t *hi) {
  switch (type) {
    case XAI_TYPE_UINT8: *lo = 0; *hi = 255; break;
    case XAI_TYPE_INT16: *lo = INT16_MIN; *hi = INT16_MAX; break;
    default: *lo = INT8_MIN; *hi = INT8_MAX; break;
  }
}
