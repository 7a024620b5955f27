#include "model_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "interp_heap.h"

int test_model_load(test_model *m, const char *rel) {
  memset(m, 0, sizeof *m);
  const char *dir = xai_test_models_dir();
  if (!dir) return 0;
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  xai_error err = {0};
  if (xai_file_read(path, &m->bytes, &m->size, &err) != XAI_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 0;
  }
  return 1;
}

void test_model_free(test_model *m) { xai_file_free(m->bytes); }

size_t test_model_run(const test_model *m, const uint8_t *const *inputs,
                      uint32_t output, uint8_t *out, size_t out_cap) {
  xai_interp_config c = xai_test_interp_config(m->bytes, m->size, NULL, 0);
  c.clock_mhz = 800;
  xai_error err = {0};
  xai_test_heap_interp h;
  if (xai_test_heap_interp_init(&h, &c, &err) != XAI_OK) {
    fprintf(stderr, "direct run: %s\n", err.message);
    exit(1);
  }
  xai_interp *ip = h.ip;
  for (uint32_t i = 0; i < xai_interp_input_count(ip); i++) {
    xai_rt_tensor *t = xai_interp_input(ip, i);
    if (xai_interp_set_input(ip, i, inputs[i], t->bytes, &err) != XAI_OK)
      exit(1);
  }
  if (xai_interp_invoke(ip, &err) != XAI_OK) {
    fprintf(stderr, "direct run: %s\n", err.message);
    exit(1);
  }
  xai_rt_tensor *t = xai_interp_output(ip, output);
  size_t n = t->bytes < out_cap ? t->bytes : out_cap;
  memcpy(out, t->data, n);
  size_t bytes = t->bytes;
  /* The interpreter and its tensors live in the arena. */
  xai_test_heap_interp_free(&h);
  return bytes;
}

void test_fill(uint8_t *p, size_t n, uint64_t seed) {
  uint64_t s = seed | 1;
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)xai_test_rand(&s);
}
