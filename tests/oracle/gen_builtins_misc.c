/* Single-op models for ARG_MIN / ARG_MAX, REDUCE_MAX / REDUCE_MIN, bool
 * REDUCE_ALL and float32 MEAN / SUM over several axis sets, with and without keep_dims. */
#include <stdio.h>

#include "gen_builtins_util.h"

static void arg(gen_ctx *g, int is_min, int8_t t, int8_t out_t) {
  static const struct { uint32_t rank; int32_t in[4]; int32_t axis; uint32_t orank; int32_t out[3]; } c[] = {
      {4, {1, 3, 4, 5}, 3, 3, {1, 3, 4}},
      {3, {2, 7, 3}, 1, 2, {2, 3}},
      {2, {5, 6}, -2, 1, {6}},
  };
  for (int i = 0; i < 3; i++) {
    gen_model gm;
    gen_begin(&gm);
    float s;
    int32_t z;
    bt_quant(g, t, &s, &z);
    bt_input(&gm, t, c[i].in, c[i].rank, s, z);
    const int32_t one = 1;
    bt_const(&gm, XAI_TYPE_INT32, &one, 1, &c[i].axis, 0, 0);
    bt_output(&gm, out_t, c[i].out, c[i].orank, 0, 0);
    xai_options o = {.type = is_min ? XAI_OPTS_ARG_MIN : XAI_OPTS_ARG_MAX};
    o.u.arg_max.output_type = out_t;
    char name[96];
    snprintf(name, sizeof name, "%s_%s_to_%s_%d", is_min ? "arg_min" : "arg_max",
             bt_type_name(t), bt_type_name(out_t), i);
    gen_finish(g, &gm, name, is_min ? XAI_OP_ARG_MIN : XAI_OP_ARG_MAX, 1, &o);
  }
}

static void reduce(gen_ctx *g, const char *op_name, int32_t op, int8_t t) {
  static const struct {
    int32_t axes[3];
    uint32_t n;
    int keep;
    uint32_t orank;
    int32_t out[4];
  } c[] = {
      {{1, 2}, 2, 1, 4, {2, 1, 1, 3}},
      {{1, 2}, 2, 0, 2, {2, 3}},
      {{-1}, 1, 0, 3, {2, 4, 5}},
      {{0, 3, 0}, 3, 1, 4, {1, 4, 5, 1}},
  };
  const int32_t in[4] = {2, 4, 5, 3};
  for (int i = 0; i < 4; i++) {
    gen_model gm;
    gen_begin(&gm);
    float s;
    int32_t z;
    bt_quant(g, t, &s, &z);
    if (t == XAI_TYPE_INT16) z = 0;
    bt_input(&gm, t, in, 4, s, z);
    const int32_t n = (int32_t)c[i].n;
    bt_const(&gm, XAI_TYPE_INT32, &n, 1, c[i].axes, 0, 0);
    bt_output(&gm, t, c[i].out, c[i].orank, s, z);
    xai_options o = {.type = XAI_OPTS_REDUCER};
    o.u.reducer.keep_dims = c[i].keep;
    char name[96];
    snprintf(name, sizeof name, "%s_%s_%d", op_name, bt_type_name(t), i);
    gen_finish(g, &gm, name, op, 1, &o);
  }
}

void gen_builtins_misc(gen_ctx *g) {
  const int8_t types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};
  for (int k = 0; k < 2; k++) {
    arg(g, 1, types[k], XAI_TYPE_INT32);
    reduce(g, "reduce_max", XAI_OP_REDUCE_MAX, types[k]);
    reduce(g, "reduce_min", XAI_OP_REDUCE_MIN, types[k]);
  }
  arg(g, 0, XAI_TYPE_FLOAT32, XAI_TYPE_INT32);
  reduce(g, "mean", XAI_OP_MEAN, XAI_TYPE_FLOAT32);
  reduce(g, "sum", XAI_OP_SUM, XAI_TYPE_FLOAT32);
  reduce(g, "reduce_all", XAI_OP_REDUCE_ALL, XAI_TYPE_BOOL);
}
