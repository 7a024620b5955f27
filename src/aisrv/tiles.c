/* Params over tiles (docs/multitile.md, "Device"): a model compiled with
 * --xcore-tiles N keeps its weights in the SRAM of several tiles, as its
 * `xai_tiles` record places them. Engine e computes on tile e; part i of
 * the params file lives on tile (e + part tile) % tiles, in that tile's
 * holding: a block at the top of the tile's SRAM, stacked by engine index.
 * The engines on a tile (engine e is on tile e mod tiles) keep their
 * model/arena blocks from the bottom, each in the largest gap the others
 * and the holdings leave (its sram / sram_bytes). Reads of a remote part are counted per
 * layer and per serving tile, for GET_TILE_TIMINGS. */
#include <string.h>

#include "aisrv_internal.h"

static uint32_t phys_tile(const xai_aisrv *s, const aisrv_engine *e,
                          uint32_t rel) {
  return (e->tile + rel) % s->tiles;
}

/* Bytes engines other than `skip` hold on tile t. */
static size_t held_by_others(const xai_aisrv *s, uint32_t t, uint32_t skip) {
  size_t n = 0;
  for (uint32_t k = 0; k < s->engines; k++)
    if (k != skip) n += s->eng[k].hold_bytes[t];
  return n;
}

/* The end of the highest model/arena block on tile t, but skip's. */
static size_t own_end(const xai_aisrv *s, uint32_t t, uint32_t skip) {
  size_t end = 0;
  for (uint32_t k = 0; k < s->engines; k++) {
    const aisrv_engine *o = &s->eng[k];
    if (k != skip && o->tile == t && o->sram_used &&
        o->sram_off + o->sram_used > end)
      end = o->sram_off + o->sram_used;
  }
  return end;
}

size_t aisrv_tile_room(const xai_aisrv *s, const aisrv_engine *e,
                       size_t own_hold, size_t *offset) {
  /* Engines on one tile keep their blocks from the bottom; the holdings
   * (weights of models over tiles) are stacked from the top. The room is
   * the largest gap between the other engines' blocks below the
   * holdings. */
  size_t held = held_by_others(s, e->tile, e->index) + own_hold;
  size_t top = held < s->sram_usable ? s->sram_usable - held : 0;
  size_t at = 0, best = 0, best_at = 0;
  for (;;) {
    /* the next block at or above `at` */
    size_t next = top, next_end = top;
    for (uint32_t k = 0; k < s->engines; k++) {
      const aisrv_engine *o = &s->eng[k];
      if (k == e->index || o->tile != e->tile || !o->sram_used) continue;
      if (o->sram_off >= at && o->sram_off < next) {
        next = o->sram_off;
        next_end = o->sram_off + o->sram_used;
      }
    }
    if (next > at && next - at > best) {
      best = next - at;
      best_at = at;
    }
    if (next >= top) break;
    at = next_end;
  }
  *offset = best_at;
  return best & ~(size_t)15;
}

void aisrv_tiles_update_room(xai_aisrv *s) {
  for (uint32_t k = 0; k < s->engines; k++) {
    aisrv_engine *e = &s->eng[k];
    size_t off = 0;
    e->sram_bytes = aisrv_tile_room(s, e, 0, &off);
    e->sram = (uint8_t *)s->cfg.sram[e->tile].base + off;
  }
}

xai_status aisrv_tiles_plan(xai_aisrv *s, aisrv_engine *e,
                            const uint8_t *model, uint32_t bytes,
                            const uint8_t *staged, uint32_t pbytes,
                            aisrv_tiles_plan_t *plan) {
  memset(plan, 0, sizeof *plan);
  bool has = false;
  xai_status st = xai_params_tiles_from_model(&plan->state, model, bytes,
                                              &has, &s->err);
  if (st) return st;
  if (!has)
    return xai_fail(&s->err, XAI_ERR_FORMAT,
                    "the params were sent for tiles but the model has no "
                    "xai_tiles record; send them to SRAM or LPDDR");
  uint32_t end = 0;
  for (uint32_t i = 0; i < plan->state.count; i++) {
    xai_params_part *p = &plan->state.part[i];
    if (p->tile >= s->tiles)
      return xai_fail(&s->err, XAI_ERR_NO_MEMORY,
                      "the model keeps weights on %u tiles; the device has "
                      "%u", (unsigned)p->tile + 1u, s->tiles);
    uint32_t t = phys_tile(s, e, p->tile);
    plan->tile[i] = (uint8_t)t;
    plan->hold_off[i] = plan->hold[t];
    plan->hold[t] += (uint32_t)aisrv_align16(p->bytes);
    p->base = staged + p->offset;
    end = p->offset + p->bytes;
  }
  if (end != pbytes)
    return xai_fail(&s->err, XAI_ERR_FORMAT,
                    "the model's xai_tiles parts cover %u bytes; the params "
                    "sent are %u bytes", end, pbytes);
  return xai_params_tiles(&plan->src, &plan->state, &s->err);
}

bool aisrv_tiles_fit(xai_aisrv *s, aisrv_engine *e,
                     const xai_frame_header *req,
                     const aisrv_tiles_plan_t *plan) {
  for (uint32_t t = 0; t < s->tiles; t++) {
    if (!plan->hold[t]) continue;
    size_t others = held_by_others(s, t, e->index);
    size_t own = own_end(s, t, e->index);
    if (others + own + plan->hold[t] <= s->sram_usable) continue;
    size_t left = others + own < s->sram_usable
                      ? s->sram_usable - others - own : 0;
    aisrv_reply_error(
        s, req, XAI_PS_NO_MEMORY,
        "engine %u: %u bytes of its weights go to tile %u, which has %zu "
        "bytes free (the models and arenas of its engines use %zu, weights "
        "held there %zu), %zu bytes short; the whole model is refused, "
        "previous model kept; free tile %u first (RESET, or smaller models "
        "on its engines)",
        e->index, plan->hold[t], t, left, own, others, plan->hold[t] - left,
        t);
    return false;
  }
  return true;
}

/* Moves every holding on tile t to its place in the stack (engine order
 * from the top). Blocks keep their order, so moving up from the top and
 * down from the bottom never overwrites a block not yet moved. */
static void relayout(xai_aisrv *s, uint32_t t) {
  uint8_t *want[XAI_AISRV_MAX_TILES];
  uint8_t *top = (uint8_t *)s->cfg.sram[t].base + s->sram_usable;
  for (uint32_t k = 0; k < s->engines; k++) {
    top -= s->eng[k].hold_bytes[t];
    want[k] = top;
  }
  for (uint32_t k = 0; k < s->engines; k++) {
    aisrv_engine *o = &s->eng[k];
    if (o->hold_bytes[t] && o->hold_at[t] && want[k] > o->hold_at[t])
      memmove(want[k], o->hold_at[t], o->hold_bytes[t]);
  }
  for (uint32_t k = s->engines; k-- > 0;) {
    aisrv_engine *o = &s->eng[k];
    if (o->hold_bytes[t] && o->hold_at[t] && want[k] < o->hold_at[t])
      memmove(want[k], o->hold_at[t], o->hold_bytes[t]);
  }
  for (uint32_t k = 0; k < s->engines; k++) {
    aisrv_engine *o = &s->eng[k];
    o->hold_at[t] = o->hold_bytes[t] ? want[k] : NULL;
    for (uint32_t i = 0; i < o->tiles_state.count; i++)
      if (o->part_tile[i] == t)
        o->tiles_state.part[i].base = o->hold_at[t] + o->part_hold_off[i];
  }
}

/* The engine's params source: the tiles source, with remote reads
 * counted (single-threaded per engine: only its own invoke reads). */
static xai_status counted_read(const xai_params_source *src, uint32_t offset,
                               void *dst, uint32_t n, xai_error *err) {
  aisrv_engine *e = src->user;
  xai_status st = e->tiles_inner.read(&e->tiles_inner, offset, dst, n, err);
  if (st) return st;
  for (uint32_t i = 0; i < e->tiles_state.count; i++) {
    const xai_params_part *p = &e->tiles_state.part[i];
    if (p->tile == 0) continue;
    uint32_t lo = offset > p->offset ? offset : p->offset;
    uint64_t hi64 = (uint64_t)offset + n;
    uint64_t pend = (uint64_t)p->offset + p->bytes;
    uint32_t hi = (uint32_t)(hi64 < pend ? hi64 : pend);
    if (hi <= lo) continue;
    uint64_t ticks = p->latency_ticks + xai_params_ticks(hi - lo,
                                                         p->bytes_per_s);
    e->link_cur_bytes += hi - lo;
    e->link_cur_ticks += ticks;
    e->served_bytes[e->part_tile[i]] += hi - lo;
    e->served_ticks[e->part_tile[i]] += ticks;
  }
  return XAI_OK;
}

static uint64_t counted_ticks(const xai_params_source *src, uint32_t offset,
                              uint32_t n) {
  const aisrv_engine *e = src->user;
  return e->tiles_inner.ticks(&e->tiles_inner, offset, n);
}

xai_status aisrv_tiles_commit(xai_aisrv *s, aisrv_engine *e,
                              const aisrv_tiles_plan_t *plan) {
  e->tiles_state = plan->state;
  for (uint32_t i = 0; i < plan->state.count; i++) {
    e->part_tile[i] = plan->tile[i];
    e->part_hold_off[i] = plan->hold_off[i];
  }
  for (uint32_t t = 0; t < s->tiles; t++) {
    e->hold_bytes[t] = plan->hold[t];
    e->hold_at[t] = NULL;
  }
  for (uint32_t t = 0; t < s->tiles; t++)
    if (plan->hold[t]) relayout(s, t);
  /* Copy from staging only once every block is where it stays. */
  for (uint32_t i = 0; i < plan->state.count; i++)
    memcpy((uint8_t *)(uintptr_t)e->tiles_state.part[i].base,
           plan->state.part[i].base, plan->state.part[i].bytes);
  aisrv_tiles_update_room(s);
  xai_status st = xai_params_tiles(&e->tiles_inner, &e->tiles_state, &s->err);
  if (st) return st;
  e->params = e->tiles_inner;
  e->params.read = counted_read;
  e->params.ticks = counted_ticks;
  e->params.user = e;
  for (uint32_t t = 0; t < s->tiles; t++)
    if (e->hold_bytes[t])
      aisrv_log(s, "engine %u: %u bytes of weights held on tile %u", e->index,
                e->hold_bytes[t], t);
  return XAI_OK;
}

void aisrv_tiles_release(aisrv_engine *e) {
  xai_aisrv *s = e->srv;
  for (uint32_t t = 0; t < XAI_AISRV_MAX_TILES; t++) {
    e->hold_bytes[t] = 0;
    e->hold_at[t] = NULL;
  }
  memset(&e->tiles_state, 0, sizeof e->tiles_state);
  if (s) aisrv_tiles_update_room(s);
}
