/* Single-op models for comparisons, logical ops, SELECT_V2 and the
 * float32/int32 arithmetic, each with same-shape, broadcast and scalar
 * operands. */
#include <stdio.h>

#include "gen_builtins_util.h"

typedef struct {
  uint32_t rank;
  int32_t a[4], b[4];
} bcast_case;

static const bcast_case k_bcasts[] = {
    {4, {1, 4, 5, 3}, {1, 4, 5, 3}},
    {4, {2, 3, 1, 4}, {1, 1, 5, 1}},
    {2, {6, 9}, {1, 1}},
};

static void out_shape(const bcast_case *c, int32_t *o) {
  for (uint32_t i = 0; i < c->rank; i++) o[i] = c->a[i] > c->b[i] ? c->a[i] : c->b[i];
}

static void binary(gen_ctx *g, const char *op_name, int32_t op, int8_t type,
                   int8_t out_type, uint8_t opts_type, const char *tag) {
  char name[96];
  for (int s = 0; s < 3; s++) {
    const bcast_case *c = &k_bcasts[s];
    gen_model gm;
    gen_begin(&gm);
    float s1, s2, so;
    int32_t z1, z2, zo;
    bt_quant(g, type, &s1, &z1);
    bt_quant(g, type, &s2, &z2);
    bt_quant(g, out_type, &so, &zo);
    bt_input(&gm, type, c->a, c->rank, s1, z1);
    bt_input(&gm, type, c->b, c->rank, s2, z2);
    int32_t o[4];
    out_shape(c, o);
    bt_output(&gm, out_type, o, c->rank, so, zo);
    xai_options opts = {.type = opts_type};
    if (opts_type == XAI_OPTS_ADD || opts_type == XAI_OPTS_SUB ||
        opts_type == XAI_OPTS_MUL || opts_type == XAI_OPTS_DIV) {
      static const int8_t acts[] = {XAI_ACT_NONE, XAI_ACT_RELU6,
                                    XAI_ACT_RELU_N1_TO_1};
      opts.u.add.fused_activation_function = acts[s];
      if (opts_type == XAI_OPTS_ADD || opts_type == XAI_OPTS_SUB)
        opts.u.add.pot_scale_int16 = true;
    }
    snprintf(name, sizeof name, "%s_%s_%d%s", op_name, bt_type_name(type), s,
             tag);
    gen_finish(g, &gm, name, op, 1, opts_type ? &opts : NULL);
  }
}

static void select_v2(gen_ctx *g, int8_t type) {
  static const struct {
    uint32_t rank;
    int32_t c[3], x[3], y[3], o[3];
  } cases[] = {
      {3, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
      {3, {1, 3, 1}, {2, 1, 4}, {1, 1, 1}, {2, 3, 4}},
      {3, {2, 1, 4}, {1, 1, 4}, {2, 3, 1}, {2, 3, 4}},
  };
  char name[96];
  for (int s = 0; s < 3; s++) {
    gen_model gm;
    gen_begin(&gm);
    float sc;
    int32_t zp;
    bt_quant(g, type, &sc, &zp);
    bt_input(&gm, XAI_TYPE_BOOL, cases[s].c, 3, 0, 0);
    bt_input(&gm, type, cases[s].x, 3, sc, zp);
    bt_input(&gm, type, cases[s].y, 3, sc, zp);
    bt_output(&gm, type, cases[s].o, 3, sc, zp);
    snprintf(name, sizeof name, "select_v2_%s_%d", bt_type_name(type), s);
    xai_options opts = {.type = XAI_OPTS_SELECT_V2};
    gen_finish(g, &gm, name, XAI_OP_SELECT_V2, 1, &opts);
  }
}

void gen_builtins_binary(gen_ctx *g) {
  static const struct {
    const char *name;
    int32_t op;
    uint8_t opts;
    int eq;
  } cmps[] = {
      {"equal", XAI_OP_EQUAL, XAI_OPTS_EQUAL, 1},
      {"not_equal", XAI_OP_NOT_EQUAL, XAI_OPTS_NOT_EQUAL, 1},
      {"greater", XAI_OP_GREATER, XAI_OPTS_GREATER, 0},
      {"greater_equal", XAI_OP_GREATER_EQUAL, XAI_OPTS_GREATER_EQUAL, 0},
      {"less", XAI_OP_LESS, XAI_OPTS_LESS, 0},
      {"less_equal", XAI_OP_LESS_EQUAL, XAI_OPTS_LESS_EQUAL, 0},
  };
  static const int8_t cmp_types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                     XAI_TYPE_INT32, XAI_TYPE_INT64,
                                     XAI_TYPE_BOOL};
  for (size_t k = 0; k < sizeof cmps / sizeof cmps[0]; k++)
    for (int t = 0; t < (cmps[k].eq ? 5 : 4); t++)
      binary(g, cmps[k].name, cmps[k].op, cmp_types[t], XAI_TYPE_BOOL,
             cmps[k].opts, cmp_types[t] == XAI_TYPE_FLOAT32 ? "__f" : "");
  binary(g, "logical_and", XAI_OP_LOGICAL_AND, XAI_TYPE_BOOL, XAI_TYPE_BOOL,
         XAI_OPTS_LOGICAL_AND, "");
  binary(g, "logical_or", XAI_OP_LOGICAL_OR, XAI_TYPE_BOOL, XAI_TYPE_BOOL,
         XAI_OPTS_LOGICAL_OR, "");
  static const int8_t sel_types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                     XAI_TYPE_INT16};
  for (int t = 0; t < 3; t++) select_v2(g, sel_types[t]);

  static const struct {
    const char *name;
    int32_t op;
    uint8_t opts;
    const char *tag;
    int int32_too;
  } ariths[] = {  /* int32_too: also int32 */
      {"add", XAI_OP_ADD, XAI_OPTS_ADD, "__f", 1},
      {"sub", XAI_OP_SUB, XAI_OPTS_SUB, "__f", 1},
      {"mul", XAI_OP_MUL, XAI_OPTS_MUL, "__f", 1},
      {"div", XAI_OP_DIV, XAI_OPTS_DIV, "__nz", 1},
      {"floor_div", XAI_OP_FLOOR_DIV, XAI_OPTS_FLOOR_DIV, "__nz", 0},
      {"floor_mod", XAI_OP_FLOOR_MOD, XAI_OPTS_FLOOR_MOD, "__nz", 0},
      {"squared_difference", XAI_OP_SQUARED_DIFFERENCE,
       XAI_OPTS_SQUARED_DIFFERENCE, "__f", 1},
      {"maximum", XAI_OP_MAXIMUM, XAI_OPTS_MAXIMUM_MINIMUM, "__f", 1},
      {"minimum", XAI_OP_MINIMUM, XAI_OPTS_MAXIMUM_MINIMUM, "__f", 1},
  };
  for (size_t k = 0; k < sizeof ariths / sizeof ariths[0]; k++) {
    binary(g, ariths[k].name, ariths[k].op, XAI_TYPE_FLOAT32,
           XAI_TYPE_FLOAT32, ariths[k].opts, ariths[k].tag);
    if (ariths[k].int32_too)
      binary(g, ariths[k].name, ariths[k].op, XAI_TYPE_INT32, XAI_TYPE_INT32,
             ariths[k].opts, ariths[k].tag);
  }
  /* TFLM's quantized DIV (int8) and SQUARED_DIFFERENCE (int8, int16). */
  binary(g, "div", XAI_OP_DIV, XAI_TYPE_INT8, XAI_TYPE_INT8, XAI_OPTS_DIV,
         "__nzq");
  binary(g, "squared_difference", XAI_OP_SQUARED_DIFFERENCE, XAI_TYPE_INT8,
         XAI_TYPE_INT8, XAI_OPTS_SQUARED_DIFFERENCE, "");
  binary(g, "squared_difference", XAI_OP_SQUARED_DIFFERENCE, XAI_TYPE_INT16,
         XAI_TYPE_INT16, XAI_OPTS_SQUARED_DIFFERENCE, "");
}
