/* The shape-family op adapters end to end: one-op models (PAD, PADV2,
 * CONCATENATION, PACK, SPLIT, SPLIT_V, UNPACK, SLICE, TRANSPOSE, GATHER,
 * ARG_MAX, STRIDED_SLICE, RESIZE_*) run through the runtime; all output
 * bytes must equal LiteRT's BUILTIN_REF outputs (shape_op_models.h from
 * gen_shape_op_models.py). Also checks that an out-of-range GATHER index
 * fails the invoke instead of reading outside the input. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"

typedef struct {
  const char *name;
  const uint8_t *model;
  size_t model_size;
  const uint8_t *in;
  size_t in_size;
  const uint8_t *out;
  size_t out_size;
} shape_op_model;

#include "shape_op_models.h"
#include "interp_heap.h"

static xai_interp *start(const uint8_t *model, size_t size, void **arena) {
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  xai_error err;
  xai_error_clear(&err);
  xai_test_heap_interp h;
  xai_status st = xai_test_heap_interp_init(&h, &cfg, &err);
  *arena = h.arena; /* the caller's to free */
  if (st == XAI_OK) return h.ip;
  fprintf(stderr, "init failed: %s\n", err.message);
  return NULL;
}

static void run(const shape_op_model *c) {
  void *arena;
  xai_interp *ip = start(c->model, c->model_size, &arena);
  xai_error err;
  xai_error_clear(&err);
  if (!ip) {
    fprintf(stderr, "%s: could not start\n", c->name);
    xai_test_failures++;
    free(arena);
    return;
  }
  size_t off = 0;
  for (uint32_t i = 0; i < xai_interp_input_count(ip); i++) {
    const size_t n = xai_interp_input(ip, i)->bytes;
    if (off + n > c->in_size ||
        xai_interp_set_input(ip, i, c->in + off, n, &err)) {
      fprintf(stderr, "%s: input %u: %s\n", c->name, i, err.message);
      xai_test_failures++;
      goto done;
    }
    off += n;
  }
  if (xai_interp_invoke(ip, &err)) {
    fprintf(stderr, "%s: %s\n", c->name, err.message);
    xai_test_failures++;
    goto done;
  }
  off = 0;
  for (uint32_t i = 0; i < xai_interp_output_count(ip); i++) {
    const xai_rt_tensor *t = xai_interp_output(ip, i);
    if (off + t->bytes > c->out_size ||
        memcmp(t->data, c->out + off, t->bytes) != 0) {
      fprintf(stderr, "%s: output %u differs from LiteRT\n", c->name, i);
      xai_test_failures++;
      goto done;
    }
    off += t->bytes;
  }
  CHECK_EQ_INT(off, c->out_size);
done:
  free(arena);
}

/* gather_s8 gathers rows of a [4,3] input; poke an index of 4 into a
 * copy of the model's indices buffer ({3,0,1,1} as int32) and expect the
 * invoke to fail with a range error. */
static void gather_out_of_range(void) {
  const shape_op_model *c = NULL;
  for (size_t i = 0; i < sizeof shape_op_models / sizeof *shape_op_models; i++)
    if (!strcmp(shape_op_models[i].name, "gather_s8")) c = &shape_op_models[i];
  CHECK(c != NULL);
  if (!c) return;
  uint8_t *copy = aligned_alloc(16, (c->model_size + 15) / 16 * 16);
  memcpy(copy, c->model, c->model_size);
  const int32_t want[4] = {3, 0, 1, 1}, bad[4] = {3, 0, 4, 1};
  int patched = 0;
  for (size_t i = 0; i + sizeof want <= c->model_size && !patched; i += 4)
    if (!memcmp(copy + i, want, sizeof want)) {
      memcpy(copy + i, bad, sizeof bad);
      patched = 1;
    }
  CHECK(patched);
  void *arena;
  xai_interp *ip = start(copy, c->model_size, &arena);
  CHECK(ip != NULL);
  if (ip) {
    xai_error err;
    xai_error_clear(&err);
    CHECK_EQ_INT(xai_interp_set_input(ip, 0, c->in, 12, &err), XAI_OK);
    xai_status st = xai_interp_invoke(ip, &err);
    CHECK_EQ_INT(st, XAI_ERR_RANGE);
    CHECK(strstr(err.message, "outside") != NULL);
  }
  free(arena);
  free(copy);
}

int main(void) {
  for (size_t i = 0; i < sizeof shape_op_models / sizeof *shape_op_models; i++)
    run(&shape_op_models[i]);
  gather_out_of_range();
  return xai_test_finish("runtime_test_shape_ops");
}
