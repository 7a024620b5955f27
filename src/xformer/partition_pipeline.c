/* Layer pipeline over tiles (docs/multitile.md, mode b, throughput): for a
 * stream of inputs the layers are cut into consecutive stages, one per
 * tile; each tile runs its stage on input k while the next runs input k-1,
 * and the activations live across a cut cross the inter-tile link. The
 * steady-state rate is one inference per slowest stage, where a stage's
 * time is its layers' ticks (the report's, with prefetch and channel split
 * applied) plus receiving its input and sending its output. The cuts come
 * from a dynamic program that minimises the slowest stage; fewer stages
 * are taken when they are as fast (links that cost more than they save).
 * A stage whose weights and largest arena in use do not fit its tile's
 * SRAM (less the firmware share) is not allowed.
 * This is the plan and its cost for the report; pipeline_stages.c makes
 * the stage models the device runs. */
#include <stdlib.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

#define MAX_STAGES 8u

static size_t tensor_bytes(const xai_tensor *t) {
  size_t n = xai_tensor_type_size(t->type);
  for (uint32_t i = 0; i < t->rank; i++)
    n *= t->shape[i] > 0 ? (size_t)t->shape[i] : 1u;
  return n;
}

/* cross[i]: activation bytes produced at or before layer i and read after
 * it (what a cut after layer i sends); weights[i]: constants layer i
 * reads (from the model, or loaded from the params file). */
static bool graph_sizes(xf_ctx *x, uint32_t n, uint64_t *cross,
                        size_t *weights) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t nt = sg->tensor_count;
  int64_t *first = malloc((nt ? nt : 1) * sizeof *first);
  int64_t *last = malloc((nt ? nt : 1) * sizeof *last);
  if (!first || !last) {
    free(first);
    free(last);
    return false;
  }
  for (uint32_t t = 0; t < nt; t++) first[t] = last[t] = -2;
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] >= 0) first[sg->inputs[i]] = -1;
  memset(weights, 0, n * sizeof *weights);
  for (uint32_t i = 0; i < n; i++) {
    const xai_operator *op = xf_op(x, i);
    /* Weights from a params file arrive through a load op's outputs. */
    const xai_opcode *oc = op->opcode_index < x->m->opcode_count
                               ? &x->m->opcodes[op->opcode_index] : NULL;
    bool load = oc && oc->custom_code &&
                !strcmp(oc->custom_code, "XAI_load_weights");
    for (uint32_t k = 0; load && k < op->output_count; k++)
      if (op->outputs[k] >= 0)
        weights[i] += tensor_bytes(&sg->tensors[op->outputs[k]]);
    for (uint32_t k = 0; k < op->input_count; k++) {
      int32_t t = op->inputs[k];
      size_t size = 0;
      if (t < 0) continue;
      if (xf_const_data(x, t, &size)) weights[i] += size;
      else last[t] = i;
    }
    for (uint32_t k = 0; k < op->output_count; k++)
      if (op->outputs[k] >= 0 && first[op->outputs[k]] == -2)
        first[op->outputs[k]] = i;
  }
  memset(cross, 0, n * sizeof *cross);
  for (uint32_t t = 0; t < nt; t++) {
    if (first[t] == -2 || last[t] <= first[t]) continue;
    size_t b = tensor_bytes(&sg->tensors[t]);
    for (int64_t i = first[t] < 0 ? 0 : first[t]; i < last[t]; i++)
      cross[i] += b;
  }
  free(first);
  free(last);
  return true;
}

void xf_pipeline_report(xf_ctx *x, xai_xformer_report *rep) {
  rep->pipe_stages = 0;
  uint32_t n = rep->layer_count;
  if (!n || x->m->subgraph_count < 1 ||
      x->m->subgraphs[0].operator_count != n)
    return;
  xf_target t;
  xf_target_default(&t);
  xai_error e;
  xai_error_clear(&e);
  if ((x->opt->target_config && xf_target_load(&t, x->opt->target_config, &e)) ||
      xf_target_tiles(x->opt, &t, &e) || t.tiles < 2)
    return;
  uint64_t bps = 0;
  uint32_t latency = 0;
  xf_tile_link(&t, 1, &bps, &latency);
  uint32_t k_max = t.tiles < MAX_STAGES ? t.tiles : MAX_STAGES;
  if (k_max > n) k_max = n;
  uint64_t *cross = malloc(n * sizeof *cross);
  size_t *weights = malloc(n * sizeof *weights);
  uint64_t *pre = calloc(n + 1, sizeof *pre);
  uint64_t *wpre = calloc(n + 1, sizeof *wpre);
  uint64_t budget = t.sram_kib > t.firmware_kib
                        ? (uint64_t)(t.sram_kib - t.firmware_kib) * 1024u : 0;
  /* best[k][j]: the slowest stage of layers [0, j) in k stages;
   * cut[k][j]: where the last of them starts. */
  uint64_t *best = malloc((size_t)(k_max + 1) * (n + 1) * sizeof *best);
  uint32_t *cut = malloc((size_t)(k_max + 1) * (n + 1) * sizeof *cut);
  if (!cross || !weights || !pre || !wpre || !best || !cut || !bps ||
      !graph_sizes(x, n, cross, weights))
    goto done;
  for (uint32_t i = 0; i < n; i++) {
    pre[i + 1] = pre[i] + rep->layers[i].ticks;
    wpre[i + 1] = wpre[i] + weights[i];
  }
#define LINK(bytes) \
  ((bytes) ? latency + ((bytes) * XAI_XCORE_REF_TIMER_HZ + bps - 1) / bps : 0)
#define STAGE(a, b, ar) /* layers [a, b), ar their largest arena in use;   \
                           UINT64_MAX: weights + arena do not fit */      \
  (wpre[b] - wpre[a] + (ar) > budget                                       \
       ? UINT64_MAX                                                        \
       : pre[b] - pre[a] + (a ? LINK(cross[(a) - 1]) : 0) +                \
             ((b) < n ? LINK(cross[(b) - 1]) : 0))
  size_t run = 0;
  for (uint32_t j = 0; j <= n; j++) {
    if (j) run = run > rep->layers[j - 1].arena_in_use
                     ? run : rep->layers[j - 1].arena_in_use;
    best[1 * (n + 1) + j] = j ? STAGE(0, j, run) : 0;
    cut[1 * (n + 1) + j] = 0;
  }
  for (uint32_t k = 2; k <= k_max; k++)
    for (uint32_t j = k; j <= n; j++) {
      uint64_t b = UINT64_MAX;
      uint32_t at = k - 1;
      size_t ar = 0;
      /* a downwards, so the stage's arena grows one layer at a time */
      for (uint32_t a = j; a-- > k - 1;) {
        if (rep->layers[a].arena_in_use > ar) ar = rep->layers[a].arena_in_use;
        uint64_t prev = best[(k - 1) * (n + 1) + a];
        uint64_t here = STAGE(a, j, ar);
        uint64_t worst = prev > here ? prev : here;
        if (worst < b || (worst == b && a > at)) {
          b = worst;
          at = a;
        }
      }
      best[k * (n + 1) + j] = b;
      cut[k * (n + 1) + j] = at;
    }
  uint32_t k_best = 1;
  for (uint32_t k = 2; k <= k_max; k++)
    if (best[k * (n + 1) + n] < best[k_best * (n + 1) + n]) k_best = k;
  if (best[k_best * (n + 1) + n] == UINT64_MAX) goto done; /* no plan fits */
  uint32_t end = n;
  for (uint32_t k = k_best; k >= 1; k--) {
    uint32_t a = cut[k * (n + 1) + end];
    size_t ar = 0;
    for (uint32_t i = a; i < end; i++)
      if (rep->layers[i].arena_in_use > ar) ar = rep->layers[i].arena_in_use;
    rep->pipe_first[k - 1] = a;
    rep->pipe_ticks[k - 1] = STAGE(a, end, ar);
    rep->pipe_link_bytes[k - 1] = a ? cross[a - 1] : 0;
    size_t w = 0;
    for (uint32_t i = a; i < end; i++) w += weights[i];
    rep->pipe_weight_bytes[k - 1] = w;
    end = a;
  }
#undef STAGE
#undef LINK
  rep->pipe_stages = k_best;
  uint64_t slowest = best[k_best * (n + 1) + n];
  rep->pipe_per_s = slowest ? (double)XAI_XCORE_REF_TIMER_HZ / (double)slowest
                            : 0;
done:
  free(cross);
  free(weights);
  free(pre);
  free(wpre);
  free(best);
  free(cut);
}

void xf_pipeline_print(const xai_xformer_report *r, FILE *f) {
  if (!r->pipe_stages) return;
  fprintf(f, "Pipeline (a stream of inputs): %u stage%s, %.1f inferences/s "
          "(one at a time: %.1f/s)\n", r->pipe_stages,
          r->pipe_stages > 1 ? "s" : "", r->pipe_per_s,
          r->ms > 0 ? 1000.0 / r->ms : 0.0);
  if (r->pipe_stages < 2) return;
  fprintf(f, "  tile  layers      ms incl. links  activations in  weights\n");
  for (uint32_t s = 0; s < r->pipe_stages; s++) {
    uint32_t last = s + 1 < r->pipe_stages ? r->pipe_first[s + 1] : r->layer_count;
    fprintf(f, "  %4u  %3u..%-3u %16.3f %15llu %8zu\n", s, r->pipe_first[s],
            last - 1, (double)r->pipe_ticks[s] / 1e5,
            (unsigned long long)r->pipe_link_bytes[s],
            r->pipe_weight_bytes[s]);
  }
}
