/* The report of a model spread over tiles (docs/multitile.md): per tile
 * what it holds and computes, per link the bytes it carries per inference,
 * their time and the share of the inference the link is busy. */
#include <stdio.h>
#include <string.h>

#include "xformer_internal.h"

void xf_partition_report(const xf_ctx *x, xai_xformer_report *rep) {
  rep->tile_count = 0;
  rep->partition[0] = '\0';
  if (!x->placed || x->placement.params != XF_MEM_TILES) return;
  const xai_params_tiles_state *ps = &x->tiles.parts;
  uint64_t link_ticks = 0;
  for (uint32_t i = 0; i < ps->count && i < 8; i++) {
    const xai_params_part *p = &ps->part[i];
    xai_xformer_tile *t = &rep->tiles[rep->tile_count++];
    memset(t, 0, sizeof *t);
    t->tile = p->tile;
    t->chip = p->tile / XAI_XCORE_TILES;
    t->weights_bytes = p->bytes;
    if (p->tile == 0) {
      t->model_bytes = rep->model_bytes;
      t->arena_bytes = rep->arena_bytes;
      t->compute_ticks = rep->ticks;
      continue;
    }
    t->link_bytes = p->bytes;
    t->link_ticks = xai_params_ticks(p->bytes, p->bytes_per_s);
    t->link_mbps = (uint32_t)(p->bytes_per_s / 1000000u);
    link_ticks += t->link_ticks;
  }
  uint32_t chips = (x->tiles.used + XAI_XCORE_TILES - 1) / XAI_XCORE_TILES;
  snprintf(rep->partition, sizeof rep->partition,
           "weights over %u tiles (%u chip%s), computed on tile 0: %.3f ms "
           "of link transfers per inference, prefetched under the previous "
           "layer where the arena has room", x->tiles.used, chips,
           chips > 1 ? "s" : "",
           (double)link_ticks / 1e5);
}

void xf_partition_print(const xai_xformer_report *r, FILE *f) {
  if (!r->tile_count) return;
  fprintf(f, "Partition: %s\n", r->partition);
  fprintf(f, "  tile chip    model    arena  weights  compute ms  link bytes"
             "   link ms  link MB/s  link busy\n");
  double total_ms = (double)r->ticks / 1e5;
  for (uint32_t i = 0; i < r->tile_count; i++) {
    const xai_xformer_tile *t = &r->tiles[i];
    double lms = (double)t->link_ticks / 1e5;
    fprintf(f, "  %4u %4u %8zu %8zu %8zu %11.3f %11llu %9.3f %10u %9.1f%%\n",
            t->tile, t->chip, t->model_bytes, t->arena_bytes,
            t->weights_bytes, (double)t->compute_ticks / 1e5,
            (unsigned long long)t->link_bytes, lms, t->link_mbps,
            total_ms > 0 ? 100.0 * lms / total_ms : 0.0);
  }
}

void xf_partition_json(const xai_xformer_report *r, xf_text *b) {
  if (r->tile_count) {
    xf_text_put(b, ",\n  \"tiles\": [");
    for (uint32_t i = 0; i < r->tile_count; i++) {
      const xai_xformer_tile *t = &r->tiles[i];
      xf_text_put(b, "%s{\"tile\": %u, \"chip\": %u, \"model_bytes\": %zu, "
                  "\"arena_bytes\": %zu, \"weights_bytes\": %zu, "
                  "\"compute_ticks\": %llu, \"link_bytes\": %llu, "
                  "\"link_ticks\": %llu, \"link_mbps\": %u}", i ? ", " : "",
                  t->tile, t->chip, t->model_bytes, t->arena_bytes,
                  t->weights_bytes, (unsigned long long)t->compute_ticks,
                  (unsigned long long)t->link_bytes,
                  (unsigned long long)t->link_ticks, t->link_mbps);
    }
    xf_text_put(b, "]");
  }
  if (r->pipe_stages) {
    xf_text_put(b, ",\n  \"pipeline\": {\"per_s\": %.3f, \"stages\": [",
                r->pipe_per_s);
    for (uint32_t s = 0; s < r->pipe_stages; s++)
      xf_text_put(b, "%s{\"first_layer\": %u, \"ticks\": %llu, "
                  "\"link_bytes_in\": %llu, \"weights_bytes\": %zu}",
                  s ? ", " : "", r->pipe_first[s],
                  (unsigned long long)r->pipe_ticks[s],
                  (unsigned long long)r->pipe_link_bytes[s],
                  r->pipe_weight_bytes[s]);
    xf_text_put(b, "]}");
  }
}
