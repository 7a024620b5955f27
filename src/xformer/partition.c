/* Multi-tile placement (docs/multitile.md): a model whose weights do not
 * fit one tile keeps its model and arena on the computing tile 0 and
 * spreads its params file over the SRAM of tiles 0..used-1 (tile 0 first
 * with what model and arena leave, then tile 1 on the same chip, then the
 * tiles of the next chips). Each XAI_load_weights op streams its weights to
 * tile 0 over the links, costed per part (xai_params_tiles), and is
 * prefetched under the previous op like a flash load. The choice between
 * this and the single-tile placements (SRAM, LPDDR, flash) is by the time
 * streaming the weights costs per inference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/xcore_machine.h"
#include "xformer_internal.h"

/* Room the metadata and load ops added after the estimate may take. */
#define PARTITION_SLACK_BYTES 1024u

xai_status xf_target_tiles(const xai_xformer_options *o, xf_target *t,
                           xai_error *err) {
  uint32_t chips = o->chips ? o->chips : t->chips ? t->chips : 1;
  uint32_t tiles = o->tiles   ? o->tiles
                   : t->tiles ? t->tiles
                   : (o->chips || t->chips) ? XAI_XCORE_TILES * chips
                                            : 1;
  if (chips < 1 || chips > XAI_XCORE_CHIPS_MAX || tiles < 1 ||
      tiles > XAI_XCORE_TILES * chips)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "%u tiles on %u chip%s: an xcore.ai has %u tiles, so %u "
                    "tiles need --xcore-chips %u (at most %u chips)",
                    tiles, chips, chips == 1 ? "" : "s", XAI_XCORE_TILES,
                    tiles, (tiles + XAI_XCORE_TILES - 1) / XAI_XCORE_TILES,
                    XAI_XCORE_CHIPS_MAX);
  t->tiles = tiles;
  t->chips = chips;
  return XAI_OK;
}

void xf_tile_link(const xf_target *t, uint32_t tile, uint64_t *bytes_per_s,
                  uint32_t *latency_ticks) {
  uint32_t chip = tile / XAI_XCORE_TILES;
  if (tile == 0) {
    *bytes_per_s = XAI_PARAMS_RAM_BYTES_PER_S;
    *latency_ticks = 0;
  } else if (chip == 0) {
    *bytes_per_s = (uint64_t)t->tile_link_mbps * 1000000u;
    *latency_ticks = XAI_XCORE_INTER_TILE_LATENCY_TICKS;
  } else {
    /* chips in a daisy chain: every hop adds its latency; the xLINK is the
     * narrowest part of the route */
    uint64_t chip_bps = (uint64_t)t->chip_link_mbps * 1000000u;
    uint64_t tile_bps = (uint64_t)t->tile_link_mbps * 1000000u;
    *bytes_per_s = tile % XAI_XCORE_TILES && tile_bps < chip_bps ? tile_bps
                                                                 : chip_bps;
    *latency_ticks = chip * XAI_XCORE_INTER_CHIP_LATENCY_TICKS +
                     (tile % XAI_XCORE_TILES) *
                         XAI_XCORE_INTER_TILE_LATENCY_TICKS;
  }
  if (*bytes_per_s == 0) *bytes_per_s = 1;
}

static uint64_t tile_budget(const xf_target *t) {
  return t->sram_kib > t->firmware_kib
             ? (uint64_t)(t->sram_kib - t->firmware_kib) * 1024u : 0;
}

/* The largest constant the split moves: the loads keep it (and, with
 * prefetch, the next one) in the arena. */
static size_t largest_movable(xf_ctx *x) {
  const xai_subgraph *sg = &x->m->subgraphs[0];
  size_t best = 0;
  for (uint32_t i = 0; i < sg->tensor_count; i++) {
    size_t n = 0;
    if (xf_const_data(x, (int32_t)i, &n) &&
        n > x->opt->load_externally_if_larger && n > best)
      best = n;
  }
  return best;
}

/* Splits `bytes` of params over the tiles, tile 0 taking `room0`: fills
 * plan->parts (bases NULL); returns the bytes left over (0: they fit). */
static uint64_t spread(const xf_target *t, uint64_t bytes, uint64_t room0,
                       xf_tile_plan *plan) {
  memset(plan, 0, sizeof *plan);
  plan->tiles = t->tiles;
  plan->chips = t->chips;
  uint64_t at = 0, budget = tile_budget(t);
  for (uint32_t k = 0; k < t->tiles && at < bytes; k++) {
    uint64_t take = k == 0 ? room0 & ~(uint64_t)15u : budget;
    if (take > bytes - at) take = bytes - at;
    if (take == 0) continue;
    xai_params_part *p = &plan->parts.part[plan->parts.count++];
    p->tile = (uint8_t)k;
    p->offset = (uint32_t)at;
    p->bytes = (uint32_t)take;
    xf_tile_link(t, k, &p->bytes_per_s, &p->latency_ticks);
    at += take;
    plan->used = k + 1;
  }
  plan->part_count = plan->parts.count;
  return bytes - at;
}

static uint64_t plan_ticks(const xf_tile_plan *plan) {
  uint64_t ticks = 0;
  for (uint32_t i = 0; i < plan->parts.count; i++)
    ticks += xai_params_ticks(plan->parts.part[i].bytes,
                              plan->parts.part[i].bytes_per_s);
  return ticks;
}

/* Streaming ticks per inference of a single-tile placement. */
static uint64_t single_ticks(const xf_target *t, const xf_sizes *s,
                             const xf_placement *p) {
  uint64_t lpddr = XAI_XCORE_LPDDR_BYTES_PER_S;
  uint64_t flash = (uint64_t)t->flash_mbps * 1000000u;
  if (p->split)
    return xai_params_ticks(s->movable_bytes,
                            p->params == XF_MEM_FLASH   ? flash
                            : p->params == XF_MEM_LPDDR ? lpddr
                                                        : XAI_PARAMS_RAM_BYTES_PER_S);
  return p->model == XF_MEM_LPDDR ? xai_params_ticks(s->model_bytes, lpddr) : 0;
}

/* Tiles needed for a params file of `bytes` when tile 0 has room0 left. */
static uint32_t tiles_needed(const xf_target *t, uint64_t bytes,
                             uint64_t room0) {
  uint64_t budget = tile_budget(t);
  if (bytes <= room0 || budget == 0) return 1;
  return 1 + (uint32_t)((bytes - room0 + budget - 1) / budget);
}

xai_status xf_partition_choose(xf_ctx *x, const xf_target *t,
                               const xf_sizes *s, xf_placement *out,
                               xai_error *err) {
  xf_placement single;
  xai_error e1;
  xai_error_clear(&e1);
  xai_status st1 = xf_placement_choose(t, x->opt->memory, s, &single, &e1);
  uint64_t budget = tile_budget(t);
  uint64_t rest = s->model_bytes > s->movable_bytes
                      ? s->model_bytes - s->movable_bytes : 0;
  uint64_t tile0 = rest + s->arena_bytes + (uint64_t)largest_movable(x) +
                   PARTITION_SLACK_BYTES;
  uint64_t room0 = budget > tile0 ? budget - tile0 : 0;
  bool tiles_ok = x->opt->memory == XAI_XF_MEMORY_AUTO && s->params_file &&
                  t->tiles > 1 && tile0 <= budget && s->movable_bytes > 0;
  xf_tile_plan plan;
  if (tiles_ok) tiles_ok = spread(t, s->movable_bytes, room0, &plan) == 0;
  if (tiles_ok && (st1 || plan_ticks(&plan) < single_ticks(t, s, &single))) {
    memset(out, 0, sizeof *out);
    out->model = out->arena = XF_MEM_SRAM;
    out->params = XF_MEM_TILES;
    out->split = true;
    out->sram_bytes = (size_t)(rest + s->arena_bytes + s->movable_bytes);
    x->tiles = plan;
    return XAI_OK;
  }
  if (!st1) {
    *out = single;
    return XAI_OK;
  }
  /* Nothing fits: say how many tiles would. */
  uint32_t need = tiles_needed(t, s->movable_bytes, room0);
  char hint[240] = "";
  if (tile0 > budget)
    snprintf(hint, sizeof hint,
             "; more tiles do not help: model %llu bytes + arena %llu bytes "
             "must fit the computing tile's %llu",
             (unsigned long long)rest, (unsigned long long)s->arena_bytes,
             (unsigned long long)budget);
  else if (x->opt->memory == XAI_XF_MEMORY_AUTO) {
    uint32_t chips = (need + XAI_XCORE_TILES - 1) / XAI_XCORE_TILES;
    char c[32] = "";
    if (chips > 1) snprintf(c, sizeof c, " --xcore-chips %u", chips);
    snprintf(hint, sizeof hint, "; over %u tiles it fits: --xcore-tiles %u%s%s",
             need, need, c,
             s->params_file ? "" : " --xcore-flash-image-file=FILE");
  }
  return xai_fail(err, st1, "%.400s%s", e1.message, hint);
}

static xai_status write_tiles_metadata(xf_ctx *x, xai_error *err) {
  const xf_tile_plan *p = &x->tiles;
  int64_t parts[3 * XAI_PARAMS_MAX_PARTS];
  int32_t mbps[XAI_PARAMS_MAX_PARTS];
  for (uint32_t i = 0; i < p->parts.count; i++) {
    parts[3 * i] = p->parts.part[i].tile;
    parts[3 * i + 1] = p->parts.part[i].offset;
    parts[3 * i + 2] = p->parts.part[i].bytes;
    mbps[i] = (int32_t)(p->parts.part[i].bytes_per_s / 1000000u);
  }
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_uint(&b, "chips", p->chips);
  xai_flexbuf_add_int_vector(&b, "mbps", mbps, p->parts.count);
  xai_flexbuf_add_int64_vector(&b, "parts", parts, 3 * p->parts.count);
  xai_flexbuf_add_uint(&b, "tiles", p->used);
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  xai_status st = xai_flexbuf_finish(&b, &data, &size, err);
  if (!st && xai_model_set_metadata(x->m, "xai_tiles", data, size))
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_flexbuf_builder_free(&b);
  return st;
}

xai_status xf_partition_assign(xf_ctx *x, size_t params_size,
                               xai_error *err) {
  if (!x->placed || x->placement.params != XF_MEM_TILES) return XAI_OK;
  xf_target t;
  xf_target_default(&t);
  xai_status st = XAI_OK;
  if (x->opt->target_config) st = xf_target_load(&t, x->opt->target_config, err);
  if (!st) st = xf_target_tiles(x->opt, &t, err);
  if (st) return st;
  /* The model as it will be (plus the metadata to come) and its arena. */
  uint8_t *data;
  size_t size, arena = 0;
  st = xai_model_write(x->m, &data, &size, err);
  if (st) return st;
  xai_interp_config c = xf_interp_config(data, size, x->opt->clock_mhz);
  st = xai_interp_arena_needed(&c, &arena, err);
  free(data);
  if (st) return st;
  uint64_t tile0 = ((size + PARTITION_SLACK_BYTES + 15u) & ~(size_t)15u) +
                   arena;
  uint64_t budget = tile_budget(&t);
  uint64_t room0 = budget > tile0 ? budget - tile0 : 0;
  uint64_t left = spread(&t, params_size, room0, &x->tiles);
  if (left || tile0 > budget)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "after the params split the model (%zu bytes) and arena "
                    "(%zu bytes) leave %llu bytes on tile 0: the %zu-byte "
                    "params need %u tiles, the target has %u",
                    size, arena, (unsigned long long)room0, params_size,
                    tiles_needed(&t, params_size, room0), t.tiles);
  return write_tiles_metadata(x, err);
}
