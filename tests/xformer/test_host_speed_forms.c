/* The host-speed forms of the xcore kernels (requant_run.c: lanes computed
 * directly, the instruction sequence charged in one step) change neither
 * bits nor modelled time: every model that the xformer lowers runs at 1 and 5 threads with
 * xai_rq_run both ways (xai_rq_set_vpu_sequence), and every op's output
 * bytes, ticks, cycles, largest thread bundle count and MACs must agree.
 * Every model under shared/models is tried (those the xformer does not
 * lower are skipped). Under ASan (slow): 5 threads, models up to 1 MB. */
#include <stdlib.h>
#include <string.h>

#include "interp_heap.h"
#include "testlib.h"
#include "xai/common.h"
#include "xai/kernels_xcore/requant.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

typedef struct {
  uint8_t *out;
  size_t out_n;
  xai_op_cost *cost;
  unsigned ops;
} run_result;

/* Each op's cost as invoke reports it (subgraph 0; the ctx's cost does
 * not outlive the op's run). */
static void record_cost(void *user, const xai_op_timing *t) {
  run_result *res = user;
  if (t->subgraph != 0 || !t->cost) return;
  if (t->index >= res->ops) {
    unsigned n = t->index + 64;
    xai_op_cost *c = realloc(res->cost, n * sizeof *c);
    if (!c) return;
    memset(c + res->ops, 0, (n - res->ops) * sizeof *c);
    res->cost = c;
    res->ops = n;
  }
  res->cost[t->index] = *t->cost;
}

static int run_once(const uint8_t *model, size_t size, run_result *res) {
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.resolver = xai_all_ops_resolver();
  cfg.hook = record_cost;
  cfg.hook_user = res;
  xai_test_heap_interp h = {0};
  xai_error err = {0};
  if (xai_test_heap_interp_init(&h, &cfg, &err) != XAI_OK) {
    fprintf(stderr, "interp: %s\n", err.message);
    return 0;
  }
  uint64_t seed = 7;
  for (unsigned i = 0; i < xai_interp_input_count(h.ip); i++) {
    xai_rt_tensor *in = xai_interp_input(h.ip, i);
    uint8_t *x = malloc(in->bytes);
    for (size_t k = 0; k < in->bytes; k++) x[k] = (uint8_t)xai_test_rand(&seed);
    xai_interp_set_input(h.ip, i, x, in->bytes, &err);
    free(x);
  }
  int ok = xai_interp_invoke(h.ip, &err) == XAI_OK;
  if (!ok) fprintf(stderr, "invoke: %s\n", err.message);
  xai_rt_tensor *o = xai_interp_output(h.ip, 0);
  res->out_n = o->bytes;
  res->out = malloc(o->bytes);
  memcpy(res->out, o->data, o->bytes);
  ok &= res->ops >= xai_interp_op_count(h.ip);
  res->ops = xai_interp_op_count(h.ip);
  xai_test_heap_interp_free(&h);
  return ok;
}

static void free_result(run_result *r) {
  free(r->out);
  free(r->cost);
}

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

static int g_models;

static void check_model(const char *path) {
  size_t size = 0;
  uint8_t *model = NULL;
  if (xai_file_read(path, &model, &size, NULL) != XAI_OK) return;
  if (SANITIZED && size > ((size_t)1 << 20)) {
    xai_file_free(model);
    return;
  }
  for (unsigned threads = SANITIZED ? 5 : 1; threads <= 5; threads += 4) {
    xai_xformer_options o;
    xai_xformer_options_init(&o);
    o.thread_count = threads;
    o.quiet = 1;
    uint8_t *opt = NULL;
    size_t opt_size = 0;
    xai_error err = {0};
    if (xai_xformer_run(model, size, &o, &opt, &opt_size, NULL, NULL, NULL,
                        &err) != XAI_OK) {
      printf("%s: not lowered (%s), skipped\n", path, err.message);
      break;
    }
    run_result fast = {0}, seq = {0};
    xai_rq_set_vpu_sequence(0);
    int ok = run_once(opt, opt_size, &fast);
    xai_rq_set_vpu_sequence(1);
    ok &= run_once(opt, opt_size, &seq);
    xai_rq_set_vpu_sequence(0);
    CHECK(ok);
    CHECK_EQ_INT(fast.out_n, seq.out_n);
    CHECK(fast.out_n == seq.out_n && memcmp(fast.out, seq.out, fast.out_n) == 0);
    CHECK_EQ_INT(fast.ops, seq.ops);
    unsigned differ = 0;
    for (unsigned i = 0; i < fast.ops && i < seq.ops; i++) {
      const xai_op_cost *a = &fast.cost[i], *b = &seq.cost[i];
      if (a->ticks != b->ticks || a->cycles != b->cycles ||
          a->bundles_max != b->bundles_max || a->macs != b->macs) {
        fprintf(stderr, "%s at %u threads, op %u: ticks %llu vs %llu, "
                "bundles %llu vs %llu\n", path, threads, i,
                (unsigned long long)a->ticks, (unsigned long long)b->ticks,
                (unsigned long long)a->bundles_max,
                (unsigned long long)b->bundles_max);
        differ++;
      }
    }
    CHECK_EQ_INT(differ, 0);
    printf("%s at %u threads: %u ops, outputs and modelled costs equal\n",
           path, threads, fast.ops);
    g_models++;
    free_result(&fast);
    free_result(&seq);
    free(opt);
  }
  xai_file_free(model);
}

int main(void) {
  const char *models = xai_test_models_dir();
  if (!models) return XAI_TEST_SKIP;
  char **paths = NULL;
  size_t n = xai_test_list_files(models, ".tflite", &paths);
  for (size_t i = 0; i < n; i++) check_model(paths[i]);
  xai_test_free_list(paths, n);
  if (g_models == 0) return XAI_TEST_SKIP;
  return xai_test_finish("host_speed_forms");
}
