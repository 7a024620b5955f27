/* The tiles side of the server (docs/multitile.md, "Device"): invokes run
 * on their engine's tile (at once for INVOKE_TILES when the platform gives
 * one thread per tile), and GET_TILE_TIMINGS reports what each tile did. */
#include <string.h>

#include "aisrv_internal.h"
#include "xai/xcore_machine.h"

_Static_assert(sizeof(xai_proto_layer_tile) <= sizeof(xai_proto_layer_timing),
               "tile timings reuse the timing batch buffer");

/* A channel-split half goes to the other tile of the engine's chip. */
typedef struct {
  xai_aisrv *s;
  aisrv_engine *e;
  uint32_t tile;
} half_tile;

static bool half_start(void *user, void (*fn)(void *), void *arg) {
  half_tile *h = user;
  bool away = h->s->cfg.tile_threads.start(h->s->cfg.tile_threads.user,
                                           h->tile, fn, arg);
  h->e->halves_away += away;
  return away;
}

static void half_join(void *user) {
  half_tile *h = user;
  h->s->cfg.tile_threads.join(h->s->cfg.tile_threads.user, h->tile);
}

static void invoke_engine(xai_aisrv *s, aisrv_engine *e) {
  e->layers = 0;
  e->layers_seen = 0;
  e->pf_pending = 0;
  e->weight_bytes = 0;
  e->link_cur_ticks = 0;
  e->link_cur_bytes = 0;
  e->halves = e->halves_away = 0;
  for (uint32_t t = 0; t < XAI_AISRV_MAX_TILES; t++) {
    e->served_ticks[t] = e->link_in_ticks[t];
    e->served_bytes[t] = e->link_in_bytes[t];
    e->link_in_ticks[t] = e->link_in_bytes[t] = 0;
  }
  xai_error_clear(&e->invoke_err);
  half_tile h = {s, e, aisrv_half_tile(s, e->tile)};
  xai_tile_runner r = {half_start, half_join, &h};
  bool threads = s->cfg.tile_threads.start && s->cfg.tile_threads.join &&
                 h.tile != e->tile;
  e->invoke_status = xai_interp_invoke_tiles(e->interp, threads ? &r : NULL,
                                             &e->invoke_err);
}

/* On tile `tile`'s thread: its engines of the run, one after the other. */
static void invoke_tile(void *arg, uint32_t tile) {
  xai_aisrv *s = arg;
  for (uint32_t k = 0; k < s->engines; k++)
    if ((s->run_mask & (1u << k)) && s->eng[k].tile == tile)
      invoke_engine(s, &s->eng[k]);
}

void aisrv_run_engines(xai_aisrv *s, uint32_t mask) {
  s->run_mask = mask;
  uint32_t tiles = 0;
  for (uint32_t k = 0; k < s->engines; k++)
    if (mask & (1u << k)) tiles |= 1u << s->eng[k].tile;
  if (s->cfg.tile_threads.run) {
    s->cfg.tile_threads.run(s->cfg.tile_threads.user, tiles, invoke_tile, s);
    return;
  }
  for (uint32_t t = 0; t < s->tiles; t++)
    if (tiles & (1u << t)) invoke_tile(s, t);
}

void aisrv_invoke_and_reply(xai_aisrv *s, const xai_frame_header *req,
                            uint32_t mask) {
  for (uint32_t k = 0; k < s->engines; k++)
    if ((mask & (1u << k)) && !aisrv_invoke_ready(s, &s->eng[k], req)) return;
  aisrv_run_engines(s, mask);
  for (uint32_t k = 0; k < s->engines; k++) {
    aisrv_engine *e = &s->eng[k];
    if (!(mask & (1u << k))) continue;
    if (e->invoke_status != XAI_OK) {
      aisrv_reply_error(s, req, XAI_PS_INFER_ERROR, "engine %u: %s", k,
                        e->invoke_err.message);
      return;
    }
    if (e->layers_seen > e->layers)
      aisrv_log(s, "engine %u: %u layers ran, timings kept for the first %u",
                k, e->layers_seen, e->layers);
    uint32_t split = e->halves ? (e->halves_away << 16) | e->halves : 0;
    if (split != e->halves_logged)
      aisrv_log(s, "engine %u: %u channel-split halves, %u of them computed "
                "by tile %u's thread at the same time", k, e->halves,
                e->halves_away, aisrv_half_tile(s, e->tile));
    e->halves_logged = split;
  }
  aisrv_reply(s, req, XAI_PS_OK, NULL, 0);
}

void aisrv_cmd_invoke_tiles(xai_aisrv *s, const xai_frame_header *req) {
  uint32_t mask = req->arg;
  if (!mask || (s->engines < 32 && mask >> s->engines)) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "INVOKE_TILES engine mask 0x%x: name 1 to %u engines "
                      "(bits 0..%u)", (unsigned)mask, s->engines,
                      s->engines - 1);
    return;
  }
  aisrv_invoke_and_reply(s, req, mask);
}

void aisrv_cmd_get_tile_timings(xai_aisrv *s, aisrv_engine *e,
                                const xai_frame_header *req) {
  if (!e->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "engine %u has no model",
                      e->index);
    return;
  }
  xai_proto_tile_timings tt;
  memset(&tt, 0, sizeof tt);
  tt.tiles = (uint8_t)s->tiles;
  tt.compute_tile = (uint8_t)e->tile;
  for (uint32_t k = 0; k < e->layers; k++)
    tt.tile[e->layer_tile[k]].compute_ticks += e->ticks[k];
  for (uint32_t t = 0; t < s->tiles; t++) {
    tt.tile[t].link_ticks = e->served_ticks[t];
    tt.tile[t].link_bytes = e->served_bytes[t];
  }
  /* Header and tiles first, then the layers a batch at a time through the
   * timing batch buffer (big enough for AISRV_TIMING_BATCH entries). */
  size_t head = 0, at = 0;
  if (xai_tile_timings_encode(&tt, s->big, s->big_bytes, &head, &s->err)) {
    aisrv_reply_error(s, req, XAI_PS_INFER_ERROR, "engine %u: %s", e->index,
                      s->err.message);
    return;
  }
  at = head;
  xai_proto_layer_tile *batch = (xai_proto_layer_tile *)(void *)s->layer_batch;
  for (uint32_t i = 0; i < e->layers; i += AISRV_TIMING_BATCH) {
    uint32_t n = e->layers - i < AISRV_TIMING_BATCH ? e->layers - i
                                                    : AISRV_TIMING_BATCH;
    for (uint32_t k = 0; k < n; k++) {
      xai_proto_layer_tile *l = &batch[k];
      memset(l, 0, sizeof *l);
      l->ticks = e->ticks[i + k];
      l->link_ticks = e->link_ticks[i + k];
      l->link_bytes = e->link_bytes[i + k];
      /* What prefetch did not hide of a remote load: the layer's own time
       * left, up to its link time. */
      l->link_wait_ticks = l->link_ticks < l->ticks ? l->link_ticks : l->ticks;
      l->tile = e->layer_tile[i + k];
    }
    xai_proto_tile_timings part = tt;
    part.layer_count = n;
    part.layers = batch;
    size_t written = 0;
    if (xai_tile_timings_encode(&part, s->payload, XAI_PROTO_MAX_PAYLOAD,
                                &written, &s->err) ||
        at + written - head > s->big_bytes) {
      aisrv_reply_error(s, req, XAI_PS_INFER_ERROR,
                        "engine %u: tile timings do not fit the reply buffer",
                        e->index);
      return;
    }
    memcpy(s->big + at, s->payload + head, written - head);
    at += written - head;
  }
  for (int b = 0; b < 4; b++) s->big[b] = (uint8_t)(e->layers >> (8 * b));
  aisrv_reply_memory(s, req, s->big, (uint32_t)at);
}

void aisrv_cmd_link_input(xai_aisrv *s, aisrv_engine *dst,
                          const xai_frame_header *req) {
  uint32_t se = req->arg & 0xFFu, so = (req->arg >> 8) & 0xFFu;
  if ((req->arg >> 16) || se >= s->engines) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "LINK_INPUT arg 0x%x: source engine %u does not exist "
                      "(0..%u)", (unsigned)req->arg, se, s->engines - 1);
    return;
  }
  aisrv_engine *src = &s->eng[se];
  if (!dst->interp || !src->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "LINK_INPUT: engine %u has no "
                      "model", dst->interp ? se : dst->index);
    return;
  }
  if (req->tensor >= xai_interp_input_count(dst->interp) ||
      so >= xai_interp_output_count(src->interp)) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "LINK_INPUT: engine %u has %u inputs (asked %u), engine "
                      "%u has %u outputs (asked %u)", dst->index,
                      xai_interp_input_count(dst->interp), req->tensor, se,
                      xai_interp_output_count(src->interp), so);
    return;
  }
  xai_rt_tensor *in = xai_interp_input(dst->interp, req->tensor);
  const xai_rt_tensor *out = xai_interp_output(src->interp, so);
  /* The bytes mean the same only with the same type and quantization. */
  bool same_q = in->quant_count == out->quant_count &&
                (!in->quant_count || (in->scale == out->scale &&
                                      in->zero_point == out->zero_point));
  if (in->bytes != out->bytes || in->type != out->type || !same_q) {
    aisrv_reply_error(
        s, req, XAI_PS_BAD_ARGUMENT,
        "LINK_INPUT: engine %u output %u (%zu bytes, %s, scale %g, zero "
        "point %d) cannot feed engine %u input %u (%zu bytes, %s, scale %g, "
        "zero point %d)", se, so, (size_t)out->bytes,
        xai_tensor_type_name(out->type),
        (double)out->scale, (int)out->zero_point, dst->index, req->tensor,
        (size_t)in->bytes, xai_tensor_type_name(in->type), (double)in->scale,
        (int)in->zero_point);
    return;
  }
  memmove(in->data, out->data, in->bytes);
  dst->inputs_partial &= ~(1u << req->tensor);
  /* Modelled: the bytes cross the inter-tile link inside a chip, the
   * xLINK between chips (xcore_machine.h), nothing on the same tile. */
  if (src->tile != dst->tile) {
    uint32_t a = src->tile / XAI_XCORE_TILES, b = dst->tile / XAI_XCORE_TILES;
    uint64_t hops = a > b ? a - b : b - a;
    uint64_t bps = hops ? XAI_XCORE_INTER_CHIP_BYTES_PER_S
                        : XAI_XCORE_INTER_TILE_BYTES_PER_S;
    uint64_t lat = hops ? hops * XAI_XCORE_INTER_CHIP_LATENCY_TICKS
                        : XAI_XCORE_INTER_TILE_LATENCY_TICKS;
    dst->link_in_bytes[src->tile] += in->bytes;
    dst->link_in_ticks[src->tile] += lat + xai_params_ticks(in->bytes, bps);
  }
  aisrv_reply(s, req, XAI_PS_OK, NULL, 0);
}
