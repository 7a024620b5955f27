#include "gen_builtins_util.h"

#include <stdio.h>
#include <stdlib.h>

static int32_t tensor(gen_model *gm, int8_t type, const int32_t *shape,
                      uint32_t rank, uint32_t buffer, float scale,
                      int32_t zp) {
  char name[32];
  snprintf(name, sizeof name, "t%u", gm->m.subgraphs[0].tensor_count);
  int32_t t = xai_model_add_tensor(&gm->m, 0, name, type, shape, rank, buffer);
  if (t < 0) {
    fprintf(stderr, "gen: out of memory\n");
    exit(1);
  }
  if (scale > 0.0f) {
    int64_t z = zp;
    xai_model_set_quant(&gm->m, 0, (uint32_t)t, &scale, &z, 1, 0);
  }
  return t;
}

int32_t bt_input(gen_model *gm, int8_t type, const int32_t *shape,
                 uint32_t rank, float scale, int32_t zp) {
  int32_t t = tensor(gm, type, shape, rank, 0, scale, zp);
  gm->inputs[gm->input_count++] = t;
  gm->op_inputs[gm->op_input_count++] = t;
  return t;
}

int32_t bt_output(gen_model *gm, int8_t type, const int32_t *shape,
                  uint32_t rank, float scale, int32_t zp) {
  int32_t t = tensor(gm, type, shape, rank, 0, scale, zp);
  gm->outputs[gm->output_count++] = t;
  return t;
}

int32_t bt_const(gen_model *gm, int8_t type, const int32_t *shape,
                 uint32_t rank, const void *data, float scale, int32_t zp) {
  size_t n = xai_tensor_type_size(type);
  for (uint32_t i = 0; i < rank; i++) n *= (size_t)shape[i];
  int32_t b = xai_model_add_buffer(&gm->m, data, n);
  int32_t t = tensor(gm, type, shape, rank, (uint32_t)b, scale, zp);
  gm->op_inputs[gm->op_input_count++] = t;
  return t;
}

const char *bt_type_name(int8_t type) {
  switch (type) {
    case XAI_TYPE_FLOAT32: return "float32";
    case XAI_TYPE_INT8: return "int8";
    case XAI_TYPE_INT16: return "int16";
    case XAI_TYPE_INT32: return "int32";
    case XAI_TYPE_INT64: return "int64";
    case XAI_TYPE_BOOL: return "bool";
    case XAI_TYPE_UINT8: return "uint8";
    case XAI_TYPE_UINT32: return "uint32";
    default: return "other";
  }
}

void bt_quant(gen_ctx *g, int8_t type, float *scale, int32_t *zp) {
  static const int32_t zps[] = {-128, 127, 0, -7, 64};
  *scale = 0.0f;
  *zp = 0;
  if (type == XAI_TYPE_INT8) {
    *scale = gen_log_uniform(g, 1e-3f, 0.5f);
    *zp = zps[gen_rand(g) % 5];
  } else if (type == XAI_TYPE_INT16) {
    *scale = gen_log_uniform(g, 1e-5f, 1e-2f);
  }
}
