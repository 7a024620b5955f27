/* The server's front: memory layout at init, the byte-stream and frame
 * entry points, and the command dispatch. */
#include <string.h>

#include "aisrv_internal.h"

typedef struct {
  size_t server, decoder, frame, payload, big, tensors, batch, log, ticks,
      names, links, total;
} work_layout;

static size_t spec_max_bytes(void) {
  /* Largest GET_SPEC entry: rank 8 and a 63-byte name (docs/protocol.md
   * 6.2), rounded to 4. */
  return 8 + XAI_AISRV_MAX_IO * ((17 + 4 * XAI_PROTO_MAX_RANK + 63 + 3) & ~3u);
}

static work_layout layout(const xai_aisrv_config *cfg) {
  uint32_t layers = cfg->max_layers ? cfg->max_layers
                                    : XAI_AISRV_DEFAULT_MAX_LAYERS;
  uint32_t log = cfg->log_bytes ? cfg->log_bytes : XAI_AISRV_DEFAULT_LOG_BYTES;
  uint32_t engines = cfg->engines ? cfg->engines : cfg->tiles;
  size_t timings = 4 + (size_t)layers * ((9 + XAI_PROTO_NAME_BYTES - 1 + 3) & ~3u);
  size_t spec = spec_max_bytes();
  /* GET_TILE_TIMINGS: 8 + 24 per tile + 32 per layer. */
  size_t tile_timings = 8 + 24u * XAI_AISRV_MAX_TILES + (size_t)layers * 32u;
  if (tile_timings > timings) timings = tile_timings;
  work_layout w;
  w.server = aisrv_align16(sizeof(xai_aisrv));
  w.decoder = aisrv_align16(XAI_PROTO_MAX_FRAME_BYTES);
  w.frame = aisrv_align16(XAI_PROTO_MAX_FRAME_BYTES);
  w.payload = aisrv_align16(XAI_PROTO_MAX_PAYLOAD);
  w.big = aisrv_align16(timings > spec ? timings : spec);
  w.tensors = aisrv_align16(XAI_AISRV_MAX_IO * sizeof(xai_proto_tensor_info));
  w.batch = aisrv_align16(AISRV_TIMING_BATCH * sizeof(xai_proto_layer_timing));
  w.log = aisrv_align16(log);
  w.ticks = aisrv_align16((size_t)layers * sizeof(uint64_t)) * engines;
  w.names = aisrv_align16((size_t)layers * sizeof(const char *)) * engines;
  w.links = aisrv_align16((size_t)layers * (sizeof(uint64_t) +
                                            sizeof(uint32_t) + 1)) * engines;
  w.total = w.server + w.decoder + w.frame + w.payload + w.big + w.tensors +
            w.batch + w.log + w.ticks + w.names + w.links;
  return w;
}

size_t xai_aisrv_work_bytes(const xai_aisrv_config *cfg) {
  return layout(cfg).total;
}

uint32_t xai_aisrv_sram_usable(const xai_aisrv *s) { return s->sram_usable; }

xai_status xai_aisrv_init(xai_aisrv **out, const xai_aisrv_config *cfg,
                          void *work, size_t work_bytes, xai_error *err) {
  *out = NULL;
  if (!cfg->write)
    return xai_fail(err, XAI_ERR_ARGUMENT, "aisrv: config has no write callback");
  if (cfg->tiles < 1 || cfg->tiles > XAI_AISRV_MAX_TILES)
    return xai_fail(err, XAI_ERR_ARGUMENT, "aisrv: %u tiles; 1..%u supported",
                    cfg->tiles, XAI_AISRV_MAX_TILES);
  if (cfg->engines &&
      (cfg->engines < cfg->tiles || cfg->engines > XAI_AISRV_MAX_ENGINES))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "aisrv: %u engines on %u tiles; %u..%u supported",
                    cfg->engines, cfg->tiles, cfg->tiles,
                    XAI_AISRV_MAX_ENGINES);
  uint32_t firmware = cfg->firmware_bytes ? cfg->firmware_bytes
                                          : XAI_AISRV_FIRMWARE_BYTES;
  if (cfg->sram_bytes_per_tile <= firmware)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "aisrv: %u bytes of SRAM per tile leave nothing after the "
                    "%u-byte firmware share", cfg->sram_bytes_per_tile,
                    firmware);
  uint32_t usable = (cfg->sram_bytes_per_tile - firmware) & ~15u;
  for (uint32_t t = 0; t < cfg->tiles; t++) {
    if (!cfg->sram[t].base || cfg->sram[t].bytes < usable ||
        (uintptr_t)cfg->sram[t].base % 16)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "aisrv: tile %u SRAM region must be 16-byte aligned and "
                      "hold %u bytes", t, usable);
  }
  if (!cfg->staging.base || (uintptr_t)cfg->staging.base % 16 ||
      cfg->staging.bytes < 64)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "aisrv: the staging region must be 16-byte aligned and "
                    "non-empty");
  if (cfg->lpddr.bytes && (!cfg->lpddr.base || (uintptr_t)cfg->lpddr.base % 16))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "aisrv: the LPDDR region must be 16-byte aligned");
  if (cfg->flash.size &&
      (!cfg->flash.read || !cfg->flash.erase || !cfg->flash.program))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "aisrv: flash needs read, erase and program callbacks");
  work_layout w = layout(cfg);
  if (!work || (uintptr_t)work % 16 || work_bytes < w.total)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "aisrv: work region must be 16-byte aligned and hold %zu "
                    "bytes (got %zu)", w.total, work_bytes);

  uint8_t *p = work;
  xai_aisrv *s = (xai_aisrv *)p;
  memset(s, 0, sizeof *s);
  p += w.server;
  s->cfg = *cfg;
  s->cfg.firmware_bytes = firmware;
  if (!s->cfg.max_layers) s->cfg.max_layers = XAI_AISRV_DEFAULT_MAX_LAYERS;
  if (!s->cfg.log_bytes) s->cfg.log_bytes = XAI_AISRV_DEFAULT_LOG_BYTES;
  if (!s->cfg.clock_mhz) s->cfg.clock_mhz = 800;
  if (!s->cfg.device_name) s->cfg.device_name = "xcore.ai";
  s->tiles = cfg->tiles;
  s->engines = cfg->engines ? cfg->engines : cfg->tiles;
  s->sram_usable = usable;
  if (xai_frame_decoder_init(&s->dec, p, w.decoder, err) != XAI_OK)
    return err ? err->status : XAI_ERR_ARGUMENT;
  p += w.decoder;
  s->frame = p;
  p += w.frame;
  s->payload = p;
  p += w.payload;
  s->big = p;
  s->big_bytes = w.big;
  p += w.big;
  s->tensors = (xai_proto_tensor_info *)p;
  p += w.tensors;
  s->layer_batch = (xai_proto_layer_timing *)p;
  p += w.batch;
  s->log = (char *)p;
  s->log_cap = s->cfg.log_bytes;
  p += w.log;
  size_t ticks = w.ticks / s->engines, names = w.names / s->engines;
  size_t links = w.links / s->engines;
  size_t lpddr_share = (cfg->lpddr.bytes / s->engines) & ~(size_t)15;
  for (uint32_t i = 0; i < s->engines; i++) {
    aisrv_engine *e = &s->eng[i];
    e->srv = s;
    e->index = i;
    e->tile = i % s->tiles;
    e->sram = cfg->sram[e->tile].base;
    e->sram_bytes = usable;
    if (lpddr_share) {
      e->lpddr = (uint8_t *)cfg->lpddr.base + i * lpddr_share;
      e->lpddr_bytes = lpddr_share;
    }
    e->ticks = (uint64_t *)p;
    p += ticks;
    e->op_names = (const char **)p;
    p += names;
    e->link_ticks = (uint64_t *)p;
    e->link_bytes = (uint32_t *)(p + (size_t)s->cfg.max_layers * sizeof(uint64_t));
    e->layer_tile = p + (size_t)s->cfg.max_layers * (sizeof(uint64_t) +
                                                     sizeof(uint32_t));
    p += links;
  }
  xai_chunk_reassembler_init(&s->rx, NULL, 0);
  aisrv_log(s, "server up: %u tiles, %u engines, %u bytes of SRAM per tile "
            "for models, %zu bytes LPDDR, %u bytes flash", s->tiles,
            s->engines, usable,
            cfg->lpddr.bytes, cfg->flash.size);
  *out = s;
  return XAI_OK;
}

void xai_aisrv_link_reset(xai_aisrv *s) {
  xai_frame_decoder_reset(&s->dec);
  aisrv_transfer_abort(s, "the link was reset");
}

static void cmd_hello(xai_aisrv *s, const xai_frame_header *req) {
  xai_proto_hello h;
  memset(&h, 0, sizeof h);
  h.protocol_version = XAI_PROTO_VERSION;
  h.max_payload = XAI_PROTO_MAX_PAYLOAD;
  h.tiles = (uint8_t)s->tiles;
  h.engines = (uint8_t)s->engines;
  h.clock_mhz = (uint16_t)s->cfg.clock_mhz;
  h.sram_bytes_per_tile = s->cfg.sram_bytes_per_tile;
  h.lpddr_bytes = (uint32_t)s->cfg.lpddr.bytes;
  h.flash_bytes = s->cfg.flash.size;
  h.timer_hz = 100000000u;
  size_t n = aisrv_strnlen(s->cfg.device_name, sizeof h.device - 1);
  memcpy(h.device, s->cfg.device_name, n);
  size_t written = 0;
  xai_hello_encode(&h, s->payload, XAI_PROTO_MAX_PAYLOAD, &written, NULL);
  aisrv_reply(s, req, XAI_PS_OK, s->payload, (uint32_t)written);
}

static void cmd_get_log(xai_aisrv *s, const xai_frame_header *req) {
  /* Copied out first: sending may itself log (a failed frame encode does
   * not, but a later change might), and the reply must be one snapshot. */
  size_t n = s->log_len;
  if (n > s->big_bytes) n = s->big_bytes;
  memcpy(s->big, s->log + (s->log_len - n), n);
  aisrv_log_clear(s);
  aisrv_reply_memory(s, req, s->big, (uint32_t)n);
}

static void cmd_reset(xai_aisrv *s, const xai_frame_header *req) {
  /* Reply first (docs/protocol.md: sent before the device drops models). */
  aisrv_reply(s, req, XAI_PS_OK, NULL, 0);
  aisrv_transfer_abort(s, "RESET");
  s->pending.valid = false;
  for (uint32_t i = 0; i < s->engines; i++) aisrv_engine_drop(&s->eng[i]);
  aisrv_log_clear(s);
  aisrv_log(s, "server reset: all models dropped");
}

static bool uses_engine(uint8_t cmd) {
  return cmd == XAI_CMD_SET_MODEL || cmd == XAI_CMD_SET_PARAMS ||
         cmd == XAI_CMD_GET_SPEC || cmd == XAI_CMD_GET_TILE_TIMINGS ||
         cmd == XAI_CMD_LINK_INPUT ||
         cmd == XAI_CMD_SET_INPUT || cmd == XAI_CMD_INVOKE ||
         cmd == XAI_CMD_GET_OUTPUT || cmd == XAI_CMD_GET_TIMINGS;
}

static bool is_upload(const xai_frame_header *h) {
  if (h->command == XAI_CMD_SET_MODEL)
    return XAI_SET_MODEL_BASE(h->arg) != XAI_MODEL_FROM_FLASH;
  return h->command == XAI_CMD_SET_INPUT || h->command == XAI_CMD_FLASH_WRITE ||
         h->command == XAI_CMD_SET_PARAMS;
}

void xai_aisrv_handle_frame(xai_aisrv *s, const xai_frame_header *h,
                            const uint8_t *payload) {
  /* Each reply carries its own request's error, never an earlier one. */
  xai_error_clear(&s->err);
  if (h->flags & XAI_FRAME_REPLY) {
    aisrv_reply_error(s, h, XAI_PS_BAD_COMMAND,
                      "frame seq %u is marked as a reply; hosts send requests",
                      h->seq);
    return;
  }
  if (h->command == XAI_CMD_NONE || h->command >= XAI_CMD_COUNT) {
    aisrv_transfer_abort(s, "an unknown command arrived");
    aisrv_reply_error(s, h, XAI_PS_BAD_COMMAND, "unknown command %u",
                      h->command);
    return;
  }
  if (uses_engine(h->command) && h->engine >= s->engines) {
    aisrv_transfer_abort(s, "a frame for a missing engine arrived");
    aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                      "engine %u does not exist; the device has %u engines "
                      "(0..%u)", h->engine, s->engines, s->engines - 1);
    return;
  }
  if (is_upload(h)) {
    aisrv_transfer_frame(s, h, payload);
    return;
  }
  /* Any other command ends an open upload: the host has moved on. */
  aisrv_transfer_abort(s, "another command arrived");
  if ((h->flags & (XAI_FRAME_FIRST | XAI_FRAME_LAST)) !=
      (XAI_FRAME_FIRST | XAI_FRAME_LAST)) {
    aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT,
                      "%s is a one-frame request; FIRST|LAST must both be set",
                      xai_proto_command_name(h->command));
    return;
  }
  aisrv_engine *e = &s->eng[h->engine < s->engines ? h->engine : 0];
  switch ((xai_proto_command)h->command) {
    case XAI_CMD_HELLO: cmd_hello(s, h); return;
    case XAI_CMD_SET_MODEL: aisrv_set_model_from_flash(s, e, h); return;
    case XAI_CMD_GET_SPEC: aisrv_cmd_get_spec(s, e, h); return;
    case XAI_CMD_INVOKE: aisrv_cmd_invoke(s, e, h); return;
    case XAI_CMD_GET_OUTPUT: aisrv_cmd_get_output(s, e, h); return;
    case XAI_CMD_GET_TIMINGS: aisrv_cmd_get_timings(s, e, h); return;
    case XAI_CMD_GET_LOG: cmd_get_log(s, h); return;
    case XAI_CMD_FLASH_READ: aisrv_cmd_flash_read(s, h, payload); return;
    case XAI_CMD_RESET: cmd_reset(s, h); return;
    case XAI_CMD_GET_TILE_TIMINGS: aisrv_cmd_get_tile_timings(s, e, h); return;
    case XAI_CMD_INVOKE_TILES: aisrv_cmd_invoke_tiles(s, h); return;
    case XAI_CMD_LINK_INPUT: aisrv_cmd_link_input(s, e, h); return;
    default:
      aisrv_reply_error(s, h, XAI_PS_BAD_COMMAND, "unhandled command %u",
                        h->command);
      return;
  }
}

void xai_aisrv_handle_event(xai_aisrv *s, xai_decode_event ev,
                            const xai_decoded_frame *f) {
  xai_error_clear(&s->err);
  switch (ev) {
    case XAI_DECODE_FRAME:
      xai_aisrv_handle_frame(s, &f->header, f->payload);
      return;
    case XAI_DECODE_HEADER_CRC: {
      xai_frame_header h;
      xai_frame_header_init(&h, XAI_CMD_NONE, 0xFFFFFFFFu);
      aisrv_reply_error(s, &h, XAI_PS_CRC_ERROR,
                        "a frame header failed its CRC; resynchronising");
      return;
    }
    case XAI_DECODE_BAD_VERSION:
    case XAI_DECODE_TOO_LARGE:
    case XAI_DECODE_CRC:
      /* A CRC failure does not end an open upload: the host may resend the
       * same chunk (same seq), which the reassembler then accepts. */
      aisrv_reply_error(s, &f->header, xai_decode_event_status(ev),
                        "frame seq %u (%s): %s", f->header.seq,
                        xai_proto_command_name(f->header.command),
                        xai_decode_event_name(ev));
      return;
    default:
      return;
  }
}

void xai_aisrv_feed(xai_aisrv *s, const uint8_t *data, size_t n) {
  while (n) {
    size_t used = 0;
    xai_decoded_frame f;
    xai_decode_event ev = xai_frame_decoder_feed(&s->dec, data, n, &used, &f);
    data += used;
    n -= used;
    if (ev != XAI_DECODE_NEED_MORE) xai_aisrv_handle_event(s, ev, &f);
    else if (!used) break;
  }
}
