/* Making a checked model an engine's model. Everything is proved in the
 * staging area first (flatbuffer, params hash, every op's prepare, the
 * arena size, the memory it all needs) so a model that fails never costs
 * the host the one it had.
 *
 * Layout of an engine's memories (docs/device.md, "Memory accounting"):
 * each of the tile's SRAM and the engine's LPDDR share holds, in this
 * order, the model (if placed there), the params file (if placed there)
 * and the arena (if placed there). */
#include <string.h>

#include "aisrv_internal.h"

typedef struct {
  size_t model_room, params_room, arena;
  uint8_t model, arena_at, params; /* XAI_PLACE_* */
} placement;

static size_t used_in(const placement *p, uint8_t where) {
  return (p->model == where ? p->model_room : 0) +
         (p->params == where ? p->params_room : 0);
}

bool aisrv_set_model_flags_ok(xai_aisrv *s, const xai_frame_header *h) {
  uint32_t flags = XAI_SET_MODEL_MEMORY(h->arg) & XAI_SET_MODEL_FLAGS;
  bool flash = XAI_SET_MODEL_BASE(h->arg) == XAI_MODEL_FROM_FLASH;
  const char *bad = NULL;
  if ((flags & XAI_SET_MODEL_ARENA_SRAM) && (flags & XAI_SET_MODEL_ARENA_LPDDR))
    bad = "asks for the arena in both SRAM and LPDDR";
  else if (flash && (flags & XAI_SET_MODEL_WITH_PARAMS))
    bad = "from flash takes its params from the flash entry, not SET_PARAMS";
  else if (!flash && (flags & XAI_SET_MODEL_FLASH_TO_LPDDR))
    bad = "flag 0x40 (model from flash to LPDDR) needs memory FLASH (2)";
  if (!bad) return true;
  aisrv_reply_error(s, h, XAI_PS_BAD_ARGUMENT, "SET_MODEL arg 0x%x %s",
                    (unsigned)h->arg, bad);
  return false;
}

/* The arena memory SET_MODEL asked for: XAI_PLACE_SRAM/LPDDR, or NONE
 * when the device chooses. */
static uint8_t arena_request(const xai_frame_header *req) {
  if (req->arg & XAI_SET_MODEL_ARENA_SRAM) return XAI_PLACE_SRAM;
  if (req->arg & XAI_SET_MODEL_ARENA_LPDDR) return XAI_PLACE_LPDDR;
  return XAI_PLACE_NONE;
}

static void reply_arena_short(xai_aisrv *s, aisrv_engine *e,
                              const xai_frame_header *req, uint8_t where,
                              size_t used, size_t arena) {
  size_t cap = where == XAI_PLACE_LPDDR ? e->lpddr_bytes : e->sram_bytes;
  size_t left = cap > used ? cap - used : 0;
  aisrv_reply_error(
      s, req, XAI_PS_NO_MEMORY,
      "engine %u: arena of %zu bytes asked for in %s does not fit: %zu bytes "
      "left there after the model, %zu bytes short; previous model kept",
      e->index, arena, xai_proto_place_name(where), left, arena - left);
}

/* Chooses where the model and arena go. Replies NO_MEMORY (with the bytes
 * needed and available) and returns false when they do not fit. */
static bool place(xai_aisrv *s, aisrv_engine *e, const xai_frame_header *req,
                  aisrv_memory where, uint32_t bytes, uint32_t pbytes,
                  placement *p) {
  uint8_t want = arena_request(req);
  if (want == XAI_PLACE_LPDDR && !e->lpddr) {
    aisrv_reply_error(s, req, XAI_PS_NO_MEMORY,
                      "engine %u: the arena is asked for in LPDDR and the "
                      "device has none; previous model kept", e->index);
    return false;
  }
  if (where == AISRV_IN_AUTO) {
    /* From flash (docs/weights.md, placement "auto"): model and arena in
     * SRAM; else the model in SRAM and the arena in LPDDR; else both in
     * LPDDR (the arena returns to SRAM below if it fits there). */
    p->model = XAI_PLACE_SRAM;
    size_t sram = used_in(p, XAI_PLACE_SRAM);
    bool arena_sram = want != XAI_PLACE_LPDDR && sram + p->arena <= e->sram_bytes;
    bool arena_lpddr = want != XAI_PLACE_SRAM && e->lpddr &&
                       used_in(p, XAI_PLACE_LPDDR) + p->arena <= e->lpddr_bytes;
    if (e->lpddr && !(sram <= e->sram_bytes && (arena_sram || arena_lpddr)))
      p->model = XAI_PLACE_LPDDR;
  } else {
    p->model = where == AISRV_IN_LPDDR ? XAI_PLACE_LPDDR : XAI_PLACE_SRAM;
  }
  size_t sram = used_in(p, XAI_PLACE_SRAM);
  size_t lpddr = used_in(p, XAI_PLACE_LPDDR);
  if (p->model == XAI_PLACE_SRAM && want == XAI_PLACE_NONE &&
      where != AISRV_IN_AUTO) {
    /* A model sent to SRAM keeps its arena there too unless asked. */
    if (sram + p->arena > e->sram_bytes) {
      aisrv_reply_error(
          s, req, XAI_PS_NO_MEMORY,
          "engine %u: model %u bytes + params %zu bytes + arena %zu bytes = "
          "%zu bytes needed in SRAM; tile %u has %zu bytes available (%u "
          "minus %u for the firmware), %zu bytes short; previous model kept",
          e->index, bytes, p->params == XAI_PLACE_SRAM ? (size_t)pbytes : 0,
          p->arena, sram + p->arena, e->index, e->sram_bytes,
          s->cfg.sram_bytes_per_tile, s->cfg.firmware_bytes,
          sram + p->arena - e->sram_bytes);
      return false;
    }
    p->arena_at = XAI_PLACE_SRAM;
    return true;
  }
  if (p->model == XAI_PLACE_SRAM && sram > e->sram_bytes) {
    aisrv_reply_error(
        s, req, XAI_PS_NO_MEMORY,
        "engine %u: model %u bytes + params %zu bytes = %zu bytes needed in "
        "SRAM; tile %u has %zu bytes available; previous model kept",
        e->index, bytes, p->params == XAI_PLACE_SRAM ? (size_t)pbytes : 0,
        sram, e->index, e->sram_bytes);
    return false;
  }
  if (p->model == XAI_PLACE_LPDDR && (!e->lpddr || lpddr > e->lpddr_bytes)) {
    aisrv_reply_error(
        s, req, XAI_PS_NO_MEMORY,
        "engine %u: model %u bytes + params %zu bytes = %zu bytes needed in "
        "LPDDR; the engine has %zu bytes of LPDDR; previous model kept",
        e->index, bytes, p->params == XAI_PLACE_LPDDR ? (size_t)pbytes : 0,
        lpddr, e->lpddr_bytes);
    return false;
  }
  bool fits_sram = sram + p->arena <= e->sram_bytes;
  bool fits_lpddr = e->lpddr && lpddr + p->arena <= e->lpddr_bytes;
  if (want == XAI_PLACE_SRAM || want == XAI_PLACE_LPDDR) {
    bool ok = want == XAI_PLACE_SRAM ? fits_sram : fits_lpddr;
    if (!ok) {
      reply_arena_short(s, e, req, want,
                        want == XAI_PLACE_SRAM ? sram : lpddr, p->arena);
      return false;
    }
    p->arena_at = want;
    return true;
  }
  /* The arena stays in SRAM when it fits there (faster), else goes to
   * LPDDR. */
  if (fits_sram) {
    p->arena_at = XAI_PLACE_SRAM;
  } else if (fits_lpddr) {
    p->arena_at = XAI_PLACE_LPDDR;
  } else {
    aisrv_reply_error(
        s, req, XAI_PS_NO_MEMORY,
        "engine %u: model %u bytes in %s and arena %zu bytes in SRAM (%zu "
        "available on tile %u) or LPDDR (%zu left); previous model kept",
        e->index, bytes, xai_proto_place_name(p->model), p->arena,
        e->sram_bytes > sram ? e->sram_bytes - sram : 0, e->index,
        e->lpddr_bytes > lpddr ? e->lpddr_bytes - lpddr : 0);
    return false;
  }
  return true;
}

/* The model's params file is the one we have: refuses the model (reply
 * sent, false) when it is missing or belongs to another model. */
static bool params_match(xai_aisrv *s, aisrv_engine *e,
                         const xai_frame_header *req, const uint8_t *model,
                         uint32_t bytes, const aisrv_params_in *in,
                         const xai_params_source *src) {
  uint64_t hash = 0, file_bytes = 0;
  if (!xai_params_expected(model, bytes, &hash, &file_bytes))
    return true; /* no params file: nothing to match */
  if (in->place == XAI_PLACE_NONE) {
    aisrv_reply_error(
        s, req, XAI_PS_MODEL_ERROR,
        "engine %u: the model's weights are in a params file of %llu bytes "
        "(hash %016llx) that did not come with it; put it in the model's "
        "flash entry or send it with SET_PARAMS; previous model kept",
        e->index, (unsigned long long)file_bytes, (unsigned long long)hash);
    return false;
  }
  if (xai_params_check(src, hash, &s->err) != XAI_OK) {
    if (in->place == XAI_PLACE_FLASH)
      aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                        "engine %u: params in flash entry %u do not belong "
                        "to this model: %s; previous model kept",
                        e->index, in->entry, s->err.message);
    else
      aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                        "engine %u: params sent with SET_PARAMS do not "
                        "belong to this model: %s; previous model kept",
                        e->index, s->err.message);
    return false;
  }
  return true;
}

static uint8_t *region_base(aisrv_engine *e, uint8_t place) {
  return place == XAI_PLACE_LPDDR ? e->lpddr : e->sram;
}

static void reply_placement(xai_aisrv *s, aisrv_engine *e,
                            const xai_frame_header *req) {
  xai_proto_placement pl;
  memset(&pl, 0, sizeof pl);
  pl.model = e->memory == AISRV_IN_LPDDR ? XAI_PLACE_LPDDR : XAI_PLACE_SRAM;
  pl.arena = e->arena_place;
  pl.params = e->params_place;
  pl.tile = (uint8_t)e->index;
  pl.model_bytes = e->model_bytes;
  pl.arena_bytes = (uint32_t)xai_interp_arena_used(e->interp);
  pl.params_bytes = e->params_bytes;
  pl.flash_entry = e->params_entry;
  pl.params_mbps = aisrv_params_mbps(s, e->params_place);
  uint8_t out[XAI_PLACEMENT_BYTES];
  size_t n = 0;
  xai_placement_encode(&pl, out, sizeof out, &n, NULL);
  aisrv_reply(s, req, XAI_PS_OK, out, (uint32_t)n);
}

bool aisrv_engine_commit(xai_aisrv *s, aisrv_engine *e,
                         const xai_frame_header *req, const uint8_t *model,
                         uint32_t bytes, aisrv_memory where,
                         const aisrv_params_in *params) {
  uint8_t *staging = s->cfg.staging.base;
  size_t cap = s->cfg.staging.bytes;
  aisrv_params_in none;
  memset(&none, 0, sizeof none);
  if (!params) params = &none;
  xai_tfl_view view;
  if (xai_tfl_open(&view, model, bytes, &s->err) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model refused, previous model kept: %s",
                      e->index, s->err.message);
    return false;
  }
  /* The trial's params source reads the params where they are now
   * (staging or flash). */
  xai_params_source trial_src;
  xai_flash_image trial_image;
  xai_params_flash_state trial_state;
  const xai_params_source *tsrc = NULL;
  if (params->place != XAI_PLACE_NONE) {
    if (aisrv_params_source(s, params, params->staged, &trial_src,
                            &trial_image, &trial_state) != XAI_OK) {
      aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                        "engine %u: params refused, previous model kept: %s",
                        e->index, s->err.message);
      return false;
    }
    tsrc = &trial_src;
  }
  if (!params_match(s, e, req, model, bytes, params, tsrc)) return false;

  /* Trial run of init in the staging area behind the model: proves every op
   * resolves and prepares, and measures the arena the model needs. */
  size_t model_end = aisrv_align16((size_t)(model - staging) + bytes);
  if (model_end >= cap) {
    aisrv_reply_error(s, req, XAI_PS_NO_MEMORY,
                      "engine %u: model of %u bytes leaves no room to check "
                      "it in the %zu-byte staging area",
                      e->index, bytes, cap);
    return false;
  }
  xai_interp_config tc = aisrv_interp_config(s, e, model, bytes,
                                             staging + model_end,
                                             cap - model_end);
  tc.params = tsrc;
  xai_interp *trial = NULL;
  xai_status st = xai_interp_init(&trial, &tc, &s->err);
  if (st == XAI_ERR_NO_MEMORY) {
    aisrv_reply_error(s, req, XAI_PS_NO_MEMORY,
                      "engine %u: previous model kept: %s", e->index,
                      s->err.message);
    return false;
  }
  if (st != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model refused, previous model kept: %s",
                      e->index, s->err.message);
    return false;
  }
  uint32_t io = xai_interp_input_count(trial) + xai_interp_output_count(trial);
  if (io > XAI_AISRV_MAX_IO) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model has %u inputs and outputs; the server "
                      "supports %u",
                      e->index, io, XAI_AISRV_MAX_IO);
    return false;
  }
  placement p;
  memset(&p, 0, sizeof p);
  p.model_room = aisrv_align16(bytes);
  p.params = params->place;
  /* Flash params stay in flash: they take no RAM. */
  if (p.params == XAI_PLACE_SRAM || p.params == XAI_PLACE_LPDDR)
    p.params_room = aisrv_align16(params->bytes);
  p.arena = aisrv_align16(xai_interp_arena_used(trial));
  if (!place(s, e, req, where, bytes, params->bytes, &p)) return false;

  /* Commit: from here the old model is gone. */
  aisrv_engine_drop(e);
  uint8_t *dst = region_base(e, p.model);
  memcpy(dst, model, bytes);
  const uint8_t *params_at = NULL;
  if (p.params_room) {
    uint8_t *pdst = region_base(e, p.params) +
                    (p.model == p.params ? p.model_room : 0);
    memcpy(pdst, params->staged, params->bytes);
    params_at = pdst;
  }
  uint8_t *arena_base = region_base(e, p.arena_at) + used_in(&p, p.arena_at);
  size_t arena_bytes = (p.arena_at == XAI_PLACE_LPDDR ? e->lpddr_bytes
                                                      : e->sram_bytes) -
                       used_in(&p, p.arena_at);
  xai_interp_config c = aisrv_interp_config(s, e, dst, bytes, arena_base,
                                            arena_bytes);
  if (params->place != XAI_PLACE_NONE) {
    if (aisrv_params_source(s, params, params_at, &e->params, &e->flash_image,
                            &e->flash_state) != XAI_OK) {
      aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                        "engine %u: params failed to attach: %s", e->index,
                        s->err.message);
      return false;
    }
    c.params = &e->params;
  }
  if (xai_interp_init(&e->interp, &c, &s->err) != XAI_OK) {
    /* Same model, same resolver, more room than the trial needed: this is
     * not expected, but the engine must not keep a half-built state. */
    e->interp = NULL;
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model passed its check but failed to load "
                      "in %s: %s",
                      e->index, xai_proto_place_name(p.model), s->err.message);
    return false;
  }
  e->model = dst;
  e->model_bytes = bytes;
  e->inputs_partial = 0;
  e->memory = p.model == XAI_PLACE_LPDDR ? AISRV_IN_LPDDR : AISRV_IN_SRAM;
  e->arena_place = p.arena_at;
  e->params_place = params->place;
  e->params_bytes = params->place != XAI_PLACE_NONE ? params->bytes : 0;
  e->params_entry = params->place == XAI_PLACE_FLASH ? params->entry : 0;
  aisrv_log(s,
            "engine %u: model of %u bytes loaded in %s (tile %u), arena %zu "
            "bytes in %s, %u inputs, %u outputs, %u ops",
            e->index, bytes, xai_proto_place_name(p.model), e->index,
            xai_interp_arena_used(e->interp), xai_proto_place_name(p.arena_at),
            xai_interp_input_count(e->interp),
            xai_interp_output_count(e->interp),
            xai_interp_op_count(e->interp));
  if (params->place == XAI_PLACE_FLASH)
    aisrv_log(s, "engine %u: params of %u bytes stream from flash entry %u "
              "at %u MB/s", e->index, params->bytes, params->entry,
              aisrv_params_mbps(s, params->place));
  else if (params->place != XAI_PLACE_NONE)
    aisrv_log(s, "engine %u: params of %u bytes in %s, streamed at %u MB/s",
              e->index, params->bytes, xai_proto_place_name(params->place),
              aisrv_params_mbps(s, params->place));
  reply_placement(s, e, req);
  return true;
}
