/* Models with resource variables: VAR_HANDLE / READ_VARIABLE / ADD /
 * ASSIGN_VARIABLE accumulating the input, two handles naming one
 * variable, and a second variable. Named __rep3: the oracle invokes three
 * times, so the outputs show the variables persisting across invokes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_builtins_util.h"

static int32_t op(gen_model *gm, int32_t code, const int32_t *in, uint32_t n_in,
                  const int32_t *out, uint32_t n_out, const xai_options *o) {
  const int32_t oc = xai_model_opcode(&gm->m, code, NULL, 1);
  if (oc < 0 || xai_model_add_operator(&gm->m, 0, -1, (uint32_t)oc, in, n_in,
                                       out, n_out, o, NULL, 0) < 0) {
    fprintf(stderr, "gen: out of memory\n");
    exit(1);
  }
  return 0;
}

static int32_t var_handle(gen_model *gm, const char *name) {
  char tn[32];
  snprintf(tn, sizeof tn, "h%u", gm->m.subgraphs[0].tensor_count);
  const int32_t h =
      xai_model_add_tensor(&gm->m, 0, tn, XAI_TYPE_RESOURCE, NULL, 0, 0);
  xai_options o = {.type = XAI_OPTS_VAR_HANDLE};
  xai_opt_str_set(o.u.var_handle.shared_name, name);
  op(gm, XAI_OP_VAR_HANDLE, NULL, 0, &h, 1, &o);
  return h;
}

static int32_t tensor(gen_model *gm, int8_t type, const int32_t *shape,
                      uint32_t rank, float scale, int32_t zp) {
  char tn[32];
  snprintf(tn, sizeof tn, "t%u", gm->m.subgraphs[0].tensor_count);
  const int32_t t = xai_model_add_tensor(&gm->m, 0, tn, type, shape, rank, 0);
  if (scale > 0.0f) {
    const int64_t z = zp;
    xai_model_set_quant(&gm->m, 0, (uint32_t)t, &scale, &z, 1, 0);
  }
  return t;
}

static void accumulate(gen_ctx *g, int8_t type, int i) {
  static const struct { uint32_t rank; int32_t d[3]; } shapes[] = {
      {2, {2, 3}}, {3, {1, 4, 5}}};
  gen_model gm;
  gen_begin(&gm);
  float s;
  int32_t z;
  bt_quant(g, type, &s, &z);
  const uint32_t r = shapes[i].rank;
  const int32_t *d = shapes[i].d;
  const int32_t x = bt_input(&gm, type, d, r, s, z);
  const int32_t h0 = var_handle(&gm, "acc");
  const int32_t v = tensor(&gm, type, d, r, s * 4, z / 2);
  op(&gm, XAI_OP_READ_VARIABLE, &h0, 1, &v, 1, NULL);
  const int32_t y = bt_output(&gm, type, d, r, s * 4, z / 2);
  xai_options add = {.type = XAI_OPTS_ADD};
  add.u.add.pot_scale_int16 = true;
  const int32_t vx[2] = {v, x};
  op(&gm, XAI_OP_ADD, vx, 2, &y, 1, &add);
  const int32_t h1 = var_handle(&gm, "acc"); /* the same variable */
  const int32_t hy[2] = {h1, y};
  op(&gm, XAI_OP_ASSIGN_VARIABLE, hy, 2, NULL, 0, NULL);
  const int32_t h2 = var_handle(&gm, "last_input");
  const int32_t hx[2] = {h2, x};
  op(&gm, XAI_OP_ASSIGN_VARIABLE, hx, 2, NULL, 0, NULL);
  const int32_t last = bt_output(&gm, type, d, r, s, z);
  op(&gm, XAI_OP_READ_VARIABLE, &h2, 1, &last, 1, NULL);
  xai_error err = {0};
  uint8_t *bytes = NULL;
  size_t size = 0;
  char name[96], path[1024];
  snprintf(name, sizeof name, "variables_%s_%d__rep3", bt_type_name(type), i);
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

void gen_builtins_variables(gen_ctx *g) {
  const int8_t types[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8, XAI_TYPE_INT16};
  for (int k = 0; k < 3; k++)
    for (int i = 0; i < 2; i++) accumulate(g, types[k], i);
}
