/* Prefetch of streamed weights (docs/weights.md, "Prefetch"): after the
 * params split, each XAI_load_weights op sits right before the first op
 * that reads its outputs, so the device would wait for every transfer.
 * This pass hoists a load one compute op earlier (before the op that runs
 * before its consumer) and marks it "pf": 1, so the device streams the
 * weights while that op computes.
 *
 * The cost is memory: the loaded tensors are live one op longer, so the
 * arena may grow. The runtime plans the loaded tensors itself (the split
 * marked them -1 in the offline plan) from the op order at init, so the
 * growth is measured by planning the hoisted model exactly as the device
 * will (xai_interp_arena_needed), and hoists are kept only while the arena
 * still fits the placement's budget: the arena memory's size (SRAM minus
 * the firmware's share, or LPDDR) minus what the model and the params
 * already take in that memory. All hoists are tried at once first (the
 * usual case: they fit); if not, loads are added one at a time in model
 * order, keeping each that fits. */
#include <stdlib.h>
#include <string.h>

#include "xformer_internal.h"

#define LOAD_OP_NAME "XAI_load_weights"

static bool is_load(const xai_model *m, const xai_operator *o) {
  const xai_opcode *oc = &m->opcodes[o->opcode_index];
  return oc->builtin_code == XAI_OP_CUSTOM && oc->custom_code &&
         strcmp(oc->custom_code, LOAD_OP_NAME) == 0;
}

/* Bytes of the arena's memory the arena may use: the memory's size minus
 * the model and params placed in the same memory. 0 when they alone
 * already fill it. */
static uint64_t arena_room(const xf_ctx *x, const xf_target *t,
                           size_t model_bytes, size_t params_bytes) {
  const xf_placement *p = &x->placement;
  uint64_t size = 0;
  if (p->arena == XF_MEM_SRAM)
    size = t->sram_kib > t->firmware_kib
               ? (uint64_t)(t->sram_kib - t->firmware_kib) * 1024u : 0;
  else if (p->arena == XF_MEM_LPDDR)
    size = (uint64_t)t->lpddr_mib * 1024u * 1024u;
  uint64_t others = 0;
  if (p->model == p->arena) others += model_bytes;
  if (p->split && p->params == p->arena) others += params_bytes;
  return size > others ? size - others : 0;
}

/* Whether a hoisted model's arena is acceptable: within the room, and
 * within max(--xcore-arena-budget, the arena without any hoist). */
static bool within(const xf_ctx *x, const xf_target *t, size_t arena,
                   size_t base_arena, size_t model_bytes,
                   size_t params_bytes) {
  if (arena > arena_room(x, t, model_bytes, params_bytes)) return false;
  size_t budget = x->opt->arena_budget;
  return !budget || arena <= (budget > base_arena ? budget : base_arena);
}

/* ---- Rewriting the load options ----------------------------------------- */

/* The load op's options with "pf": 1 added (keys h, mem, off, th kept). */
static xai_status set_prefetch_option(xai_operator *o, xai_error *err) {
  xai_flexbuf_ref map, v;
  xai_error e;
  xai_error_clear(&e);
  uint64_t hash = 0, th = 1;
  const char *mem = "flash";
  size_t mem_len = 5, count = 0;
  if (xai_flexbuf_root(o->custom_options, o->custom_options_size, &map, &e) ||
      xai_flexbuf_map_get(&map, "h", &v, &e) ||
      xai_flexbuf_get_uint(&v, &hash, &e) ||
      xai_flexbuf_map_get(&map, "off", &v, &e) ||
      xai_flexbuf_length(&v, &count, &e))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "prefetch: the options of an XAI_load_weights op do not "
                    "read back (%s)", e.message);
  int64_t *off = malloc(sizeof *off * (count ? count : 1));
  if (!off) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  for (size_t i = 0; i < count; i++) {
    xai_flexbuf_ref el;
    if (xai_flexbuf_vector_at(&v, i, &el, &e) ||
        xai_flexbuf_get_int(&el, &off[i], &e)) {
      free(off);
      return xai_fail(err, XAI_ERR_FORMAT,
                      "prefetch: option 'off'[%zu] of an XAI_load_weights "
                      "op: %s", i, e.message);
    }
  }
  xai_flexbuf_ref mv;
  if (!xai_flexbuf_map_get(&map, "mem", &mv, &e))
    xai_flexbuf_get_string(&mv, &mem, &mem_len, &e);
  xai_flexbuf_ref tv;
  if (!xai_flexbuf_map_get(&map, "th", &tv, &e))
    xai_flexbuf_get_uint(&tv, &th, &e);

  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_uint(&b, "h", hash);
  xai_flexbuf_add_string_n(&b, "mem", mem, mem_len);
  xai_flexbuf_add_int64_vector(&b, "off", off, count);
  xai_flexbuf_add_uint(&b, "pf", 1);
  xai_flexbuf_add_uint(&b, "th", th);
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  xai_status st = xai_flexbuf_finish(&b, &data, &size, err);
  uint8_t *copy = st ? NULL : malloc(size);
  if (!st && !copy) st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  if (!st) {
    /* data points into b (or mem into the old options): copy before free */
    memcpy(copy, data, size);
    free(o->custom_options);
    o->custom_options = copy;
    o->custom_options_size = (uint32_t)size;
  }
  xai_flexbuf_builder_free(&b);
  free(off);
  return st;
}

/* ---- Hoisting ----------------------------------------------------------- */

/* Which ops may be hoisted: loads with a compute op somewhere before them
 * (a load ahead of the first compute op has nothing to run under). */
static uint32_t find_candidates(const xai_model *m, bool *can) {
  const xai_subgraph *sg = &m->subgraphs[0];
  bool seen_compute = false;
  uint32_t n = 0;
  for (uint32_t i = 0; i < sg->operator_count; i++) {
    bool load = is_load(m, &sg->operators[i]);
    can[i] = load && seen_compute;
    if (can[i]) n++;
    if (!load) seen_compute = true;
  }
  return n;
}

/* Moves every load with hoist[i] (indices of the unhoisted order) to just
 * before the compute op that precedes it, after that op's own loads, and
 * marks it "pf": 1. Loads have no inputs, so any earlier position is a
 * valid order; compute ops keep their relative order, so the lifetimes of
 * every other tensor (and an offline plan over them) are unchanged. */
static xai_status apply_hoists(xai_model *m, const bool *hoist,
                               xai_error *err) {
  xai_subgraph *sg = &m->subgraphs[0];
  uint32_t n = sg->operator_count;
  xai_operator *moved = malloc(sizeof *moved * (n ? n : 1));
  bool *was_load = malloc(sizeof *was_load * (n ? n : 1));
  if (!moved || !was_load) {
    free(moved);
    free(was_load);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  for (uint32_t i = 0; i < n; i++) was_load[i] = is_load(m, &sg->operators[i]);
  uint32_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (was_load[i]) {
      if (!hoist[i]) moved[k++] = sg->operators[i];
      continue;
    }
    /* the loads between this op and the next compute op run under it */
    for (uint32_t j = i + 1; j < n && was_load[j]; j++)
      if (hoist[j]) moved[k++] = sg->operators[j];
    moved[k++] = sg->operators[i];
  }
  memcpy(sg->operators, moved, sizeof *moved * k);
  free(moved);
  xai_status st = XAI_OK;
  /* the hoisted loads are exactly the loads directly before a compute op
   * that came after it in the old order: mark them by position instead */
  uint32_t pos = 0;
  for (uint32_t i = 0; i < n && !st; i++) {
    if (was_load[i]) {
      if (!hoist[i]) pos++;
      continue;
    }
    for (uint32_t j = i + 1; j < n && was_load[j] && !st; j++)
      if (hoist[j]) st = set_prefetch_option(&sg->operators[pos++], err);
    pos++;
  }
  free(was_load);
  return st;
}

/* ---- Measuring ------------------------------------------------------------ */

typedef struct {
  const uint8_t *base; /* the model before any hoist */
  size_t base_size;
  uint32_t clock_mhz;
} trial_ctx;

static xai_status arena_of(const uint8_t *model, size_t size,
                           uint32_t clock_mhz, size_t *arena,
                           xai_error *err) {
  xai_interp_config c = xf_interp_config(model, size, clock_mhz);
  return xai_interp_arena_needed(&c, arena, err);
}

/* Arena and model bytes of the base model with `hoist` applied. */
static xai_status try_hoists(const trial_ctx *t, const bool *hoist,
                             size_t *arena, size_t *model_bytes,
                             xai_error *err) {
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, t->base, t->base_size, err);
  if (st) return st;
  xai_model m;
  st = xai_model_from_view(&m, &view, 1, err);
  if (st) return st;
  st = apply_hoists(&m, hoist, err);
  uint8_t *out = NULL;
  size_t out_size = 0;
  if (!st) st = xai_model_write(&m, &out, &out_size, err);
  xai_model_free(&m);
  if (!st) st = arena_of(out, out_size, t->clock_mhz, arena, err);
  *model_bytes = out_size;
  free(out);
  return st;
}

xai_status xf_prefetch_params(xf_ctx *x, size_t params_size,
                              xai_error *err) {
  x->params_loads_prefetched = 0;
  if (x->opt->no_prefetch || !x->placed || !x->placement.split ||
      x->params_load_ops == 0)
    return XAI_OK;
  xf_target target;
  xf_target_default(&target);
  xai_status st = XAI_OK;
  if (x->opt->target_config)
    st = xf_target_load(&target, x->opt->target_config, err);
  if (st) return st;

  uint32_t n = x->m->subgraphs[0].operator_count;
  bool *can = calloc(n ? n : 1, sizeof *can);
  bool *keep = calloc(n ? n : 1, sizeof *keep);
  uint8_t *base = NULL;
  size_t base_size = 0, arena = 0, model_bytes = 0;
  trial_ctx t = {NULL, 0, x->opt->clock_mhz};
  if (!can || !keep) {
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
    goto done;
  }
  if (find_candidates(x->m, can) == 0) goto done;
  st = xai_model_write(x->m, &base, &base_size, err);
  if (st) goto done;
  t.base = base;
  t.base_size = base_size;
  st = arena_of(base, base_size, t.clock_mhz, &arena, err);
  if (st) goto done;
  /* No room even without prefetch: the placement measured the arena
   * before the split; hoisting can only make it worse. */
  if (arena > arena_room(x, &target, base_size, params_size)) goto done;

  /* --xcore-arena-budget: hoists that would take the arena past it are
   * left out as well (a budget below the arena without prefetch keeps
   * only those that cost nothing). */
  const size_t base_arena = arena;
  st = try_hoists(&t, can, &arena, &model_bytes, err);
  if (st) goto done;
  if (within(x, &target, arena, base_arena, model_bytes, params_size)) {
    memcpy(keep, can, sizeof *keep * n);
  } else {
    for (uint32_t i = 0; i < n && !st; i++) {
      if (!can[i]) continue;
      keep[i] = true;
      st = try_hoists(&t, keep, &arena, &model_bytes, err);
      if (!st &&
          !within(x, &target, arena, base_arena, model_bytes, params_size))
        keep[i] = false; /* undo: this one breaks the budget */
    }
    if (st) goto done;
  }
  for (uint32_t i = 0; i < n; i++)
    if (keep[i]) x->params_loads_prefetched++;
  if (x->params_loads_prefetched) st = apply_hoists(x->m, keep, err);
done:
  free(base);
  free(can);
  free(keep);
  return st;
}
