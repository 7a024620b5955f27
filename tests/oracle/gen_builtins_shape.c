/* Single-op models for the data-movement builtins: space/depth/batch
 * rearrangements, MIRROR_PAD, REVERSE_V2, BROADCAST_TO, GATHER_ND,
 * EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE, SHAPE, FILL, BROADCAST_ARGS,
 * CUMSUM, ADD_N and CAST. */
#include <stdio.h>
#include <string.h>

#include "gen_builtins_util.h"

/* A model with a quantized-or-float data input of `type` (same
 * quantization on the output), the given constant int32 operands and the
 * output shape. */
typedef struct {
  uint32_t rank;
  int32_t dims[6];
} shp;

static void start(gen_ctx *g, gen_model *gm, int8_t type, const shp *in,
                  float *s, int32_t *z) {
  gen_begin(gm);
  bt_quant(g, type, s, z);
  if (type == XAI_TYPE_INT16) *z = 0;
  bt_input(gm, type, in->dims, in->rank, *s, *z);
}

static void consts(gen_model *gm, const int32_t *v, uint32_t n, const int32_t *shape,
                   uint32_t rank) {
  bt_const(gm, XAI_TYPE_INT32, shape, rank, v, 0, 0);
  (void)n;
}

static void finish(gen_ctx *g, gen_model *gm, int8_t type, const shp *out,
                   float s, int32_t z, const char *op, int i, int32_t code,
                   const xai_options *o) {
  char name[96];
  bt_output(gm, type, out->dims, out->rank, s, z);
  snprintf(name, sizeof name, "%s_%s_%d", op, bt_type_name(type), i);
  gen_finish(g, gm, name, code, 1, o);
}

static void space_depth(gen_ctx *g, int8_t t) {
  static const struct { shp in, out; int32_t bs; int d2s; } c[] = {
      {{4, {1, 4, 6, 3}}, {4, {1, 2, 3, 12}}, 2, 0},
      {{4, {2, 6, 6, 2}}, {4, {2, 2, 2, 18}}, 3, 0},
      {{4, {1, 2, 3, 8}}, {4, {1, 4, 6, 2}}, 2, 1},
      {{4, {2, 2, 2, 18}}, {4, {2, 6, 6, 2}}, 3, 1},
  };
  for (int i = 0; i < 4; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &c[i].in, &s, &z);
    xai_options o = {.type = c[i].d2s ? XAI_OPTS_DEPTH_TO_SPACE : XAI_OPTS_SPACE_TO_DEPTH};
    o.u.space_to_depth.block_size = c[i].bs;
    finish(g, &gm, t, &c[i].out, s, z, c[i].d2s ? "depth_to_space" : "space_to_depth",
           i, c[i].d2s ? XAI_OP_DEPTH_TO_SPACE : XAI_OP_SPACE_TO_DEPTH, &o);
  }
}

static void space_batch(gen_ctx *g, int8_t t) {
  static const struct { shp in, out; int32_t block[2], pads[4]; uint32_t sp; int b2s; } c[] = {
      {{4, {1, 4, 4, 3}}, {4, {4, 2, 2, 3}}, {2, 2}, {0, 0, 0, 0}, 2, 0},
      {{4, {2, 5, 3, 2}}, {4, {12, 3, 1, 2}}, {2, 3}, {1, 0, 0, 0}, 2, 0},
      {{3, {1, 6, 2}}, {3, {3, 3, 2}}, {3, 1}, {1, 2, 0, 0}, 1, 0},
      {{4, {4, 2, 2, 3}}, {4, {1, 4, 4, 3}}, {2, 2}, {0, 0, 0, 0}, 2, 1},
      {{4, {12, 2, 2, 1}}, {4, {2, 3, 4, 1}}, {2, 3}, {1, 0, 0, 2}, 2, 1},
  };
  for (int i = 0; i < 5; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &c[i].in, &s, &z);
    const int32_t bshape[1] = {(int32_t)c[i].sp}, pshape[2] = {(int32_t)c[i].sp, 2};
    consts(&gm, c[i].block, c[i].sp, bshape, 1);
    consts(&gm, c[i].pads, 2 * c[i].sp, pshape, 2);
    xai_options o = {.type = c[i].b2s ? XAI_OPTS_BATCH_TO_SPACE_ND : XAI_OPTS_SPACE_TO_BATCH_ND};
    finish(g, &gm, t, &c[i].out, s, z, c[i].b2s ? "batch_to_space_nd" : "space_to_batch_nd",
           i, c[i].b2s ? XAI_OP_BATCH_TO_SPACE_ND : XAI_OP_SPACE_TO_BATCH_ND, &o);
  }
}

static void mirror_pad(gen_ctx *g, int8_t t) {
  static const struct { int32_t pads[6]; int mode; shp out; } c[] = {
      {{1, 1, 0, 2, 3, 0}, 0, {3, {4, 5, 7}}},
      {{2, 1, 3, 0, 1, 4}, 1, {3, {5, 6, 9}}},
  };
  const shp in = {3, {2, 3, 4}};
  for (int i = 0; i < 2; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &in, &s, &z);
    const int32_t ps[2] = {3, 2};
    consts(&gm, c[i].pads, 6, ps, 2);
    xai_options o = {.type = XAI_OPTS_MIRROR_PAD};
    o.u.mirror_pad.mode = (int8_t)c[i].mode;
    finish(g, &gm, t, &c[i].out, s, z, "mirror_pad", i, XAI_OP_MIRROR_PAD, &o);
  }
}

static void reverse(gen_ctx *g, int8_t t) {
  static const struct { shp in; int32_t axis; } c[] = {
      {{3, {2, 3, 4}}, 1}, {{2, {3, 5}}, 0}, {{3, {2, 3, 4}}, -1}};
  for (int i = 0; i < 3; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &c[i].in, &s, &z);
    const int32_t one = 1;
    consts(&gm, &c[i].axis, 1, &one, 1);
    xai_options o = {.type = XAI_OPTS_REVERSE_V2};
    finish(g, &gm, t, &c[i].in, s, z, "reverse_v2", i, XAI_OP_REVERSE_V2, &o);
  }
}

static void broadcast_to(gen_ctx *g, int8_t t) {
  static const struct { shp in, out; } c[] = {
      {{2, {3, 1}}, {3, {2, 3, 4}}}, {{1, {1}}, {1, {5}}},
      {{3, {2, 1, 3}}, {3, {2, 4, 3}}}};
  for (int i = 0; i < 3; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &c[i].in, &s, &z);
    const int32_t n = (int32_t)c[i].out.rank;
    consts(&gm, c[i].out.dims, c[i].out.rank, &n, 1);
    xai_options o = {.type = XAI_OPTS_BROADCAST_TO};
    finish(g, &gm, t, &c[i].out, s, z, "broadcast_to", i, XAI_OP_BROADCAST_TO, &o);
  }
}

static void gather_nd(gen_ctx *g, int8_t t) {
  static const struct { shp params; int32_t idx[12]; shp ishape, out; } c[] = {
      {{3, {4, 3, 2}}, {0, 1, 3, 2, 2, 0, 1, 1, 0, 0}, {2, {5, 2}}, {2, {5, 2}}},
      {{3, {4, 3, 2}}, {3, 2, 1, 0, 0, 0}, {2, {2, 3}}, {1, {2}}},
      {{2, {6, 5}}, {5, 0, 3}, {2, {3, 1}}, {2, {3, 5}}},
  };
  for (int i = 0; i < 3; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &c[i].params, &s, &z);
    consts(&gm, c[i].idx, 0, c[i].ishape.dims, c[i].ishape.rank);
    xai_options o = {.type = XAI_OPTS_GATHER_ND};
    finish(g, &gm, t, &c[i].out, s, z, "gather_nd", i, XAI_OP_GATHER_ND, &o);
  }
}

static void embedding(gen_ctx *g, int8_t vt, int8_t ot, int i) {
  gen_model gm;
  gen_begin(&gm);
  const int32_t ids_shape[1] = {5};
  bt_input(&gm, XAI_TYPE_INT32, ids_shape, 1, 0, 0);
  const int32_t vs[3] = {6, 2, 3};
  float v[36];
  int8_t q[36];
  for (int k = 0; k < 36; k++) {
    v[k] = (float)gen_range(g, -1000, 1000) / 256.0f;
    q[k] = (int8_t)gen_range(g, -128, 127);
  }
  float s = vt == XAI_TYPE_INT8 ? gen_log_uniform(g, 1e-3f, 0.5f) : 0.0f;
  bt_const(&gm, vt, vs, 3, vt == XAI_TYPE_FLOAT32 ? (const void *)v : q, s, 0);
  const int32_t os[3] = {5, 2, 3};
  bt_output(&gm, ot, os, 3, ot == XAI_TYPE_INT8 ? s : 0.0f, 0);
  char name[96];
  snprintf(name, sizeof name, "embedding_lookup_%s_%s_%d__idx6",
           bt_type_name(vt), bt_type_name(ot), i);
  gen_finish(g, &gm, name, XAI_OP_EMBEDDING_LOOKUP, 1, NULL);
}

static void dus(gen_ctx *g, int8_t t, int8_t it) {
  static const int32_t starts[3][2] = {{1, 1}, {3, 4}, {-1, 2}};
  for (int i = 0; i < 3; i++) {
    gen_model gm; float s; int32_t z;
    const shp op = {2, {4, 5}}, up = {2, {2, 3}};
    start(g, &gm, t, &op, &s, &z);
    bt_input(&gm, t, up.dims, up.rank, s, z);
    const int32_t two = 2;
    const int64_t s64[2] = {starts[i][0], starts[i][1]};
    bt_const(&gm, it, &two, 1, it == XAI_TYPE_INT64 ? (const void *)s64 : starts[i], 0, 0);
    xai_options o = {.type = XAI_OPTS_DYNAMIC_UPDATE_SLICE};
    char nm[48];
    snprintf(nm, sizeof nm, "dynamic_update_slice_%s", bt_type_name(it));
    finish(g, &gm, t, &op, s, z, nm, i, XAI_OP_DYNAMIC_UPDATE_SLICE, &o);
  }
}

static void shape_op(gen_ctx *g, int8_t t, int8_t out_type) {
  gen_model gm; float s; int32_t z;
  const shp in = {3, {2, 3, 4}}, out = {1, {3}};
  start(g, &gm, t, &in, &s, &z);
  xai_options o = {.type = XAI_OPTS_SHAPE};
  o.u.shape.out_type = out_type;
  char nm[48];
  snprintf(nm, sizeof nm, "shape_to_%s", bt_type_name(out_type));
  finish(g, &gm, out_type, &out, 0, 0, nm, t, XAI_OP_SHAPE, &o);
}

static void fill(gen_ctx *g, int8_t t) {
  gen_model gm;
  gen_begin(&gm);
  const int32_t dims[2] = {2, 3}, two = 2;
  bt_const(&gm, XAI_TYPE_INT32, &two, 1, dims, 0, 0);
  float s; int32_t z;
  bt_quant(g, t, &s, &z);
  bt_input(&gm, t, NULL, 0, s, z);
  const shp out = {2, {2, 3}};
  xai_options o = {.type = XAI_OPTS_FILL};
  finish(g, &gm, t, &out, s, z, "fill", 0, XAI_OP_FILL, &o);
}

static void broadcast_args(gen_ctx *g, int8_t t) {
  static const struct { int32_t na, nb; } c[] = {{3, 3}, {2, 4}, {1, 3}};
  for (int i = 0; i < 3; i++) {
    gen_model gm;
    gen_begin(&gm);
    bt_input(&gm, t, &c[i].na, 1, 0, 0);
    bt_input(&gm, t, &c[i].nb, 1, 0, 0);
    const int32_t n = c[i].na > c[i].nb ? c[i].na : c[i].nb;
    bt_output(&gm, t, &n, 1, 0, 0);
    char name[96];
    snprintf(name, sizeof name, "broadcast_args_%s_%d__idx2", bt_type_name(t), i);
    gen_finish(g, &gm, name, XAI_OP_BROADCAST_ARGS, 1, NULL);
  }
}

static void cumsum(gen_ctx *g, int8_t t) {
  const shp in = {3, {3, 4, 5}};
  for (int i = 0; i < 5; i++) {
    gen_model gm; float s; int32_t z;
    start(g, &gm, t, &in, &s, &z);
    const int32_t axis = i == 4 ? -1 : 1;
    bt_const(&gm, XAI_TYPE_INT32, NULL, 0, &axis, 0, 0);
    xai_options o = {.type = XAI_OPTS_CUMSUM};
    o.u.cumsum.exclusive = i & 1;
    o.u.cumsum.reverse = (i >> 1) & 1;
    /* int8 sums outgrow the input's range: a wider output scale. */
    if (t == XAI_TYPE_INT8) s *= (float)(2 + i), z = i == 3 ? 0 : -z / 2;
    finish(g, &gm, t, &in, s, z, "cumsum", i, XAI_OP_CUMSUM, &o);
  }
}

static void add_n(gen_ctx *g, int8_t t) {
  static const struct { shp s; int n; } c[] = {
      {{3, {2, 3, 4}}, 2}, {{1, {7}}, 3}, {{2, {4, 9}}, 5}};
  for (int i = 0; i < 3; i++) {
    gen_model gm;
    gen_begin(&gm);
    float s;
    int32_t z;
    bt_quant(g, t, &s, &z);
    for (int k = 0; k < c[i].n; k++) bt_input(&gm, t, c[i].s.dims, c[i].s.rank, s, z);
    xai_options o = {.type = XAI_OPTS_ADD_N};
    if (t == XAI_TYPE_INT8) s *= (float)c[i].n * 0.75f, z = i == 1 ? 5 : -z;
    finish(g, &gm, t, &c[i].s, s, z, "add_n", i, XAI_OP_ADD_N, &o);
  }
}

static void cast(gen_ctx *g, int8_t from, int8_t to) {
  gen_model gm;
  gen_begin(&gm);
  const shp s = {2, {3, 7}};
  bt_input(&gm, from, s.dims, s.rank, 0, 0);
  bt_output(&gm, to, s.dims, s.rank, 0, 0);
  char name[96];
  snprintf(name, sizeof name, "cast_%s_to_%s", bt_type_name(from), bt_type_name(to));
  xai_options o = {.type = XAI_OPTS_CAST};
  o.u.cast.in_data_type = from;
  o.u.cast.out_data_type = to;
  gen_finish(g, &gm, name, XAI_OP_CAST, 1, &o);
}

void gen_builtins_shape(gen_ctx *g) {
  const int8_t f = XAI_TYPE_FLOAT32, s8 = XAI_TYPE_INT8, s16 = XAI_TYPE_INT16,
               i32 = XAI_TYPE_INT32, i64 = XAI_TYPE_INT64, b = XAI_TYPE_BOOL;
  const int8_t fs8[] = {f, s8};
  for (int k = 0; k < 2; k++) {
    space_depth(g, fs8[k]);
    space_batch(g, fs8[k]);
  }
  for (int k = 0; k < 2; k++) mirror_pad(g, fs8[k]);
  const int8_t u8 = XAI_TYPE_UINT8;
  const int8_t rv[] = {f, s8, s16, i32, i64, b, u8};
  for (int k = 0; k < 7; k++) reverse(g, rv[k]);
  const int8_t bt[] = {f, s8, s16, i32, b, u8};
  for (int k = 0; k < 6; k++) broadcast_to(g, bt[k]);
  for (int k = 0; k < 2; k++) gather_nd(g, fs8[k]);
  embedding(g, f, f, 0);
  embedding(g, s8, s8, 1);
  embedding(g, s8, f, 2);
  const int8_t du[] = {f, s8, s16, i32};
  for (int k = 0; k < 4; k++) dus(g, du[k], XAI_TYPE_INT32);
  dus(g, f, XAI_TYPE_INT64);
  shape_op(g, f, i32);
  shape_op(g, s8, i32);
  const int8_t fl[] = {f, s8, i32};
  for (int k = 0; k < 3; k++) fill(g, fl[k]);
  broadcast_args(g, i32);
  broadcast_args(g, i64);
  for (int k = 0; k < 2; k++) {
    cumsum(g, fs8[k]);
    add_n(g, fs8[k]);
  }
  const int8_t types[] = {f, s8, s16, i32, XAI_TYPE_UINT32, b};
  const int8_t *from = types, *to = types;
  for (int i = 0; i < 6; i++)
    for (int j = 0; j < 6; j++)
      if (from[i] != to[j]) cast(g, from[i], to[j]);
}
