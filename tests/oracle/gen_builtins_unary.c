/* Single-op models for the unary math ops in every type TFLite Micro
 * takes: float edge values, quantized int8 with and without rescaling,
 * int16 with zero point 0. */
#include <stdio.h>

#include "gen_builtins_util.h"

typedef struct {
  uint32_t rank;
  int32_t dims[4];
} shape_case;

static const shape_case k_shapes[] = {
    {1, {64}}, {3, {2, 3, 5}}, {4, {1, 4, 4, 3}},
};

/* One op, one input, one output; rescale 0 keeps the output quantization
 * equal to the input's. */
static void unary(gen_ctx *g, const char *op_name, int32_t op, int8_t type,
                  const char *tag, int rescale) {
  char name[96];
  for (int s = 0; s < 3; s++) {
    const shape_case *sc = &k_shapes[s];
    gen_model gm;
    gen_begin(&gm);
    float si, so;
    int32_t zi, zo;
    bt_quant(g, type, &si, &zi);
    bt_quant(g, type, &so, &zo);
    if (!rescale) so = si, zo = zi;
    if (type == XAI_TYPE_INT16) zi = zo = 0;
    bt_input(&gm, type, sc->dims, sc->rank, si, zi);
    bt_output(&gm, type, sc->dims, sc->rank, so, zo);
    snprintf(name, sizeof name, "%s_%s%s_%d%s", op_name, bt_type_name(type),
             rescale ? "_rq" : "", s, tag);
    gen_finish(g, &gm, name, op, 1, NULL);
  }
}

void gen_builtins_unary(gen_ctx *g) {
  static const struct {
    const char *name;
    int32_t op;
    const char *tag;
  } f32_ops[] = {
      {"abs", XAI_OP_ABS, "__f"},       {"ceil", XAI_OP_CEIL, "__f"},
      {"cos", XAI_OP_COS, "__f"},       {"exp", XAI_OP_EXP, "__f"},
      {"floor", XAI_OP_FLOOR, "__f"},   {"log", XAI_OP_LOG, "__pos"},
      {"neg", XAI_OP_NEG, "__f"},       {"round", XAI_OP_ROUND, "__f"},
      {"rsqrt", XAI_OP_RSQRT, "__pos"}, {"sin", XAI_OP_SIN, "__f"},
      {"sqrt", XAI_OP_SQRT, "__pos"},   {"square", XAI_OP_SQUARE, "__f"},
      {"elu", XAI_OP_ELU, "__f"},       {"zeros_like", XAI_OP_ZEROS_LIKE, ""},
  };
  for (size_t k = 0; k < sizeof f32_ops / sizeof f32_ops[0]; k++)
    unary(g, f32_ops[k].name, f32_ops[k].op, XAI_TYPE_FLOAT32, f32_ops[k].tag,
          0);
  unary(g, "abs", XAI_OP_ABS, XAI_TYPE_INT8, "", 0);
  unary(g, "abs", XAI_OP_ABS, XAI_TYPE_INT8, "", 1);
  unary(g, "abs", XAI_OP_ABS, XAI_TYPE_INT16, "", 1);
  unary(g, "rsqrt", XAI_OP_RSQRT, XAI_TYPE_INT8, "__pos", 1);
  unary(g, "elu", XAI_OP_ELU, XAI_TYPE_INT8, "", 1);
  unary(g, "logical_not", XAI_OP_LOGICAL_NOT, XAI_TYPE_BOOL, "", 0);
  unary(g, "zeros_like", XAI_OP_ZEROS_LIKE, XAI_TYPE_INT8, "", 0);
  unary(g, "zeros_like", XAI_OP_ZEROS_LIKE, XAI_TYPE_INT32, "", 0);
  unary(g, "zeros_like", XAI_OP_ZEROS_LIKE, XAI_TYPE_INT64, "", 0);
}
