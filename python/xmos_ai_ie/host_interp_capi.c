/* libxai_interp_py.so: the runtime (include/xai/runtime.h) behind a small
 * C ABI for xmos_ai_ie.host_interpreter: an optimised model (and its
 * params file) run in-process on the host, with the modelled device time
 * of every layer, no emulator or board. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/runtime.h"

#define NAME_BYTES 64
#define MAX_RANK 8

typedef struct {
  char name[NAME_BYTES];
  int32_t type; /* TFLite TensorType code */
  int32_t rank;
  int32_t shape[MAX_RANK];
  float scale;
  int32_t zero_point;
  uint64_t bytes;
} xai_py_tensor;

typedef struct {
  char op[40];
  uint64_t ticks;
} xai_py_layer;

typedef struct {
  uint8_t *model, *params;
  void *arena;
  xai_params_source src;
  xai_interp *ip;
  xai_py_layer *layers;
  uint32_t layer_count, layer_cap;
} xai_py_interp;

size_t xai_py_interp_sizeof(char what) {
  return what == 't' ? sizeof(xai_py_tensor) : sizeof(xai_py_layer);
}

static int fail(char *msg, size_t cap, const char *text) {
  snprintf(msg, cap, "%s", text);
  return 1;
}

static void on_op(void *user, const xai_op_timing *t) {
  xai_py_interp *p = user;
  if (t->subgraph != 0) return;
  if (p->layer_count == p->layer_cap) {
    uint32_t cap = p->layer_cap ? 2 * p->layer_cap : 64;
    xai_py_layer *l = realloc(p->layers, cap * sizeof *l);
    if (!l) return;
    p->layers = l;
    p->layer_cap = cap;
  }
  xai_py_layer *l = &p->layers[p->layer_count++];
  snprintf(l->op, sizeof l->op, "%s", t->op_name ? t->op_name : "?");
  l->ticks = t->cost ? t->cost->ticks : 0;
}

void xai_py_interp_close(xai_py_interp *p) {
  if (!p) return;
  free(p->layers);
  free(p->arena);
  free(p->params);
  free(p->model);
  free(p);
}

int xai_py_interp_open(const uint8_t *model, size_t size,
                       const uint8_t *params, size_t psize,
                       uint32_t clock_mhz, xai_py_interp **out, char *msg,
                       size_t cap) {
  *out = NULL;
  xai_py_interp *p = calloc(1, sizeof *p);
  /* The runtime reads the model in place: a 16-byte aligned copy. */
  if (!p || !(p->model = aligned_alloc(16, (size + 15) & ~(size_t)15))) {
    free(p);
    return fail(msg, cap, "out of memory");
  }
  memcpy(p->model, model, size);
  xai_interp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = p->model;
  cfg.model_size = size;
  cfg.clock_mhz = clock_mhz;
  if (params && psize) {
    p->params = aligned_alloc(16, (psize + 15) & ~(size_t)15);
    if (!p->params) {
      xai_py_interp_close(p);
      return fail(msg, cap, "out of memory");
    }
    memcpy(p->params, params, psize);
    p->src = xai_params_memory(p->params, psize, XAI_PARAMS_RAM);
    cfg.params = &p->src;
  }
  xai_error err;
  xai_error_clear(&err);
  size_t need = 0;
  if (xai_interp_arena_needed(&cfg, &need, &err) != XAI_OK) {
    xai_py_interp_close(p);
    return fail(msg, cap, err.message);
  }
  p->arena = aligned_alloc(16, (need + 15) & ~(size_t)15);
  if (!p->arena) {
    xai_py_interp_close(p);
    return fail(msg, cap, "out of memory allocating the arena");
  }
  cfg.arena = p->arena;
  cfg.arena_size = need;
  cfg.hook = on_op;
  cfg.hook_user = p;
  if (xai_interp_init(&p->ip, &cfg, &err) != XAI_OK) {
    xai_py_interp_close(p);
    return fail(msg, cap, err.message);
  }
  *out = p;
  return 0;
}

uint32_t xai_py_interp_count(xai_py_interp *p, int outputs) {
  return outputs ? xai_interp_output_count(p->ip)
                 : xai_interp_input_count(p->ip);
}

uint64_t xai_py_interp_arena(xai_py_interp *p) {
  return xai_interp_arena_used(p->ip);
}

static xai_rt_tensor *tensor(xai_py_interp *p, int output, uint32_t i) {
  if (i >= xai_py_interp_count(p, output)) return NULL;
  return output ? xai_interp_output(p->ip, i) : xai_interp_input(p->ip, i);
}

int xai_py_interp_tensor(xai_py_interp *p, int output, uint32_t i,
                         xai_py_tensor *info) {
  xai_rt_tensor *t = tensor(p, output, i);
  if (!t) return 1;
  memset(info, 0, sizeof *info);
  snprintf(info->name, sizeof info->name, "%s",
           xai_interp_tensor_name(p->ip, t));
  info->type = t->type;
  info->rank = t->rank;
  for (int d = 0; d < t->rank && d < MAX_RANK; d++) info->shape[d] = t->dims[d];
  info->scale = t->quant_count ? t->scale : 0.0f;
  info->zero_point = t->quant_count ? t->zero_point : 0;
  info->bytes = t->bytes;
  return 0;
}

int xai_py_interp_set_input(xai_py_interp *p, uint32_t i, const void *data,
                            size_t n, char *msg, size_t cap) {
  xai_error err;
  xai_error_clear(&err);
  if (xai_interp_set_input(p->ip, i, data, n, &err) != XAI_OK)
    return fail(msg, cap, err.message);
  return 0;
}

int xai_py_interp_invoke(xai_py_interp *p, char *msg, size_t cap) {
  xai_error err;
  xai_error_clear(&err);
  p->layer_count = 0;
  if (xai_interp_invoke(p->ip, &err) != XAI_OK)
    return fail(msg, cap, err.message);
  return 0;
}

int xai_py_interp_get_output(xai_py_interp *p, uint32_t i, void *dst,
                             size_t cap) {
  xai_rt_tensor *t = tensor(p, 1, i);
  if (!t || cap < t->bytes) return 1;
  memcpy(dst, t->data, t->bytes);
  return 0;
}

uint32_t xai_py_interp_layers(xai_py_interp *p, xai_py_layer *dst,
                              uint32_t cap) {
  uint32_t n = p->layer_count < cap ? p->layer_count : cap;
  if (n) memcpy(dst, p->layers, n * sizeof *dst);
  return p->layer_count;
}
