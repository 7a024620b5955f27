/* Builds the per-layer report by loading the optimised model in the
 * runtime: the numbers are what the device emulator would report, not a
 * second cost model kept in the xformer. */
#include <stdlib.h>
#include <string.h>

#include "xai/runtime.h"
#include "xai/xcore_machine.h"
#include "xformer_internal.h"

typedef struct {
  xai_op_cost *costs;
  bool *have;
  uint32_t count;
  uint64_t *exposed; /* ticks each op adds with prefetch overlap */
} cost_collector;

/* Prefetched loads ("pf") stream under the next op: each layer's ticks are
 * what it adds to the device time (xai_params_overlap_ticks), so the sum
 * of the layers is the total. */
static xai_status hide_prefetched(cost_collector *c, xai_xformer_report *rep) {
  uint32_t n = c->count ? c->count : 1;
  uint64_t *ticks = calloc(n, sizeof *ticks);
  uint64_t *overlap = calloc(n, sizeof *overlap);
  c->exposed = calloc(n, sizeof *c->exposed);
  if (!ticks || !overlap || !c->exposed) {
    free(ticks);
    free(overlap);
    return XAI_ERR_NO_MEMORY;
  }
  for (uint32_t i = 0; i < c->count; i++) {
    ticks[i] = c->costs[i].ticks;
    overlap[i] = c->costs[i].overlap_ticks;
    if (overlap[i]) rep->params_prefetched++;
  }
  rep->load_hidden_ticks =
      xai_params_overlap_ticks(ticks, overlap, c->count, c->exposed);
  free(ticks);
  free(overlap);
  return XAI_OK;
}

/* Profiling hook for ops with no estimate: keeps the cost of their one
 * run (subgraph 0 only; called subgraphs count inside their caller). */
static void collect_cost(void *user, const xai_op_timing *t) {
  cost_collector *c = user;
  if (t->subgraph != 0 || t->index >= c->count || c->have[t->index]) return;
  c->costs[t->index] = *t->cost;
  c->have[t->index] = true;
}

static void copy_name(char *dst, size_t cap, const char *src) {
  snprintf(dst, cap, "%s", src ? src : "");
}

static const char *find_note(const xf_layer_note *notes, uint32_t n,
                             const char *tensor) {
  if (!tensor || !*tensor) return NULL;
  /* Notes keep the first sizeof tensor - 1 bytes of the name (seanet's
   * names run to 300): compare that much. */
  for (uint32_t i = 0; i < n; i++)
    if (!strncmp(notes[i].tensor, tensor, sizeof notes[i].tensor - 1))
      return notes[i].text;
  return NULL;
}

/* Planned bytes live at step i: every buffer whose lifetime covers it. */
static size_t arena_at(const xai_interp *ip, uint32_t step) {
  size_t sum = 0;
  uint32_t n = xai_interp_plan_count(ip);
  for (uint32_t k = 0; k < n; k++) {
    xai_plan_entry e;
    xai_interp_plan_entry(ip, k, &e);
    if (e.subgraph == 0 && e.first_op <= step && step <= e.last_op)
      sum += e.size;
  }
  return sum;
}

/* Total bundles over all threads: utilisation is macs / (32 x bundles). */
static double op_bundles(const xai_op_cost *c) {
  if (c->utilisation > 0 && c->macs > 0)
    return (double)c->macs / (XAI_XCORE_PEAK_MACS_PER_BUNDLE * c->utilisation);
  return (double)c->bundles_max * (c->threads ? c->threads : 1);
}

static xai_status cost_ops(xai_interp *ip, cost_collector *c, xai_error *err) {
  bool need_run = false;
  for (uint32_t i = 0; i < c->count; i++) {
    xai_op_ctx *ctx = xai_interp_op(ip, i);
    const xai_op_registration *reg = xai_interp_op_registration(ip, i);
    if (!ctx || !reg) continue;
    xai_error e;
    xai_error_clear(&e);
    ctx->err = &e;
    memset(ctx->cost, 0, sizeof *ctx->cost);
    /* Loads run for real, in order, so the estimate of the op after them
     * sees its real packed weights (costs depend on them, e.g. groups that
     * requantize in scalar code). */
    if (reg->custom_name && !strcmp(reg->custom_name, "XAI_load_weights")) {
      if (reg->eval(ctx) != XAI_OK)
        return xai_fail(err, XAI_ERR_FORMAT, "report: %s", e.message);
    } else if (reg->estimate) {
      if (reg->estimate(ctx) != XAI_OK) {
        need_run = true; /* a failed estimate falls back to a run */
        continue;
      }
      if (ctx->cost->ticks == 0) xai_op_default_cost(ctx);
    } else if (ctx->builtin_code != XAI_OP_CUSTOM) {
      xai_op_default_cost(ctx);
    } else {
      need_run = true;
      continue;
    }
    c->costs[i] = *ctx->cost;
    c->have[i] = true;
  }
  if (!need_run) return XAI_OK;
  /* inputs are zero (the arena was cleared): costs do not depend on data */
  return xai_interp_invoke(ip, err);
}

xai_status xf_report_build(const uint8_t *model, size_t size,
                           const xai_params_source *params,
                           const xai_xformer_options *o,
                           const xf_layer_note *notes, uint32_t note_count,
                           xai_xformer_report *rep, xai_error *err) {
  memset(rep, 0, sizeof *rep);
  rep->thread_count = o->thread_count;
  rep->clock_mhz = o->clock_mhz;
  xai_interp_config cfg = xf_interp_config(model, size, o->clock_mhz);
  cfg.params = params;
  cfg.planner = XAI_PLANNER_GREEDY;
  xai_status st = xai_interp_arena_needed(&cfg, &rep->greedy_arena_bytes, err);
  if (st) return st;
  cfg.planner = XAI_PLANNER_AUTO;
  st = xai_interp_arena_needed(&cfg, &rep->arena_bytes, err);
  if (st) return st;

  cost_collector c;
  memset(&c, 0, sizeof c);
  cfg.hook = collect_cost;
  cfg.hook_user = &c;
  void *arena = NULL;
  xai_interp *ip = NULL;
  st = xf_interp_on_heap(&cfg, rep->arena_bytes, &arena, &ip, "report", err);
  if (st) return st;
  c.count = xai_interp_op_count(ip);
  c.costs = calloc(c.count ? c.count : 1, sizeof *c.costs);
  c.have = calloc(c.count ? c.count : 1, sizeof *c.have);
  rep->layers = calloc(c.count ? c.count : 1, sizeof *rep->layers);
  if (!c.costs || !c.have || !rep->layers) {
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "report: out of memory");
    goto done;
  }
  st = cost_ops(ip, &c, err);
  if (st) goto done;

  rep->layer_count = c.count;
  st = hide_prefetched(&c, rep);
  if (st) {
    xai_fail(err, st, "report: out of memory");
    goto done;
  }
  double bundles = 0;
  for (uint32_t i = 0; i < c.count; i++) {
    xai_xformer_layer *l = &rep->layers[i];
    const xai_op_ctx *ctx = xai_interp_op(ip, i);
    const xai_op_cost *cost = &c.costs[i];
    l->index = i;
    copy_name(l->op, sizeof l->op, ctx->op_name);
    copy_name(l->kernel, sizeof l->kernel, cost->kernel ? cost->kernel : "ref");
    l->macs = cost->macs;
    l->ticks = c.exposed[i];
    l->ms = (double)l->ticks / (XAI_XCORE_REF_TIMER_HZ / 1000.0);
    l->utilisation = cost->utilisation;
    l->threads = cost->threads ? cost->threads : 1;
    l->arena_in_use = arena_at(ip, i);
    const xai_rt_tensor *out = xai_op_output(ctx, 0);
    const char *note = find_note(notes, note_count,
                                 out ? xai_op_tensor_name(ctx, out) : NULL);
    copy_name(l->note, sizeof l->note, note);
    if (!note && xf_lce_binary_op(l->op))
      xf_lce_layer_note(cost, l->note, sizeof l->note);
    else if (!note && cost->overlap_ticks)
      snprintf(l->note, sizeof l->note, "prefetch: %llu of %llu ticks "
               "under the next op",
               (unsigned long long)(cost->ticks - c.exposed[i]),
               (unsigned long long)cost->ticks);
    rep->ticks += l->ticks;
    /* binary MACs are not int8 ones: the totals count int8 layers only */
    if (xf_lce_binary_op(l->op)) continue;
    rep->macs += l->macs;
    bundles += op_bundles(cost);
  }
  rep->ms = (double)rep->ticks / (XAI_XCORE_REF_TIMER_HZ / 1000.0);
  rep->mac_efficiency =
      bundles > 0 ? (double)rep->macs / (XAI_XCORE_PEAK_MACS_PER_BUNDLE * bundles)
                  : 0;
done:
  free(c.costs);
  free(c.have);
  free(c.exposed);
  free(arena);
  if (st) {
    free(rep->layers);
    rep->layers = NULL;
    rep->layer_count = 0;
  }
  return st;
}

void xai_xformer_report_free(xai_xformer_report *r) {
  if (!r) return;
  free(r->layers);
  r->layers = NULL;
  r->layer_count = 0;
}

xai_status xai_xformer_report_model(const uint8_t *model, size_t size,
                                    const uint8_t *params, size_t params_size,
                                    const xai_xformer_options *o,
                                    xai_xformer_report *rep, xai_error *err) {
  xai_error_clear(err);
  xai_params_source src;
  if (params) src = xai_params_memory(params, params_size, XAI_PARAMS_FLASH);
  xai_status st = xf_report_build(model, size, params ? &src : NULL, o, NULL,
                                  0, rep, err);
  if (st) return st;
  rep->model_bytes = size;
  rep->params_bytes = params ? params_size : 0;
  rep->thread_count = 1;
  for (uint32_t i = 0; i < rep->layer_count; i++) {
    const xai_xformer_layer *l = &rep->layers[i];
    if (l->threads > rep->thread_count) rep->thread_count = l->threads;
    if (!strcmp(l->op, "XAI_load_weights")) rep->params_load_ops++;
  }
  rep->params_tensors_moved = rep->params_load_ops;
  return XAI_OK;
}
