/* The seanet int16 PAD and STRIDED_SLICE models through the runtime: each
 * output must equal NAME_golden_int16.csv (the TFLite Micro reference
 * output for NAME_input0_int16.csv), both in the tensors' flat order. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "interp_heap.h"

/* Comma/newline separated integers as int16; NULL if the file is absent. */
static int16_t *load_csv(const char *path, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  size_t cap = 4096;
  int16_t *v = malloc(cap * sizeof *v);
  long x;
  *n = 0;
  while (v && fscanf(f, " %ld ,", &x) == 1) {
    if (*n == cap) {
      int16_t *g = realloc(v, 2 * cap * sizeof *v);
      if (!g) {
        free(v);
        v = NULL;
        break;
      }
      v = g;
      cap *= 2;
    }
    v[(*n)++] = (int16_t)x;
  }
  fclose(f);
  return v;
}

/* Returns 1 when the model ran and matched, 0 otherwise; skips files
 * without a golden. */
static int run(const char *model_path, int *ran) {
  char base[4096], p[4200];
  size_t len = strlen(model_path);
  if (len < 8 || len - 7 >= sizeof base) return 0;
  memcpy(base, model_path, len - 7);
  base[len - 7] = '\0';
  size_t n_in = 0, n_gold = 0;
  snprintf(p, sizeof p, "%s_golden_int16.csv", base);
  int16_t *gold = load_csv(p, &n_gold);
  snprintf(p, sizeof p, "%s_input0_int16.csv", base);
  int16_t *in = load_csv(p, &n_in);
  int ok = 0;
  uint8_t *model = NULL;
  size_t size = 0;
  xai_test_heap_interp h = {0};
  xai_error err;
  xai_error_clear(&err);
  if (!gold || !in) {
    ok = 1; /* not a golden model */
    goto done;
  }
  *ran = 1;
  if (xai_file_read(model_path, &model, &size, &err)) goto fail;
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  if (xai_test_heap_interp_init(&h, &cfg, &err) ||
      xai_interp_set_input(h.ip, 0, in, n_in * 2, &err) ||
      xai_interp_invoke(h.ip, &err))
    goto fail;
  const xai_rt_tensor *out = xai_interp_output(h.ip, 0);
  if (out->type != XAI_TYPE_INT16 || out->bytes != n_gold * 2) {
    fprintf(stderr, "%s: output has %zu bytes; golden has %zu values\n",
            model_path, (size_t)out->bytes, n_gold);
    goto done;
  }
  const int16_t *y = out->data;
  for (size_t i = 0; i < n_gold; i++)
    if (y[i] != gold[i]) {
      fprintf(stderr, "%s: element %zu is %d, golden %d\n", model_path, i,
              y[i], gold[i]);
      goto done;
    }
  ok = 1;
  goto done;
fail:
  fprintf(stderr, "%s: %s\n", model_path, err.message);
done:
  xai_test_heap_interp_free(&h);
  xai_file_free(model);
  free(gold);
  free(in);
  return ok;
}

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  static const char *const ops[] = {"pad", "strided_slice"};
  for (size_t o = 0; o < 2; o++) {
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/seanet/%s", dir, ops[o]);
    char **paths = NULL;
    size_t count = xai_test_list_files(sub, ".tflite", &paths);
    int ran = 0, passed = 0;
    for (size_t i = 0; i < count; i++) {
      int this_ran = 0;
      int ok = run(paths[i], &this_ran);
      if (!ok) xai_test_failures++;
      if (this_ran) {
        ran++;
        passed += ok;
      }
    }
    printf("seanet %s: %d of %d golden models match\n", ops[o], passed, ran);
    CHECK(ran > 0);
    xai_test_free_list(paths, count);
  }
  return xai_test_finish("runtime_test_seanet_shape");
}
