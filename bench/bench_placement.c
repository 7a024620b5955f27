/* Estimated inference time per memory placement (docs/weights.md) from
 * the models the xformer actually compiles for it: each placement is
 * compiled twice, with --xcore-no-prefetch (every weight load waits for
 * its transfer) and with prefetch (loads hoisted one op early where the
 * arena has room, marked "pf"), and each compiled model is costed with its
 * own schedule (xai_params_overlap_ticks). Usage: bench_placement
 * [model.tflite ...]; default: the tflm person_detect and mobilenet_v2
 * from ../shared/models. Costs come from each op's estimate (or the
 * runtime's scalar estimate), not from running the model, so the figures
 * are the cost model's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interp_heap.h"
#include "xai/runtime.h"
#include "xai/xcore_machine.h"
#include "xai/xformer.h"

#ifndef XAI_SHARED_DIR
#define XAI_SHARED_DIR "../shared"
#endif

typedef struct {
  uint32_t n;
  uint64_t *ticks;      /* per op, loads at the source's bandwidth */
  bool *is_load;
  uint64_t *load_bytes; /* per op (0 for compute ops) */
  uint64_t *overlap;    /* per op: xai_op_cost.overlap_ticks */
  char (*names)[40];
  size_t arena;
} op_costs;

static void costs_free(op_costs *c) {
  free(c->ticks);
  free(c->is_load);
  free(c->load_bytes);
  free(c->overlap);
  free(c->names);
}

static xai_status cost_model(const uint8_t *model, size_t size,
                             const xai_params_source *src, op_costs *c,
                             xai_error *err) {
  memset(c, 0, sizeof *c);
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  cfg.params = src;
  xai_test_heap_interp h;
  xai_status st = xai_test_heap_interp_init(&h, &cfg, err);
  if (st) return st;
  c->arena = h.need;
  xai_interp *ip = h.ip;
  c->n = xai_interp_op_count(ip);
  size_t cap = c->n ? c->n : 1;
  c->ticks = calloc(cap, sizeof *c->ticks);
  c->is_load = calloc(cap, sizeof *c->is_load);
  c->load_bytes = calloc(cap, sizeof *c->load_bytes);
  c->overlap = calloc(cap, sizeof *c->overlap);
  c->names = calloc(cap, sizeof *c->names);
  if (!c->ticks || !c->is_load || !c->names || !c->load_bytes ||
      !c->overlap)
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  for (uint32_t i = 0; !st && i < c->n; i++) {
    xai_op_ctx *op = xai_interp_op(ip, i);
    const xai_op_registration *reg = xai_interp_op_registration(ip, i);
    memset(op->cost, 0, sizeof *op->cost);
    xai_error e;
    xai_error_clear(&e);
    op->err = &e;
    /* Loads run for real, in order, so the estimates of the ops after them
     * see their real packed weights (the cost of some kernels depends on
     * them); the arena plan keeps every loaded tensor until its reader. */
    c->is_load[i] = strcmp(op->op_name, "XAI_load_weights") == 0;
    if (c->is_load[i] && src)
      st = reg->eval(op);
    else if (reg->estimate)
      st = reg->estimate(op);
    if (st) {
      st = xai_fail(err, st, "op %u: %s", i, e.message);
      break;
    }
    if (op->cost->ticks == 0) xai_op_default_cost(op);
    c->ticks[i] = op->cost->ticks;
    c->overlap[i] = op->cost->overlap_ticks;
    if (c->is_load[i]) c->load_bytes[i] = op->cost->weight_bytes;
    snprintf(c->names[i], sizeof c->names[i], "%s", op->op_name);
  }
  xai_test_heap_interp_free(&h);
  return st;
}

static double ms(uint64_t ticks) {
  return (double)ticks / (XAI_XCORE_REF_TIMER_HZ / 1000.0);
}

/* How much slower each op type gets when its weights stream from flash:
 * (compute + load) / compute, over the layers that load weights. */
static void slowdown_by_type(const op_costs *c, uint64_t bytes_per_s) {
  const char *types[] = {"FULLY_CONNECTED", "XAI_fc", "CONV_2D",
                         "XAI_conv2d", "DEPTHWISE_CONV_2D",
                         "XAI_depthwise_conv2d"};
  for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
    uint64_t comp = 0, load = 0, bytes = 0;
    uint32_t layers = 0;
    for (uint32_t i = 0; i + 1 < c->n; i++) {
      if (!c->is_load[i]) continue;
      uint32_t j = i + 1;
      while (j < c->n && c->is_load[j]) j++;
      if (j >= c->n || strcmp(c->names[j], types[k]) != 0) continue;
      comp += c->ticks[j];
      load += xai_params_ticks(c->load_bytes[i], bytes_per_s);
      bytes += c->load_bytes[i];
      layers++;
    }
    if (layers == 0 || comp == 0) continue;
    printf("    %-22s %3u layers  %9llu weight bytes  compute %8.3f ms  "
           "flash load %8.3f ms  x%.2f slower\n", types[k], layers,
           (unsigned long long)bytes, ms(comp), ms(load),
           (double)(comp + load) / (double)comp);
  }
}

/* One placement compiled with and without prefetch. */
typedef struct {
  const char *name;
  xai_xf_memory memory;
  bool split;           /* with a params file */
  uint8_t kind;         /* params source kind for the cost */
  uint64_t bps;         /* its bandwidth (0 = the kind's default) */
} placement_row;

typedef struct {
  uint8_t *model, *params;
  size_t model_size, params_size;
  xai_xformer_report rep;
  int ok;
} compiled;

static void compiled_free(compiled *c) {
  free(c->model);
  free(c->params);
  if (c->ok) xai_xformer_report_free(&c->rep);
  memset(c, 0, sizeof *c);
}

static void compile(const uint8_t *in, size_t size, const placement_row *r,
                    int no_prefetch, compiled *c, xai_error *err) {
  memset(c, 0, sizeof *c);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.memory = r->memory;
  o.params_file = r->split ? "bench.params" : NULL; /* not written */
  o.no_prefetch = no_prefetch;
  c->ok = xai_xformer_run(in, size, &o, &c->model, &c->model_size,
                          r->split ? &c->params : NULL,
                          r->split ? &c->params_size : NULL, &c->rep,
                          err) == XAI_OK;
}

/* Device ticks of a compiled model with its loads streamed at r's
 * bandwidth: the plain sum, and the sum with prefetched loads hidden under
 * the op after them. */
static xai_status time_model(const compiled *c, const placement_row *r,
                             uint64_t *sync, uint64_t *device,
                             uint32_t *loads, uint32_t *prefetched,
                             op_costs *keep, xai_error *err) {
  xai_params_source src = xai_params_memory(c->params, c->params_size,
                                            (xai_params_kind)r->kind);
  src.bytes_per_s = r->bps;
  op_costs oc;
  xai_status st = cost_model(c->model, c->model_size,
                             c->params ? &src : NULL, &oc, err);
  if (st) {
    costs_free(&oc);
    return st;
  }
  *sync = 0;
  *loads = *prefetched = 0;
  for (uint32_t i = 0; i < oc.n; i++) {
    *sync += oc.ticks[i];
    *loads += oc.is_load[i];
    *prefetched += oc.overlap[i] > 0;
  }
  *device = *sync - xai_params_overlap_ticks(oc.ticks, oc.overlap, oc.n,
                                             NULL);
  if (keep)
    *keep = oc;
  else
    costs_free(&oc);
  return XAI_OK;
}

static int bench(const char *path) {
  uint8_t *model;
  size_t size;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &model, &size, &err)) {
    printf("%s: skipped (%s)\n", path, err.message);
    return 0;
  }
  const placement_row rows[] = {
      {"internal (all SRAM)", XAI_XF_MEMORY_INTERNAL, false, XAI_PARAMS_RAM,
       0},
      {"external (LPDDR, params file)", XAI_XF_MEMORY_EXTERNAL, true,
       XAI_PARAMS_LPDDR, XAI_XCORE_LPDDR_BYTES_PER_S},
      {"params in flash @50 MB/s", XAI_XF_MEMORY_AUTO, true, XAI_PARAMS_FLASH,
       XAI_XCORE_FLASH_BYTES_PER_S_HIGH},
      {"params in flash @25 MB/s", XAI_XF_MEMORY_AUTO, true, XAI_PARAMS_FLASH,
       XAI_XCORE_FLASH_BYTES_PER_S_LOW},
  };
  printf("%s (%zu bytes)\n", path, size);
  printf("  %-30s %9s %11s %7s %9s %9s  %s\n", "placement", "sync ms",
         "prefetch ms", "pf", "arena", "arena pf", "chosen");
  op_costs flash = {0};
  for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
    compiled sync, pf;
    compile(model, size, &rows[r], 1, &sync, &err);
    if (!sync.ok) {
      if (err.status == XAI_ERR_NO_MEMORY)
        printf("  %-30s does not fit the default target (512 KiB SRAM, "
               "64 MiB LPDDR)\n", rows[r].name);
      else
        printf("  %-30s does not compile: %.200s\n", rows[r].name,
               err.message);
      compiled_free(&sync);
      continue;
    }
    compile(model, size, &rows[r], 0, &pf, &err);
    uint64_t s_sync = 0, s_dev = 0, p_sync = 0, p_dev = 0;
    uint32_t loads = 0, hoisted = 0, unused;
    bool want_kept = rows[r].kind == XAI_PARAMS_FLASH && !flash.n;
    xai_status st = time_model(&sync, &rows[r], &s_sync, &s_dev, &unused,
                               &unused, want_kept ? &flash : NULL, &err);
    if (!st && pf.ok)
      st = time_model(&pf, &rows[r], &p_sync, &p_dev, &loads, &hoisted, NULL,
                      &err);
    if (st || !pf.ok) {
      printf("  %-30s cost model failed: %.200s\n", rows[r].name,
             err.message);
    } else {
      char pfs[16];
      snprintf(pfs, sizeof pfs, "%u/%u", hoisted, loads);
      printf("  %-30s %9.3f %11.3f %7s %9zu %9zu  %s\n", rows[r].name,
             ms(s_dev), ms(p_dev), pfs, sync.rep.arena_bytes,
             pf.rep.arena_bytes, pf.rep.placement);
    }
    compiled_free(&sync);
    compiled_free(&pf);
  }
  if (flash.n) {
    printf("  weights from flash @50 MB/s, per layer type (no prefetch):\n");
    slowdown_by_type(&flash, XAI_XCORE_FLASH_BYTES_PER_S_HIGH);
    costs_free(&flash);
  }
  free(model);
  return 0;
}

int main(int argc, char **argv) {
  int rc = 0;
  if (argc > 1) {
    for (int i = 1; i < argc; i++) rc |= bench(argv[i]);
    return rc;
  }
  const char *names[] = {"person_detect.tflite",
                         "mobilenet_v2_quantized_1x3x224x224.tflite"};
  for (size_t i = 0; i < 2; i++) {
    char path[1024];
    const char *shared = getenv("XAI_SHARED_DIR");
    snprintf(path, sizeof path, "%s/models/tflm/%s",
             shared ? shared : XAI_SHARED_DIR, names[i]);
    rc |= bench(path);
  }
  return rc;
}
