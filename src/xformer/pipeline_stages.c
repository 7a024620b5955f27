/* The layer pipeline made runnable (docs/multitile.md, mode b): the input
 * model is cut into consecutive stages, each a model of its own compiled
 * with the caller's options, so that stage k runs on engine (tile) k and
 * its outputs feed stage k + 1's inputs on the device (LINK_INPUT) while
 * stage k computes the next input. The ops are the model's own, so the
 * stages' composition gives the model's bytes.
 *
 * A cut after op c is valid when every tensor that crosses it is an
 * activation made by the stage just before (a tensor made earlier would
 * have to be passed through a stage). The cuts start from an even split
 * of the model's MACs (the runtime's count, one reference run) and each is
 * then moved over the nearby valid cuts to the one whose compiled stages
 * have the smallest slowest stage, a stage's time being its report ticks
 * plus the link time of the activations it receives and sends. */
#include <stdlib.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

#define MAX_STAGES 8u
#define SEARCH 4 /* valid cuts tried on each side of the MAC estimate */

static size_t tensor_bytes(const xai_tensor *t) {
  size_t n = xai_tensor_type_size(t->type);
  for (uint32_t i = 0; i < t->rank; i++)
    n *= t->shape[i] > 0 ? (size_t)t->shape[i] : 1u;
  return n;
}

static bool has_data(const xai_model *m, const xai_tensor *t) {
  return t->buffer > 0 && t->buffer < m->buffer_count &&
         m->buffers[t->buffer].size > 0;
}

/* Per tensor: the op that makes it (-1 graph input or constant) and the
 * last op that reads it (n for a graph output). */
typedef struct {
  int64_t *made, *last;
  uint32_t ops, tensors;
} graph;

static void graph_free(graph *g) {
  free(g->made);
  free(g->last);
}

static xai_status graph_init(graph *g, const xai_model *m, xai_error *err) {
  const xai_subgraph *sg = &m->subgraphs[0];
  g->ops = sg->operator_count;
  g->tensors = sg->tensor_count;
  size_t n = g->tensors ? g->tensors : 1;
  g->made = malloc(n * sizeof *g->made);
  g->last = malloc(n * sizeof *g->last);
  if (!g->made || !g->last) {
    graph_free(g);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  for (uint32_t t = 0; t < g->tensors; t++) g->made[t] = g->last[t] = -1;
  for (uint32_t i = 0; i < g->ops; i++) {
    const xai_operator *op = &sg->operators[i];
    for (uint32_t k = 0; k < op->output_count; k++)
      if (op->outputs[k] >= 0) g->made[op->outputs[k]] = i;
    for (uint32_t k = 0; k < op->input_count; k++)
      if (op->inputs[k] >= 0) g->last[op->inputs[k]] = i;
  }
  for (uint32_t k = 0; k < sg->output_count; k++)
    if (sg->outputs[k] >= 0) g->last[sg->outputs[k]] = g->ops;
  return XAI_OK;
}

/* Valid cut before op c (0 < c < ops) given the previous cut p: every
 * activation live across c is made in [p, c); *bytes what crosses. */
static bool valid_cut(const graph *g, const xai_model *m, uint32_t p,
                      uint32_t c, uint64_t *bytes) {
  const xai_subgraph *sg = &m->subgraphs[0];
  uint64_t b = 0;
  for (uint32_t t = 0; t < g->tensors; t++) {
    const xai_tensor *ts = &sg->tensors[t];
    if (has_data(m, ts) || g->last[t] < (int64_t)c) continue;
    bool before = g->made[t] < (int64_t)c;
    bool input = g->made[t] < 0;
    if (!before || (input && g->last[t] < 0)) continue;
    if (ts->is_variable) return false;
    if (input || g->made[t] < (int64_t)p) return false;
    b += tensor_bytes(ts);
  }
  if (bytes) *bytes = b;
  return true;
}

static void macs_hook(void *user, const xai_op_timing *t) {
  uint64_t *macs = user;
  if (t->subgraph == 0 && t->cost) macs[t->index] = t->cost->macs + 1;
}

/* MACs per op (1 at least), from one reference run on zeros. */
static xai_status op_macs(const uint8_t *model, size_t size,
                          const xai_xformer_options *o, uint64_t *macs,
                          xai_error *err) {
  xai_interp_config cfg = xf_interp_config(model, size, o->clock_mhz);
  cfg.resolver = xai_ref_resolver();
  cfg.hook = macs_hook;
  cfg.hook_user = macs;
  size_t need = 0;
  void *arena = NULL;
  xai_interp *ip = NULL;
  xai_status st = xai_interp_arena_needed(&cfg, &need, err);
  if (!st) st = xf_interp_on_heap(&cfg, need, &arena, &ip, "pipeline", err);
  if (!st) st = xai_interp_invoke(ip, err);
  free(arena);
  return st;
}

xai_status xai_xformer_cut_model(const uint8_t *model, size_t size,
                                 uint32_t first, uint32_t end, uint8_t **out,
                                 size_t *out_size, xai_error *err) {
  *out = NULL;
  *out_size = 0;
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, model, size, err);
  if (st) return st;
  xai_model m;
  if ((st = xai_model_from_view(&m, &view, 1, err))) return st;
  graph g = {0};
  if (m.subgraph_count != 1)
    st = xai_fail(err, XAI_ERR_UNSUPPORTED, "a pipeline cuts a model of one "
                  "subgraph; this one has %u (control flow)",
                  m.subgraph_count);
  if (!st) st = graph_init(&g, &m, err);
  if (!st && (first >= end || end > g.ops))
    st = xai_fail(err, XAI_ERR_ARGUMENT, "stage ops %u..%u: the model has "
                  "%u ops", first, end, g.ops);
  int32_t *in = NULL, *outs = NULL;
  uint32_t ni = 0, no = 0;
  if (!st) {
    in = malloc((g.tensors + 1) * sizeof *in);
    outs = malloc((g.tensors + 1) * sizeof *outs);
    if (!in || !outs) st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  /* The stage reads what crosses `first` and is read in it; it gives what
   * it makes and a later op (or the graph) reads. */
  for (uint32_t t = 0; !st && t < g.tensors; t++) {
    const xai_tensor *ts = &m.subgraphs[0].tensors[t];
    if (has_data(&m, ts)) continue;
    bool made_here = g.made[t] >= first && g.made[t] < end;
    bool read_here = false;
    for (uint32_t i = first; i < end && !read_here; i++) {
      const xai_operator *op = &m.subgraphs[0].operators[i];
      for (uint32_t k = 0; k < op->input_count; k++)
        read_here |= op->inputs[k] == (int32_t)t;
    }
    if (read_here && !made_here && !ts->is_variable) in[ni++] = (int32_t)t;
    if (made_here && g.last[t] >= (int64_t)end) outs[no++] = (int32_t)t;
  }
  if (!st) {
    xai_subgraph *sg = &m.subgraphs[0];
    for (uint32_t i = g.ops; !st && i-- > end;)
      st = xai_model_remove_operator(&m, 0, i);
    for (uint32_t i = first; !st && i-- > 0;)
      st = xai_model_remove_operator(&m, 0, i);
    if (!st) st = xai_model_set_subgraph_io(&m, 0, in, ni, outs, no);
    if (st) xai_fail(err, st, "cannot cut ops %u..%u out of the model", first,
                     end - 1);
    /* The signatures name the whole model's inputs and outputs, not the
     * stage's: they go (freed through a model holding only them). */
    if (!st && m.signature_count) {
      xai_model sigs;
      memset(&sigs, 0, sizeof sigs);
      sigs.signatures = m.signatures;
      sigs.signature_count = m.signature_count;
      m.signatures = NULL;
      m.signature_count = 0;
      xai_model_free(&sigs);
    }
    /* Tensors no kept op or io uses go, and with them the other stages'
     * weights; tensor-indexed metadata would be wrong after that. */
    for (uint32_t t = sg->tensor_count; !st && t-- > 0;) {
      bool used = false;
      for (uint32_t i = 0; i < sg->operator_count && !used; i++) {
        const xai_operator *op = &sg->operators[i];
        for (uint32_t k = 0; k < op->input_count; k++)
          used |= op->inputs[k] == (int32_t)t;
        for (uint32_t k = 0; k < op->output_count; k++)
          used |= op->outputs[k] == (int32_t)t;
        for (uint32_t k = 0; k < op->intermediate_count; k++)
          used |= op->intermediates[k] == (int32_t)t;
      }
      for (uint32_t k = 0; k < ni; k++) used |= in[k] == (int32_t)t;
      for (uint32_t k = 0; k < no; k++) used |= outs[k] == (int32_t)t;
      if (!used) st = xai_model_remove_tensor(&m, 0, t, err);
    }
    for (uint32_t k = m.metadata_count; !st && k-- > 0;)
      if (m.metadata[k].name &&
          !strcmp(m.metadata[k].name, "OfflineMemoryAllocation")) {
        free(m.metadata[k].name);
        memmove(&m.metadata[k], &m.metadata[k + 1],
                (m.metadata_count - k - 1) * sizeof *m.metadata);
        m.metadata_count--;
      }
    /* Signatures name the whole model's io. */
    if (!st && m.signature_count) {
      for (uint32_t s = 0; s < m.signature_count; s++) {
        xai_signature *sig = &m.signatures[s];
        for (uint32_t k = 0; k < sig->input_count; k++)
          free(sig->inputs[k].name);
        for (uint32_t k = 0; k < sig->output_count; k++)
          free(sig->outputs[k].name);
        free(sig->inputs);
        free(sig->outputs);
        free(sig->signature_key);
      }
      free(m.signatures);
      m.signatures = NULL;
      m.signature_count = 0;
    }
    if (!st) {
      xai_model_remove_unused_buffers(&m);
      st = xai_model_write(&m, out, out_size, err);
    }
  }
  free(in);
  free(outs);
  graph_free(&g);
  xai_model_free(&m);
  return st;
}

/* Link from stage k to k + 1 (tiles k and k + 1; a chip holds two). */
static uint64_t link_ticks(const xf_target *t, uint32_t k, uint64_t bytes) {
  uint64_t bps = 0;
  uint32_t latency = 0;
  xf_tile_link(t, k % 2 == 0 ? 1 : 2, &bps, &latency);
  if (!bps) bps = XAI_XCORE_INTER_TILE_BYTES_PER_S;
  return bytes ? latency + (bytes * XAI_XCORE_REF_TIMER_HZ + bps - 1) / bps
               : 0;
}

static void free_models(xai_xformer_stages *s) {
  for (uint32_t k = 0; k < s->count; k++) {
    free(s->model[k]);
    s->model[k] = NULL;
    s->size[k] = 0;
  }
  s->count = 0;
}

void xai_xformer_stages_free(xai_xformer_stages *s) {
  free_models(s);
  memset(s, 0, sizeof *s);
}

/* Compiles stages cut at `cut` (cut[0] = 0, cut[n] = ops) into s, whose
 * in_bytes are set. */
static xai_status build(const uint8_t *model, size_t size,
                        const xai_xformer_options *o, const xf_target *t,
                        const uint32_t *cut, uint32_t n,
                        xai_xformer_stages *s, xai_error *err) {
  free_models(s);
  xai_xformer_options so = *o;
  so.quiet = 1;
  so.tiles = 1;
  so.chips = 1;
  so.params_file = NULL;
  so.report_json = NULL;
  so.report_html = NULL;
  so.emit_c_dir = NULL;
  xai_status st = XAI_OK;
  for (uint32_t k = 0; !st && k < n; k++) {
    uint8_t *part = NULL;
    size_t part_size = 0;
    xai_xformer_report rep;
    memset(&rep, 0, sizeof rep);
    st = xai_xformer_cut_model(model, size, cut[k], cut[k + 1], &part,
                               &part_size, err);
    if (!st)
      st = xai_xformer_run(part, part_size, &so, &s->model[k], &s->size[k],
                           NULL, NULL, &rep, err);
    if (st)
      xai_fail(err, st, "pipeline stage %u (ops %u..%u): %.300s", k, cut[k],
               cut[k + 1] - 1, xai_error_text(err));
    s->first_op[k] = cut[k];
    s->count = k + 1;
    s->ticks[k] = rep.ticks;
    s->arena_bytes[k] = rep.arena_bytes;
    free(part);
    xai_xformer_report_free(&rep);
  }
  if (st) return st;
  s->step_ticks = 0;
  for (uint32_t k = 0; k < n; k++) {
    uint64_t in = k ? link_ticks(t, k - 1, s->in_bytes[k]) : 0;
    uint64_t outl = k + 1 < n ? link_ticks(t, k, s->in_bytes[k + 1]) : 0;
    s->link_in_ticks[k] = in;
    uint64_t stage = s->ticks[k] + in + outl;
    if (stage > s->step_ticks) s->step_ticks = stage;
  }
  return XAI_OK;
}

xai_status xai_xformer_pipeline(const uint8_t *model, size_t size,
                                const xai_xformer_options *o, uint32_t stages,
                                xai_xformer_stages *out, xai_error *err) {
  memset(out, 0, sizeof *out);
  xai_error_clear(err);
  if (stages < 2 || stages > MAX_STAGES)
    return xai_fail(err, XAI_ERR_ARGUMENT, "a pipeline has 2 to %u stages "
                    "(got %u)", MAX_STAGES, stages);
  xf_target t;
  xf_target_default(&t);
  xai_status st = XAI_OK;
  if (o->target_config) st = xf_target_load(&t, o->target_config, err);
  xai_tfl_view view;
  if (!st) st = xai_tfl_open(&view, model, size, err);
  xai_model m;
  if (st || (st = xai_model_from_view(&m, &view, 1, err))) return st;
  graph g = {0};
  if (m.subgraph_count != 1)
    st = xai_fail(err, XAI_ERR_UNSUPPORTED, "a pipeline cuts a model of one "
                  "subgraph; this one has %u (control flow)",
                  m.subgraph_count);
  if (!st) st = graph_init(&g, &m, err);
  uint64_t *macs = NULL;
  if (!st && g.ops < stages)
    st = xai_fail(err, XAI_ERR_ARGUMENT, "%u pipeline stages need %u ops at "
                  "least; the model has %u", stages, stages, g.ops);
  if (!st && !(macs = calloc(g.ops, sizeof *macs)))
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  if (!st) st = op_macs(model, size, o, macs, err);
  uint64_t total = 0;
  for (uint32_t i = 0; !st && i < g.ops; i++) {
    if (!macs[i]) macs[i] = 1;
    total += macs[i];
  }
  /* Even MAC split, each cut moved to a valid one nearby. */
  uint32_t cut[MAX_STAGES + 1];
  cut[0] = 0;
  cut[stages] = g.ops;
  uint64_t acc = 0;
  uint32_t i = 0;
  for (uint32_t k = 1; !st && k < stages; k++) {
    uint64_t goal = total * k / stages;
    while (i < g.ops && acc < goal) acc += macs[i++];
    uint32_t c = i;
    if (c <= cut[k - 1]) c = cut[k - 1] + 1;
    while (c < g.ops && !valid_cut(&g, &m, cut[k - 1], c, NULL)) c++;
    if (c >= g.ops - (stages - 1 - k))
      st = xai_fail(err, XAI_ERR_UNSUPPORTED, "no valid cut for pipeline "
                    "stage %u: the activations crossing every later cut are "
                    "not all made by the stage before", k);
    cut[k] = c;
  }
  for (uint32_t k = 0; k < stages; k++)
    if (k && !st) valid_cut(&g, &m, cut[k - 1], cut[k], &out->in_bytes[k]);
  if (!st) st = build(model, size, o, &t, cut, stages, out, err);
  /* Each cut over the valid ones nearby, keeping the fastest step. */
  for (uint32_t k = 1; !st && k < stages; k++) {
    uint32_t best = cut[k];
    uint64_t best_step = out->step_ticks;
    for (int dir = -1; dir <= 1; dir += 2) {
      uint32_t c = cut[k];
      for (int tried = 0; !st && tried < SEARCH;) {
        if ((dir < 0 && c <= cut[k - 1] + 1) ||
            (dir > 0 && c + 1 >= cut[k + 1]))
          break;
        c = dir < 0 ? c - 1 : c + 1;
        uint64_t bytes = 0;
        if (!valid_cut(&g, &m, cut[k - 1], c, &bytes) ||
            (k + 1 < stages && !valid_cut(&g, &m, c, cut[k + 1], NULL)))
          continue;
        tried++;
        uint32_t trial[MAX_STAGES + 1];
        memcpy(trial, cut, sizeof trial);
        trial[k] = c;
        xai_xformer_stages s;
        memset(&s, 0, sizeof s);
        memcpy(s.in_bytes, out->in_bytes, sizeof s.in_bytes);
        s.in_bytes[k] = bytes;
        if (k + 1 < stages)
          valid_cut(&g, &m, c, cut[k + 1], &s.in_bytes[k + 1]);
        st = build(model, size, o, &t, trial, stages, &s, err);
        if (!st && s.step_ticks < best_step) {
          best = c;
          best_step = s.step_ticks;
        }
        xai_xformer_stages_free(&s);
      }
    }
    if (!st && best != cut[k]) {
      cut[k] = best;
      valid_cut(&g, &m, cut[k - 1], cut[k], &out->in_bytes[k]);
      if (k + 1 < stages)
        valid_cut(&g, &m, cut[k], cut[k + 1], &out->in_bytes[k + 1]);
      st = build(model, size, o, &t, cut, stages, out, err);
    }
  }
  if (!st) {
    out->per_s = out->step_ticks
                     ? (double)XAI_XCORE_REF_TIMER_HZ / (double)out->step_ticks
                     : 0;
    out->latency_ticks = out->step_ticks * stages;
  } else {
    xai_xformer_stages_free(out);
  }
  free(macs);
  graph_free(&g);
  xai_model_free(&m);
  return st;
}
