/* Every seanet ADD, SUB, LEAKY_RELU and QUANTIZE model (int16/int32 single-op
 * models with TFLite Micro reference outputs) through the runtime: inputs
 * from NAME_input<i>_<type>.csv, every output element compared with
 * NAME_golden_<type>.csv. Models without a golden file are skipped. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/runtime.h"
#include "interp_heap.h"

static _Alignas(16) uint8_t g_arena[512 * 1024];

/* Reads comma/newline separated integers; returns the count (malloc'd). */
static size_t read_csv(const char *path, int64_t **out) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  size_t n = 0, cap = 1024;
  int64_t *v = malloc(cap * sizeof *v);
  long long x;
  while (fscanf(f, " %lld ,", &x) == 1) {
    if (n == cap) v = realloc(v, (cap *= 2) * sizeof *v);
    v[n++] = x;
  }
  fclose(f);
  *out = v;
  return n;
}

/* Finds "<base>_<kind>_*.csv" in dir (kind: "input0", "golden", ...). */
static int find_csv(const char *dir, const char *base, const char *kind,
                    char *path, size_t size) {
  char prefix[256];
  snprintf(prefix, sizeof prefix, "%s_%s_", base, kind);
  DIR *d = opendir(dir);
  if (!d) return 0;
  struct dirent *e;
  int found = 0;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
        strstr(e->d_name, ".csv")) {
      snprintf(path, size, "%.1000s/%.255s", dir, e->d_name);
      found = 1;
      break;
    }
  }
  closedir(d);
  return found;
}

static int64_t get(const xai_rt_tensor *t, size_t i) {
  switch (t->type) {
    case XAI_TYPE_INT8: return ((const int8_t *)t->data)[i];
    case XAI_TYPE_INT16: return ((const int16_t *)t->data)[i];
    case XAI_TYPE_INT32: return ((const int32_t *)t->data)[i];
    default: return 0;
  }
}

static void put(xai_rt_tensor *t, size_t i, int64_t v, uint8_t *buf) {
  switch (t->type) {
    case XAI_TYPE_INT8: ((int8_t *)buf)[i] = (int8_t)v; break;
    case XAI_TYPE_INT16: ((int16_t *)buf)[i] = (int16_t)v; break;
    case XAI_TYPE_INT32: ((int32_t *)buf)[i] = (int32_t)v; break;
    default: break;
  }
}

/* Runs one model; returns 1 if it ran (golden present), 0 if skipped. */
static int run_model(const char *dir, const char *file) {
  char path[1536], base[256], csv[1536];
  snprintf(path, sizeof path, "%.1000s/%.255s", dir, file);
  snprintf(base, sizeof base, "%.*s", (int)(strlen(file) - 7), file);
  if (!find_csv(dir, base, "golden", csv, sizeof csv)) return 0;

  uint8_t *model = NULL;
  size_t size = 0;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &model, &size, &err) != XAI_OK) {
    fprintf(stderr, "%s: %s\n", file, err.message);
    xai_test_failures++;
    return 1;
  }
  xai_interp_config c =
      xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  /* The goldens come from a TFLite Micro that computed LEAKY_RELU's ratios
   * in float32, as LiteRT does (today's computes them in double; the
   * TFLM-mode check against its interpreter is tests/oracle). */
  c.semantics = XAI_SEMANTICS_LITERT;
  xai_interp *ip = NULL;
  if (xai_interp_init(&ip, &c, &err) != XAI_OK) {
    fprintf(stderr, "%s: init: %s\n", file, err.message);
    xai_test_failures++;
    xai_file_free(model);
    return 1;
  }
  for (uint32_t i = 0; i < xai_interp_input_count(ip); i++) {
    char kind[16], in_csv[1536];
    snprintf(kind, sizeof kind, "input%u", i);
    xai_rt_tensor *t = xai_interp_input(ip, i);
    int64_t *vals = NULL;
    size_t n = find_csv(dir, base, kind, in_csv, sizeof in_csv)
                   ? read_csv(in_csv, &vals)
                   : 0;
    size_t count = xai_rt_tensor_elements(t);
    CHECK_EQ_INT(n, count);
    uint8_t *buf = calloc(t->bytes ? t->bytes : 1, 1);
    for (size_t k = 0; k < n && k < count; k++) put(t, k, vals[k], buf);
    CHECK_EQ_INT(xai_interp_set_input(ip, i, buf, t->bytes, &err), XAI_OK);
    free(buf);
    free(vals);
  }
  if (xai_interp_invoke(ip, &err) != XAI_OK) {
    fprintf(stderr, "%s: invoke: %s\n", file, err.message);
    xai_test_failures++;
  } else {
    int64_t *golden = NULL;
    size_t n = read_csv(csv, &golden);
    const xai_rt_tensor *out = xai_interp_output(ip, 0);
    size_t count = xai_rt_tensor_elements(out);
    CHECK_EQ_INT(n, count);
    size_t bad = 0;
    for (size_t k = 0; k < n && k < count; k++) {
      if (get(out, k) != golden[k]) {
        if (bad < 3)
          fprintf(stderr, "%s[%zu]: got %lld, golden %lld\n", file, k,
                  (long long)get(out, k), (long long)golden[k]);
        bad++;
      }
    }
    if (bad) {
      fprintf(stderr, "%s: %zu of %zu elements differ\n", file, bad, count);
      xai_test_failures++;
    }
    free(golden);
  }
  xai_file_free(model);
  return 1;
}

int main(void) {
  const char *models = xai_test_models_dir();
  if (!models) return XAI_TEST_SKIP;
  static const char *const families[] = {"add", "sub", "leaky_relu",
                                         "quantize"};
  int ran = 0;
  for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/seanet/%s", models, families[f]);
    DIR *d = opendir(dir);
    if (!d) {
      fprintf(stderr, "missing %s\n", dir);
      xai_test_failures++;
      continue;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
      size_t len = strlen(e->d_name);
      if (len > 7 && strcmp(e->d_name + len - 7, ".tflite") == 0)
        ran += run_model(dir, e->d_name);
    }
    closedir(d);
  }
  printf("ran %d seanet models\n", ran);
  CHECK(ran >= 40);
  return xai_test_finish("runtime_seanet_elementwise");
}
