/* A params source over weights spread across tiles (docs/multitile.md):
 * each part of the params file sits in one tile's SRAM and a read is
 * served piece by piece from the parts it spans, each piece costed at its
 * tile's link (latency + bytes / bandwidth). */
#include <string.h>

#include "interp_internal.h"
#include "xai/flexbuf.h"
#include "xai/xcore_machine.h"

static const xai_params_part *part_at(const xai_params_tiles_state *st,
                                      uint32_t offset) {
  for (uint32_t i = 0; i < st->count; i++)
    if (offset >= st->part[i].offset &&
        offset - st->part[i].offset < st->part[i].bytes)
      return &st->part[i];
  return NULL;
}

static xai_status tiles_read(const xai_params_source *src, uint32_t offset,
                             void *dst, uint32_t n, xai_error *err) {
  const xai_params_tiles_state *st = src->user;
  if (offset > src->size || n > src->size - offset)
    return xai_fail(err, XAI_ERR_RANGE,
                    "params read of %u bytes at %u runs past the end of the "
                    "%u-byte params file", n, offset, src->size);
  uint8_t *out = dst;
  while (n) {
    const xai_params_part *p = part_at(st, offset);
    if (!p)
      return xai_fail(err, XAI_ERR_RANGE,
                      "params byte %u is on no tile", offset);
    uint32_t in = offset - p->offset;
    uint32_t k = p->bytes - in < n ? p->bytes - in : n;
    memcpy(out, p->base + in, k);
    out += k;
    offset += k;
    n -= k;
  }
  return XAI_OK;
}

static uint64_t tiles_ticks(const xai_params_source *src, uint32_t offset,
                            uint32_t n) {
  const xai_params_tiles_state *st = src->user;
  uint64_t t = 0;
  while (n) {
    const xai_params_part *p = part_at(st, offset);
    if (!p) break; /* the read fails; its cost does not matter */
    uint32_t in = offset - p->offset;
    uint32_t k = p->bytes - in < n ? p->bytes - in : n;
    t += p->latency_ticks + xai_params_ticks(k, p->bytes_per_s);
    offset += k;
    n -= k;
  }
  return t;
}

xai_status xai_params_tiles(xai_params_source *src,
                            const xai_params_tiles_state *state,
                            xai_error *err) {
  uint32_t at = 0;
  if (state->count == 0 || state->count > XAI_PARAMS_MAX_PARTS)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "params over tiles need 1 to %u parts, not %u",
                    XAI_PARAMS_MAX_PARTS, state->count);
  for (uint32_t i = 0; i < state->count; i++) {
    const xai_params_part *p = &state->part[i];
    if (p->offset != at || !p->base || p->bytes_per_s == 0)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "params part %u (tile %u) starts at %u, not at %u, or "
                      "has no memory or bandwidth", i, p->tile, p->offset,
                      at);
    at += p->bytes;
  }
  memset(src, 0, sizeof *src);
  src->read = tiles_read;
  src->ticks = tiles_ticks;
  src->user = (void *)(uintptr_t)state; /* read-only */
  src->size = at;
  src->kind = XAI_PARAMS_TILES;
  return XAI_OK;
}

/* Latency of the link to `tile` (relative to the computing tile): the same
 * rule as the xformer's (xcore_machine.h). */
static uint32_t link_latency(uint32_t tile) {
  if (tile == 0) return 0;
  uint32_t chip = tile / XAI_XCORE_TILES;
  return chip * XAI_XCORE_INTER_CHIP_LATENCY_TICKS +
         (chip ? tile % XAI_XCORE_TILES : 1u) *
             XAI_XCORE_INTER_TILE_LATENCY_TICKS;
}

xai_status xai_params_tiles_from_model(xai_params_tiles_state *state,
                                       const uint8_t *model, size_t size,
                                       bool *has_tiles, xai_error *err) {
  memset(state, 0, sizeof *state);
  *has_tiles = false;
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, model, size, err);
  if (st) return st;
  size_t n = 0;
  const uint8_t *md = xai_tfl_find_metadata(&view, "xai_tiles", &n);
  if (!md) return XAI_OK;
  xai_flexbuf_ref map, v;
  int64_t parts[3 * XAI_PARAMS_MAX_PARTS];
  int32_t mbps[XAI_PARAMS_MAX_PARTS];
  size_t np = 0, nm = 0;
  if (xai_flexbuf_verify(md, n, err) || xai_flexbuf_root(md, n, &map, err) ||
      map.type != XAI_FLEXBUF_MAP || xai_flexbuf_map_get(&map, "parts", &v, err) ||
      xai_flexbuf_get_int64_array(&v, parts, 3 * XAI_PARAMS_MAX_PARTS, &np,
                                  err) ||
      xai_flexbuf_map_get(&map, "mbps", &v, err) ||
      xai_flexbuf_get_int32_array(&v, mbps, XAI_PARAMS_MAX_PARTS, &nm, err) ||
      np % 3 || np / 3 != nm || nm == 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the model's xai_tiles metadata is malformed (%s); "
                    "recompile it with xformer",
                    err && err->message[0] ? err->message : "counts differ");
  uint32_t at = 0;
  for (size_t i = 0; i < nm; i++) {
    xai_params_part *p = &state->part[i];
    if (parts[3 * i] < 0 || parts[3 * i] >= 8 || parts[3 * i + 1] != at ||
        parts[3 * i + 2] <= 0 || parts[3 * i + 2] > UINT32_MAX - at ||
        mbps[i] <= 0)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "xai_tiles part %zu (tile %lld, %lld bytes at %lld) is "
                      "out of order or empty; recompile the model", i,
                      (long long)parts[3 * i], (long long)parts[3 * i + 2],
                      (long long)parts[3 * i + 1]);
    p->tile = (uint8_t)parts[3 * i];
    p->offset = at;
    p->bytes = (uint32_t)parts[3 * i + 2];
    p->bytes_per_s = (uint64_t)mbps[i] * 1000000u;
    p->latency_ticks = link_latency(p->tile);
    at += p->bytes;
  }
  state->count = (uint32_t)nm;
  *has_tiles = true;
  return XAI_OK;
}
