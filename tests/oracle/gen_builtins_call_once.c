/* CALL_ONCE with resource variables, the shape TF's converter gives a model
 * with tf.Variable state: subgraph 0 calls an init subgraph once, which
 * assigns each variable a constant; then every invoke reads the variables,
 * updates them and writes them back. One variable accumulates the input
 * (its init value plus N times the input after N invokes), an int32 one
 * counts invokes, a third is only read (set once by the init subgraph).
 * Named __repN: the oracle invokes N times, so an init subgraph that ran
 * more than once (or never) shows in the outputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_builtins_util.h"

static void op(gen_model *gm, uint32_t sg, int32_t code, const int32_t *in,
               uint32_t n_in, const int32_t *out, uint32_t n_out,
               const xai_options *o) {
  const int32_t oc = xai_model_opcode(&gm->m, code, NULL, 1);
  if (oc < 0 || xai_model_add_operator(&gm->m, sg, -1, (uint32_t)oc, in, n_in,
                                       out, n_out, o, NULL, 0) < 0) {
    fprintf(stderr, "gen: out of memory\n");
    exit(1);
  }
}

static int32_t tensor(gen_model *gm, uint32_t sg, int8_t type,
                      const int32_t *shape, uint32_t rank, uint32_t buffer,
                      float scale, int32_t zp) {
  char tn[32];
  snprintf(tn, sizeof tn, "t%u", gm->m.subgraphs[sg].tensor_count);
  const int32_t t =
      xai_model_add_tensor(&gm->m, sg, tn, type, shape, rank, buffer);
  if (t < 0) {
    fprintf(stderr, "gen: out of memory\n");
    exit(1);
  }
  if (scale > 0.0f) {
    const int64_t z = zp;
    xai_model_set_quant(&gm->m, sg, (uint32_t)t, &scale, &z, 1, 0);
  }
  return t;
}

static int32_t var_handle(gen_model *gm, uint32_t sg, const char *name) {
  const int32_t h = tensor(gm, sg, XAI_TYPE_RESOURCE, NULL, 0, 0, 0.0f, 0);
  xai_options o = {.type = XAI_OPTS_VAR_HANDLE};
  xai_opt_str_set(o.u.var_handle.shared_name, name);
  op(gm, sg, XAI_OP_VAR_HANDLE, NULL, 0, &h, 1, &o);
  return h;
}

/* The init subgraph's constant assignment of `name`. */
static void init_var(gen_ctx *g, gen_model *gm, const char *name, int8_t type,
                     const int32_t *d, uint32_t r, float s, int32_t z) {
  size_t n = 1;
  for (uint32_t i = 0; i < r; i++) n *= (size_t)d[i];
  const size_t es = xai_tensor_type_size(type);
  uint8_t *bytes = calloc(n, es);
  for (size_t i = 0; i < n; i++) {
    if (type == XAI_TYPE_FLOAT32) {
      const float v = (float)gen_range(g, -40, 40) / 8.0f;
      memcpy(bytes + i * es, &v, es);
    } else if (type == XAI_TYPE_INT8) {
      bytes[i] = (uint8_t)(int8_t)gen_range(g, -100, 100);
    } else if (type == XAI_TYPE_INT16) {
      const int16_t v = (int16_t)gen_range(g, -20000, 20000);
      memcpy(bytes + i * es, &v, es);
    } else { /* int32 counter starts at 10 */
      const int32_t v = 10;
      memcpy(bytes + i * es, &v, es);
    }
  }
  const int32_t b = xai_model_add_buffer(&gm->m, bytes, n * es);
  free(bytes);
  const int32_t c = tensor(gm, 1, type, d, r, (uint32_t)b, s, z);
  const int32_t h = var_handle(gm, 1, name);
  const int32_t hc[2] = {h, c};
  op(gm, 1, XAI_OP_ASSIGN_VARIABLE, hc, 2, NULL, 0, NULL);
}

/* READ_VARIABLE name -> a new tensor of subgraph 0. */
static int32_t read_var(gen_model *gm, const char *name, int8_t type,
                        const int32_t *d, uint32_t r, float s, int32_t z) {
  const int32_t h = var_handle(gm, 0, name);
  const int32_t v = tensor(gm, 0, type, d, r, 0, s, z);
  op(gm, 0, XAI_OP_READ_VARIABLE, &h, 1, &v, 1, NULL);
  return v;
}

static void assign_var(gen_model *gm, const char *name, int32_t value) {
  const int32_t h = var_handle(gm, 0, name);
  const int32_t hv[2] = {h, value};
  op(gm, 0, XAI_OP_ASSIGN_VARIABLE, hv, 2, NULL, 0, NULL);
}

static void call_once_model(gen_ctx *g, int8_t type, int i, int reps) {
  static const struct { uint32_t rank; int32_t d[3]; } shapes[] = {
      {1, {6}}, {3, {1, 3, 4}}};
  gen_model gm;
  gen_begin(&gm);
  gm.m.subgraphs = realloc(gm.m.subgraphs, 2 * sizeof *gm.m.subgraphs);
  memset(&gm.m.subgraphs[1], 0, sizeof gm.m.subgraphs[1]);
  gm.m.subgraph_count = gm.m.subgraph_cap = 2;
  float s;
  int32_t z;
  bt_quant(g, type, &s, &z);
  const float sv = s * 8; /* the accumulator's wider range */
  const int32_t zv = type == XAI_TYPE_INT8 ? z / 4 : 0;
  const uint32_t r = shapes[i].rank;
  const int32_t *d = shapes[i].d;
  const int32_t one = 1;

  xai_options once = {.type = XAI_OPTS_CALL_ONCE};
  once.u.call_once.init_subgraph_index = 1;
  op(&gm, 0, XAI_OP_CALL_ONCE, NULL, 0, NULL, 0, &once);
  init_var(g, &gm, "acc", type, d, r, sv, zv);
  init_var(g, &gm, "count", XAI_TYPE_INT32, &one, 1, 0.0f, 0);
  init_var(g, &gm, "bias", type, d, r, s, z);

  const int32_t x = bt_input(&gm, type, d, r, s, z);
  const int32_t acc = read_var(&gm, "acc", type, d, r, sv, zv);
  xai_options add = {.type = XAI_OPTS_ADD};
  add.u.add.pot_scale_int16 = false;
  const int32_t y = bt_output(&gm, type, d, r, sv, zv);
  const int32_t ax[2] = {acc, x};
  op(&gm, 0, XAI_OP_ADD, ax, 2, &y, 1, &add);
  assign_var(&gm, "acc", y);

  const int32_t cnt = read_var(&gm, "count", XAI_TYPE_INT32, &one, 1, 0, 0);
  const int32_t k1 = tensor(&gm, 0, XAI_TYPE_INT32, &one, 1,
                            (uint32_t)xai_model_add_buffer(&gm.m, &one, 4),
                            0.0f, 0);
  const int32_t next = bt_output(&gm, XAI_TYPE_INT32, &one, 1, 0.0f, 0);
  const int32_t ck[2] = {cnt, k1};
  op(&gm, 0, XAI_OP_ADD, ck, 2, &next, 1, &add);
  assign_var(&gm, "count", next);

  const int32_t bias = read_var(&gm, "bias", type, d, r, s, z);
  const int32_t yb = bt_output(&gm, type, d, r, sv, zv);
  const int32_t xb[2] = {x, bias};
  op(&gm, 0, XAI_OP_ADD, xb, 2, &yb, 1, &add);

  xai_error err = {0};
  uint8_t *bytes = NULL;
  size_t size = 0;
  char name[96], path[1024];
  snprintf(name, sizeof name, "call_once_%s_%d__rep%d", bt_type_name(type), i,
           reps);
  snprintf(path, sizeof path, "%s/%s.tflite", g->dir, name);
  if (xai_model_set_subgraph_io(&gm.m, 0, gm.inputs, gm.input_count,
                                gm.outputs, gm.output_count) == XAI_OK &&
      xai_model_write(&gm.m, &bytes, &size, &err) == XAI_OK &&
      xai_file_write_atomic(path, bytes, size, &err) == XAI_OK) {
    g->written++;
  } else {
    fprintf(stderr, "gen: %s: %s\n", name, err.message);
    g->failed++;
  }
  free(bytes);
  xai_model_free(&gm.m);
}

void gen_builtins_call_once(gen_ctx *g) {
  const int8_t types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8, XAI_TYPE_INT16};
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < 2; i++) call_once_model(g, types[k], i, i ? 4 : 1);
}
