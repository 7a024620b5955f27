/* The seanet int16 CONV_2D and TRANSPOSE_CONV models through the runtime:
 * every output element must equal the golden CSV (TFLite Micro reference
 * output) shipped beside each model in ../shared/models/seanet. Files:
 * NAME.tflite, NAME_input<k>_<type>.csv (subgraph input k),
 * NAME_golden_int16.csv. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "xai/tflite.h"
#include "interp_heap.h"

/* Reads comma/newline separated integers; returns the count (malloc'd). */
static long long *read_csv(const char *path, size_t *count) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  size_t cap = 1024, n = 0;
  long long *v = malloc(cap * sizeof *v);
  long long x;
  while (v && fscanf(f, " %lld ,", &x) == 1) {
    if (n == cap) {
      long long *grown = realloc(v, 2 * cap * sizeof *v);
      if (!grown) {
        free(v);
        v = NULL;
        break;
      }
      v = grown;
      cap *= 2;
    }
    v[n++] = x;
  }
  fclose(f);
  *count = n;
  return v;
}

/* Input k's CSV: NAME_input<k>_<int16|int32>.csv. */
static long long *read_input(const char base[4096], uint32_t k, size_t *count) {
  static const char *const types[] = {"int16", "int32", "int8"};
  char path[4200];
  for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
    snprintf(path, sizeof path, "%s_input%u_%s.csv", base, k, types[t]);
    long long *v = read_csv(path, count);
    if (v) return v;
  }
  return NULL;
}

static int set_input(xai_interp *ip, uint32_t k, const long long *v,
                     size_t n, const char *model) {
  xai_rt_tensor *t = xai_interp_input(ip, k);
  size_t esize = xai_tensor_type_size(t->type);
  if (esize == 0 || n * esize != t->bytes) {
    fprintf(stderr, "%s: input %u has %zu bytes, CSV gives %zu values\n",
            model, k, (size_t)t->bytes, n);
    return 0;
  }
  uint8_t *buf = malloc(t->bytes ? t->bytes : 1);
  if (!buf) return 0;
  for (size_t i = 0; i < n; i++) {
    if (t->type == XAI_TYPE_INT16) {
      int16_t x = (int16_t)v[i];
      memcpy(buf + i * 2, &x, 2);
    } else if (t->type == XAI_TYPE_INT32) {
      int32_t x = (int32_t)v[i];
      memcpy(buf + i * 4, &x, 4);
    } else {
      int8_t x = (int8_t)v[i];
      memcpy(buf + i, &x, 1);
    }
  }
  xai_error err;
  xai_status st = xai_interp_set_input(ip, k, buf, t->bytes, &err);
  free(buf);
  if (st) fprintf(stderr, "%s: %s\n", model, err.message);
  return st == XAI_OK;
}

/* Rewrites a model through the project's reader and builder, which put
 * every buffer at a 16-byte aligned offset. */
static int realign(const uint8_t *data, size_t size, uint8_t **out,
                   size_t *out_size) {
  xai_error err;
  xai_tfl_view view;
  xai_model m;
  memset(&m, 0, sizeof m);
  int ok = xai_tfl_open(&view, data, size, &err) == XAI_OK &&
           xai_model_from_view(&m, &view, 1, &err) == XAI_OK &&
           xai_model_write(&m, out, out_size, &err) == XAI_OK;
  if (!ok) fprintf(stderr, "rewriting the model failed: %s\n", err.message);
  xai_model_free(&m);
  return ok;
}

/* Runs one model; returns the number of mismatching elements (or 1 for a
 * failure to run). */
static int run_model(const char *path) {
  char base[4096];
  size_t len = strlen(path);
  if (len < 7 || len - 7 >= sizeof base) return 1;
  memcpy(base, path, len - 7); /* strip ".tflite" */
  base[len - 7] = '\0';
  char golden_path[4200];
  snprintf(golden_path, sizeof golden_path, "%s_golden_int16.csv", base);
  size_t golden_n = 0;
  long long *golden = read_csv(golden_path, &golden_n);
  if (!golden) return 0; /* no golden: not one of the test models */

  int bad = 1;
  uint8_t *model = NULL, *rewritten = NULL;
  size_t size = 0;
  xai_error err;
  xai_error_clear(&err);
  xai_test_heap_interp h = {0};
  if (xai_file_read(path, &model, &size, &err)) {
    fprintf(stderr, "%s\n", err.message);
    goto done;
  }
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  size_t need = 0;
  if (xai_interp_arena_needed(&cfg, &need, &err) &&
      strstr(err.message, "aligned")) {
    /* The transpose_conv files carry an int64 bias at an offset that is
     * not 8-byte aligned; the runtime asks for the model to be rewritten
     * with aligned buffers, which our builder does. */
    uint8_t *fixed = NULL;
    size_t fixed_size = 0;
    if (!realign(model, size, &fixed, &fixed_size)) goto done;
    xai_file_free(model);
    model = NULL;
    rewritten = fixed;
    cfg.model = fixed;
    cfg.model_size = fixed_size;
    xai_error_clear(&err);
  }
  if (err.status || xai_test_heap_interp_init(&h, &cfg, &err)) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    goto done;
  }
  xai_interp *ip = h.ip;
  for (uint32_t k = 0; k < xai_interp_input_count(ip); k++) {
    size_t n = 0;
    long long *v = read_input(base, k, &n);
    int ok = v && set_input(ip, k, v, n, path);
    if (!v) fprintf(stderr, "%s: no CSV for input %u\n", path, k);
    free(v);
    if (!ok) goto done;
  }
  if (xai_interp_invoke(ip, &err)) {
    fprintf(stderr, "%s: %s\n", path, err.message);
    goto done;
  }
  const xai_rt_tensor *out = xai_interp_output(ip, 0);
  if (out->type != XAI_TYPE_INT16 || out->bytes != golden_n * 2) {
    fprintf(stderr, "%s: output is %s with %zu bytes; golden has %zu values\n",
            path, xai_tensor_type_name(out->type), (size_t)out->bytes,
            golden_n);
    goto done;
  }
  bad = 0;
  for (size_t i = 0; i < golden_n; i++) {
    int16_t y;
    memcpy(&y, (const uint8_t *)out->data + i * 2, 2);
    if (y != golden[i]) {
      if (bad < 5)
        fprintf(stderr, "%s: element %zu is %d, golden %lld\n", path, i, y,
                golden[i]);
      bad++;
    }
  }
done:
  xai_test_heap_interp_free(&h);
  xai_file_free(model);
  free(rewritten);
  free(golden);
  return bad;
}

int main(void) {
  const char *models = xai_test_models_dir();
  if (!models) return XAI_TEST_SKIP;
  static const char *const dirs[] = {"seanet/conv", "seanet/transpose_conv"};
  size_t total = 0;
  for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", models, dirs[d]);
    char **paths = NULL;
    size_t n = xai_test_list_files(dir, ".tflite", &paths);
    for (size_t i = 0; i < n; i++) {
      int bad = run_model(paths[i]);
      if (bad) {
        fprintf(stderr, "%s: %d mismatching element(s)\n", paths[i], bad);
        xai_test_failures++;
      }
    }
    total += n;
    xai_test_free_list(paths, n);
  }
  CHECK(total >= 20); /* 22 conv + 5 transpose_conv models are shipped */
  printf("test_seanet_conv: %zu models\n", total);
  return xai_test_finish("test_seanet_conv");
}
