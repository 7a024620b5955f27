/* Estimated inference time per memory placement (docs/weights.md), with
 * and without prefetch, and the bytes each placement puts in SRAM, LPDDR
 * and flash. Usage: bench_placement [model.tflite ...]; default: the tflm
 * person_detect and mobilenet_v2 from ../shared/models. Costs come from
 * each op's estimate (or the runtime's scalar estimate), not from running
 * the model, so the figures are the cost model's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  char (*names)[40];
  size_t arena;
} op_costs;

static void costs_free(op_costs *c) {
  free(c->ticks);
  free(c->is_load);
  free(c->load_bytes);
  free(c->names);
}

static xai_status cost_model(const uint8_t *model, size_t size,
                             const xai_params_source *src, op_costs *c,
                             xai_error *err) {
  memset(c, 0, sizeof *c);
  xai_interp_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.model = model;
  cfg.model_size = size;
  cfg.params = src;
  xai_status st = xai_interp_arena_needed(&cfg, &c->arena, err);
  if (st) return st;
  void *arena = aligned_alloc(16, (c->arena + 15) / 16 * 16);
  if (!arena) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  cfg.arena = arena;
  cfg.arena_size = (c->arena + 15) / 16 * 16;
  xai_interp *ip;
  st = xai_interp_init(&ip, &cfg, err);
  if (st) {
    free(arena);
    return st;
  }
  c->n = xai_interp_op_count(ip);
  c->ticks = calloc(c->n, sizeof *c->ticks);
  c->is_load = calloc(c->n, sizeof *c->is_load);
  c->load_bytes = calloc(c->n, sizeof *c->load_bytes);
  c->names = calloc(c->n, sizeof *c->names);
  for (uint32_t i = 0; c->ticks && c->is_load && c->names && c->load_bytes &&
                       i < c->n; i++) {
    xai_op_ctx *op = xai_interp_op(ip, i);
    const xai_op_registration *reg = xai_interp_op_registration(ip, i);
    memset(&op->cost, 0, sizeof op->cost);
    if (reg->estimate) st = reg->estimate(op);
    if (st) break;
    if (op->cost.ticks == 0) xai_op_default_cost(op);
    c->ticks[i] = op->cost.ticks;
    c->is_load[i] = strcmp(op->op_name, "XAI_load_weights") == 0;
    if (c->is_load[i]) c->load_bytes[i] = op->cost.weight_bytes;
    snprintf(c->names[i], sizeof c->names[i], "%s", op->op_name);
  }
  free(arena);
  return st;
}

static double ms(uint64_t ticks) {
  return (double)ticks / (XAI_XCORE_REF_TIMER_HZ / 1000.0);
}

/* Totals with every load at bytes_per_s (0 = weights in SRAM, no load). */
static void totals(const op_costs *c, uint64_t bytes_per_s,
                   xai_params_schedule *s) {
  uint64_t *t = malloc(sizeof *t * (c->n ? c->n : 1));
  if (!t) return;
  for (uint32_t i = 0; i < c->n; i++)
    t[i] = c->is_load[i] ? xai_params_ticks(c->load_bytes[i], bytes_per_s)
                         : c->ticks[i];
  xai_params_schedule_totals(t, c->is_load, c->n, s);
  free(t);
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

static int bench(const char *path) {
  uint8_t *model;
  size_t size;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &model, &size, &err)) {
    printf("%s: skipped (%s)\n", path, err.message);
    return 0;
  }
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.params_file = "bench.params";
  uint8_t *split = NULL, *params = NULL;
  size_t split_size = 0, params_size = 0;
  xai_status st = xai_xformer_run(model, size, &o, &split, &split_size,
                                  &params, &params_size, NULL, &err);
  if (st) {
    printf("%s: xformer failed: %s\n", path, err.message);
    free(model);
    return 1;
  }
  op_costs c;
  xai_params_source src = xai_params_memory(params, params_size,
                                            XAI_PARAMS_RAM);
  st = cost_model(split, split_size, params ? &src : NULL, &c, &err);
  if (st) {
    printf("%s: cost model failed: %s\n", path, err.message);
    free(model);
    free(split);
    free(params);
    return 1;
  }
  /* The same model compiled without a split: weights inside, no load
   * tensors in the arena. */
  o.params_file = NULL;
  uint8_t *whole = NULL;
  size_t whole_size = 0, whole_arena = 0;
  xai_interp_config wc;
  memset(&wc, 0, sizeof wc);
  if (!xai_xformer_run(model, size, &o, &whole, &whole_size, NULL, NULL,
                       NULL, &err)) {
    wc.model = whole;
    wc.model_size = whole_size;
    xai_interp_arena_needed(&wc, &whole_arena, &err);
  }
  free(whole);
  size_t inside = whole_size + whole_arena; /* internal/external bytes */
  printf("%s\n  input %zu bytes; compiled %zu bytes (arena %zu), or %zu "
         "without the %zu params bytes (arena %zu with the load buffers)\n",
         path, size, whole_size, whole_arena, split_size, params_size,
         c.arena);
  printf("  %-30s %11s %11s %10s %10s %10s\n", "placement", "sync ms",
         "prefetch ms", "SRAM", "LPDDR", "flash");
  struct {
    const char *name;
    uint64_t bps;
    size_t sram, lpddr, flash;
  } rows[] = {
      {"internal (all SRAM)", 0, inside, 0, 0},
      {"external (all LPDDR)", XAI_XCORE_LPDDR_BYTES_PER_S, 0, inside, 0},
      {"model SRAM, params LPDDR", XAI_XCORE_LPDDR_BYTES_PER_S,
       split_size + c.arena, params_size, 0},
      {"flash @50 MB/s", XAI_XCORE_FLASH_BYTES_PER_S_HIGH,
       split_size + c.arena, 0, params_size},
      {"flash @25 MB/s", XAI_XCORE_FLASH_BYTES_PER_S_LOW,
       split_size + c.arena, 0, params_size},
  };
  for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
    xai_params_schedule s;
    totals(&c, rows[r].bps, &s);
    printf("  %-30s %11.3f %11.3f %10zu %10zu %10zu\n", rows[r].name,
           ms(s.sync_ticks), ms(s.prefetch_ticks), rows[r].sram,
           rows[r].lpddr, rows[r].flash);
  }
  printf("  weights from flash @50 MB/s, per layer type:\n");
  slowdown_by_type(&c, XAI_XCORE_FLASH_BYTES_PER_S_HIGH);
  costs_free(&c);
  free(model);
  free(split);
  free(params);
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
