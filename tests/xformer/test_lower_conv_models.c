/* Whole models through the xformer: person_detect (and mobilenet_v2 at
 * one thread count) compiled at 1 and 5 threads give the same output bits
 * with the XAI_* ops as the original model with the reference kernels.
 * Also prints how long the convolution ops' estimates take on
 * mobilenet_v2 (the xformer report must stay under a second). */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "test_lower_conv_util.h"

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *buf = aligned_alloc(16, ((size_t)n + 15u) & ~(size_t)15u);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = (size_t)n;
  return buf;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef xai_test_heap_interp runner;

static xai_status open_model(runner *r, const uint8_t *model, size_t size,
                             const xai_op_resolver *res) {
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.resolver = res;
  xai_error err = {0};
  xai_status st = xai_test_heap_interp_init(r, &cfg, &err);
  if (st) fprintf(stderr, "interp: %s\n", err.message);
  return st;
}

/* Runs on a seeded random input; *out is a malloc'd copy of output 0. */
static xai_status run(runner *r, uint64_t seed, int8_t **out, size_t *n) {
  xai_rt_tensor *in = xai_interp_input(r->ip, 0);
  int8_t *x = malloc(in->bytes);
  for (size_t i = 0; i < in->bytes; i++) x[i] = (int8_t)tu_rand(&seed);
  xai_error err = {0};
  xai_status st = xai_interp_set_input(r->ip, 0, x, in->bytes, &err);
  if (!st) st = xai_interp_invoke(r->ip, &err);
  free(x);
  if (st) {
    fprintf(stderr, "invoke: %s\n", err.message);
    return st;
  }
  xai_rt_tensor *o = xai_interp_output(r->ip, 0);
  *n = o->bytes;
  *out = malloc(o->bytes);
  memcpy(*out, o->data, o->bytes);
  return XAI_OK;
}

static void check_model(const char *dir, const char *file,
                        const unsigned *threads, unsigned n_threads,
                        int time_estimates) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tflm/%s", dir, file);
  size_t size = 0;
  uint8_t *model = read_file(path, &size);
  if (!model) {
    printf("%s: absent, skipped\n", file);
    return;
  }
  runner ref = {0};
  int8_t *want = NULL;
  size_t want_n = 0;
  CHECK_EQ_INT(open_model(&ref, model, size, xai_ref_resolver()), XAI_OK);
  if (ref.ip) CHECK_EQ_INT(run(&ref, 42, &want, &want_n), XAI_OK);
  for (unsigned t = 0; t < n_threads && want; t++) {
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = threads[t];
    o.quiet = 1;
    uint8_t *opt = NULL;
    size_t opt_size = 0;
    xai_error err = {0};
    double t0 = now();
    xai_status st = xai_xformer_run(model, size, &o, &opt, &opt_size, NULL,
                                    NULL, NULL, &err);
    double t1 = now();
    CHECK_EQ_INT(st, XAI_OK);
    if (st) {
      fprintf(stderr, "%s: %s\n", file, err.message);
      continue;
    }
    runner r = {0};
    CHECK_EQ_INT(open_model(&r, opt, opt_size, xai_all_ops_resolver()),
                 XAI_OK);
    unsigned lowered = 0, ops = r.ip ? xai_interp_op_count(r.ip) : 0;
    double est_s = 0;
    for (unsigned i = 0; i < ops; i++) {
      xai_op_ctx *ctx = xai_interp_op(r.ip, i);
      if (strncmp(ctx->op_name, "XAI_", 4) != 0) continue;
      lowered++;
      const xai_op_registration *reg = xai_interp_op_registration(r.ip, i);
      if (time_estimates && reg->estimate) {
        double e0 = now();
        memset(ctx->cost, 0, sizeof *ctx->cost);
        CHECK_EQ_INT(reg->estimate(ctx), XAI_OK);
        est_s += now() - e0;
        CHECK(ctx->cost->ticks > 0);
      }
    }
    CHECK(lowered > 0);
    int8_t *got = NULL;
    size_t got_n = 0;
    if (r.ip) CHECK_EQ_INT(run(&r, 42, &got, &got_n), XAI_OK);
    CHECK_EQ_INT(got_n, want_n);
    long diff = 0;
    for (size_t i = 0; got && i < got_n && i < want_n; i++)
      diff += got[i] != want[i];
    CHECK_EQ_INT(diff, 0);
    printf("%s at %u threads: %u of %u ops lowered, xformer %.3f s, "
           "estimates %.3f s, %zu output bytes %s\n", file, threads[t],
           lowered, ops, t1 - t0, est_s, got_n,
           diff ? "DIFFER" : "equal to the reference");
    free(got);
    xai_test_heap_interp_free(&r);
    free(opt);
  }
  free(want);
  xai_test_heap_interp_free(&ref);
  free(model);
}

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  static const unsigned pd_threads[2] = {1, 5};
  check_model(dir, "person_detect.tflite", pd_threads, 2, 1);
#ifndef __SANITIZE_ADDRESS__ /* full mobilenet emulation is slow under ASan */
  static const unsigned mb_threads[1] = {5};
  check_model(dir, "mobilenet_v2_quantized_1x3x224x224.tflite", mb_threads,
              1, 1);
#endif
  return xai_test_finish("xformer_lower_conv_models");
}
