/* bench_memory_plan [THREADS] [BUDGET]: RAM and flash per model beside
 * TFLite Micro's and XMOS's.
 *
 * Per model of $XAI_SHARED_DIR/models (tflm/ and mlperf_tiny/):
 *  - TFLM: TFLite Micro's arena total from its PyPI interpreter
 *    (tflite-micro), in the same run through bench_memory_tflm.py with
 *    $XAI_TFLM_PYTHON (default: the project venv, then python3); "-" if
 *    it is not installed;
 *  - XMOS: the arena xcore-opt prints and its model bytes, plain and with
 *    a params file at 100 B, from xmos-ai-tools in the same run through
 *    bench_memory_xmos.py with $XAI_XMOS_PYTHON (default: build/venv-xmos,
 *    made by scripts/setup.sh); without it, the figures of
 *    ../shared/bench/BASELINES.md (5 threads), marked '*'; "-" where
 *    xcore-opt fails on the model;
 *  - xai: the arena total (planned head + persistent tail, as `xai run
 *    --arena` reports it) and model bytes of the compiled model; with a
 *    params file at 100 B: the arena with the automatic weight slices and
 *    with --xcore-weight-load-budget BUDGET (default 16384), model + params
 *    bytes;
 *  - time: modelled ms of the compiled model, and what the slices cost
 *    with the automatic and the given budget (ms minus ms with every load
 *    whole, all with the params split). Views, in-place ops,
 *    dropped names and shared constants cost no modelled time.
 * THREADS defaults to 5. */
#define _POSIX_C_SOURCE 200809L /* popen */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_heap.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

typedef struct {
  size_t arena, model, params;
  double ms;
  int ok;
} result;

static size_t arena_of(const uint8_t *model, size_t size,
                       const uint8_t *params, size_t params_size) {
  xai_interp_config c = xai_test_interp_config(model, size, NULL, 0);
  xai_params_source src;
  if (params) {
    src = xai_params_memory(params, params_size, XAI_PARAMS_RAM);
    c.params = &src;
  }
  size_t need = 0;
  xai_error err;
  if (xai_interp_arena_needed(&c, &need, &err)) return 0;
  return need;
}

static result compile(const uint8_t *in, size_t size, unsigned threads,
                      int split, size_t budget) {
  result r;
  memset(&r, 0, sizeof r);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.thread_count = threads;
  o.quiet = 1;
  o.params_file = split ? "bench.params" : NULL; /* not written */
  o.weight_load_budget = budget;
  uint8_t *out = NULL, *params = NULL;
  size_t out_size = 0, params_size = 0;
  xai_xformer_report rep;
  xai_error err;
  if (xai_xformer_run(in, size, &o, &out, &out_size, &params, &params_size,
                      &rep, &err) != XAI_OK) {
    fprintf(stderr, "xformer: %s\n", err.message);
    return r;
  }
  r.arena = arena_of(out, out_size, params, params_size);
  r.model = out_size;
  r.params = params_size;
  r.ms = (double)rep.ticks / 1e5;
  r.ok = r.arena > 0;
  xai_xformer_report_free(&rep);
  free(out);
  free(params);
  return r;
}

static long number(const char *s) {
  long v = 0;
  int any = 0;
  for (; *s && *s != '|'; s++)
    if (*s >= '0' && *s <= '9') {
      v = v * 10 + (*s - '0');
      any = 1;
    }
  return any ? v : -1;
}

/* XMOS's arena and model bytes for `model` from the BASELINES.md table
 * "| model | XMOS arena printed B | XMOS model B | ...". */
static void xmos_figures(const char *baselines, const char *model,
                         long *arena, long *bytes) {
  *arena = *bytes = -1;
  FILE *f = fopen(baselines, "r");
  if (!f) return;
  char line[512];
  int in_table = 0;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, "XMOS's compiler, measured side by side")) in_table = 1;
    if (!in_table || line[0] != '|') continue;
    char name[128];
    if (sscanf(line, "| %127s |", name) != 1 || strcmp(name, model)) continue;
    const char *c1 = strchr(line + 1, '|');
    const char *c2 = c1 ? strchr(c1 + 1, '|') : NULL;
    if (c1 && c2) {
      *arena = number(c1 + 1);
      *bytes = number(c2 + 1);
    }
    break;
  }
  fclose(f);
}

/* Runs `python script path args` and reads the "KEY N" lines it prints
 * into vals[i] for keys[i] (-1 where absent). Used for TFLite Micro's
 * interpreter and XMOS's compiler, which run in their own venvs. */
static void script_values(const char *python, const char *script,
                          const char *path, const char *args,
                          const char *const *keys, long *vals, int n) {
  for (int i = 0; i < n; i++) vals[i] = -1;
  char cmd[4096];
  snprintf(cmd, sizeof cmd, "\"%s\" \"%s\" \"%s\" %s 2>/dev/null", python,
           script, path, args);
  FILE *p = popen(cmd, "r");
  if (!p) return;
  char line[256];
  while (fgets(line, sizeof line, p))
    for (int i = 0; i < n; i++) {
      size_t k = strlen(keys[i]);
      if (!strncmp(line, keys[i], k) && line[k] == ' ')
        vals[i] = atol(line + k + 1);
    }
  pclose(p);
}

/* The interpreter at `venv` (relative to bench/) unless `env` names one;
 * `fallback` when neither exists. */
static const char *python_of(const char *env, const char *here,
                             const char *venv, const char *fallback,
                             char *buf, size_t cap) {
  const char *p = getenv(env);
  if (p) return p;
  snprintf(buf, cap, "%s/../build/%s/bin/python", here, venv);
  FILE *f = fopen(buf, "r");
  if (!f) return fallback;
  fclose(f);
  return buf;
}

static void dir_of(const char *file, char *out, size_t cap) {
  snprintf(out, cap, "%s", file);
  char *slash = strrchr(out, '/');
  if (slash)
    *slash = '\0';
  else
    snprintf(out, cap, ".");
}

static void cell_marked(long v, int mark) {
  if (v < 0)
    printf(" %10s", "-");
  else if (mark)
    printf(" %9ld*", v);
  else
    printf(" %10ld", v);
}

static void cell(long v) { cell_marked(v, 0); }

int main(int argc, char **argv) {
  const char *shared = getenv("XAI_SHARED_DIR");
  if (!shared) shared = "../shared";
  unsigned threads = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
  size_t budget = argc > 2 ? (size_t)atol(argv[2]) : 16384;
  char here[1024], script[1200], xmos_script[1200], baselines[1024];
  char venv_py[1200], xmos_py[1200];
  dir_of(__FILE__, here, sizeof here);
  snprintf(script, sizeof script, "%s/bench_memory_tflm.py", here);
  snprintf(xmos_script, sizeof xmos_script, "%s/bench_memory_xmos.py", here);
  snprintf(baselines, sizeof baselines, "%s/bench/BASELINES.md", shared);
  const char *python = python_of("XAI_TFLM_PYTHON", here, "venv", "python3",
                                 venv_py, sizeof venv_py);
  const char *xmos_python = python_of("XAI_XMOS_PYTHON", here, "venv-xmos",
                                      NULL, xmos_py, sizeof xmos_py);
  int any_baseline = 0;
  static const char *const models[] = {
      "tflm/hello_world_int8", "tflm/simple_add_model",
      "tflm/micro_speech_quantized", "tflm/person_detect",
      "mlperf_tiny/vww_96_int8", "tflm/trained_lstm_int8",
      "tflm/micro_speech_lstm", "tflm/dtln_noise_suppression",
      "tflm/mobilenet_v2_quantized_1x3x224x224"};
  printf("threads %u; arena and model bytes; split = params file at 100 B; "
         "budget = --xcore-weight-load-budget %zu\n", threads, budget);
  printf("%-26s %10s %10s %10s %10s %10s %10s | %10s %10s %10s %10s | %8s "
         "%8s %8s\n", "model", "TFLM", "XMOS", "XMOS split", "xai", "split",
         "budget", "XMOS model", "XMOS m+p", "xai model", "split m+p", "ms",
         "+slices", "+budget");
  for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
    char path[1200];
    snprintf(path, sizeof path, "%s/models/%s.tflite", shared, models[i]);
    const char *name = strchr(models[i], '/') + 1;
    uint8_t *model = NULL;
    size_t size = 0;
    xai_error err;
    if (xai_file_read(path, &model, &size, &err)) {
      printf("%-26.26s absent\n", name);
      continue;
    }
    static const char *const keys[] = {"total", "arena", "model", "params"};
    long tflm, xmos[3] = {-1, -1, -1}, xmos_split[3] = {-1, -1, -1};
    script_values(python, script, path, "", keys, &tflm, 1);
    char args[32];
    snprintf(args, sizeof args, "%u", threads);
    if (xmos_python) {
      script_values(xmos_python, xmos_script, path, args, keys + 1, xmos, 2);
      snprintf(args, sizeof args, "%u --split", threads);
      script_values(xmos_python, xmos_script, path, args, keys + 1,
                    xmos_split, 3);
    }
    int from_baselines = 0;
    if (!xmos_python) {
      /* Not installed: the figures measured at 5 threads, marked '*'. */
      xmos_figures(baselines, name, &xmos[0], &xmos[1]);
      from_baselines = xmos[0] >= 0;
      any_baseline |= from_baselines;
    }
    long xmos_mp = xmos_split[1] >= 0 && xmos_split[2] >= 0
                       ? xmos_split[1] + xmos_split[2]
                       : -1;
    result plain = compile(model, size, threads, 0, 0);
    result split = compile(model, size, threads, 1, 0);
    result tight = compile(model, size, threads, 1, budget);
    result whole = compile(model, size, threads, 1, (size_t)1 << 40);
    printf("%-26.26s", name);
    cell(tflm);
    cell_marked(xmos[0], from_baselines);
    cell(xmos_split[0]);
    cell(plain.ok ? (long)plain.arena : -1);
    cell(split.ok ? (long)split.arena : -1);
    cell(tight.ok ? (long)tight.arena : -1);
    printf(" |");
    cell_marked(xmos[1], from_baselines);
    cell(xmos_mp);
    cell(plain.ok ? (long)plain.model : -1);
    cell(split.ok ? (long)(split.model + split.params) : -1);
    printf(" | %8.3f %8.3f %8.3f\n", plain.ms,
           split.ok && whole.ok ? split.ms - whole.ms : 0.0,
           tight.ok && whole.ok ? tight.ms - whole.ms : 0.0);
    free(model);
  }
  if (any_baseline)
    printf("* xcore-opt not found (scripts/setup.sh installs it into "
           "build/venv-xmos; or set XAI_XMOS_PYTHON): XMOS's figures are "
           "BASELINES.md's, measured at 5 threads\n");
  else if (!xmos_python)
    printf("XMOS: xcore-opt not found and no BASELINES.md figures\n");
  return 0;
}
