/* Engines: a model, its interpreter and its last per-layer timings. A new
 * model is checked in the staging area (flatbuffer, ops, arena) before the
 * engine's current model is touched, so a model that fails never costs the
 * host the one it had. */
#include <string.h>

#include "aisrv_internal.h"

void aisrv_engine_drop(aisrv_engine *e) {
  /* The interpreter lives in its arena: forgetting it is freeing it. */
  e->interp = NULL;
  e->model = NULL;
  e->model_bytes = 0;
  e->layers = 0;
  e->layers_seen = 0;
  e->weight_bytes = 0;
}

static void on_op(void *user, const xai_op_timing *t) {
  aisrv_engine *e = user;
  xai_aisrv *s = e->srv;
  uint64_t ticks = t->cost ? t->cost->ticks : 0;
  uint64_t wbytes = t->cost ? t->cost->weight_bytes : 0;
  /* SYSTEM.md section 4: weights streamed from LPDDR cost bytes/bandwidth
   * on top of the compute; from SRAM they are free. 100 MHz ticks. */
  if (e->memory == AISRV_IN_LPDDR && wbytes) {
    uint64_t mbps = s->cfg.lpddr_mbps ? s->cfg.lpddr_mbps : 800u;
    ticks += (wbytes * 100u + mbps - 1) / mbps;
  }
  e->weight_bytes += wbytes;
  if (e->layers < s->cfg.max_layers) {
    e->ticks[e->layers] = ticks;
    e->op_names[e->layers] = t->op_name ? t->op_name : "?";
    e->layers++;
  }
  e->layers_seen++;
}

static xai_interp_config interp_config(xai_aisrv *s, aisrv_engine *e,
                                       const uint8_t *model, size_t bytes,
                                       void *arena, size_t arena_bytes) {
  xai_interp_config c;
  memset(&c, 0, sizeof c);
  c.model = model;
  c.model_size = bytes;
  c.arena = arena;
  c.arena_size = arena_bytes;
  c.resolver = s->cfg.resolver;
  c.clock_mhz = s->cfg.clock_mhz;
  c.planner = XAI_PLANNER_AUTO;
  c.hook = on_op;
  c.hook_user = e;
  return c;
}

static const char *memory_name(uint8_t m) {
  return m == AISRV_IN_LPDDR ? "LPDDR" : "SRAM";
}

void aisrv_engine_commit(xai_aisrv *s, aisrv_engine *e,
                         const xai_frame_header *req, uint32_t bytes,
                         aisrv_memory where) {
  uint8_t *staging = s->cfg.staging.base;
  size_t cap = s->cfg.staging.bytes;
  xai_tfl_view view;
  if (xai_tfl_open(&view, staging, bytes, &s->err) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model refused, previous model kept: %s",
                      e->index, s->err.message);
    return;
  }
  /* Trial run of init in the staging area behind the model: proves every op
   * resolves and prepares, and measures the arena the model needs. */
  size_t model_room = aisrv_align16(bytes);
  if (model_room >= cap) {
    aisrv_reply_error(s, req, XAI_PS_NO_MEMORY,
                      "engine %u: model of %u bytes leaves no room to check "
                      "it in the %zu-byte staging area",
                      e->index, bytes, cap);
    return;
  }
  xai_interp_config tc = interp_config(s, e, staging, bytes,
                                       staging + model_room, cap - model_room);
  xai_interp *trial = NULL;
  xai_status st = xai_interp_init(&trial, &tc, &s->err);
  if (st == XAI_ERR_NO_MEMORY) {
    aisrv_reply_error(s, req, XAI_PS_NO_MEMORY,
                      "engine %u: previous model kept: %s", e->index,
                      s->err.message);
    return;
  }
  if (st != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model refused, previous model kept: %s",
                      e->index, s->err.message);
    return;
  }
  uint32_t io = xai_interp_input_count(trial) + xai_interp_output_count(trial);
  if (io > XAI_AISRV_MAX_IO) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model has %u inputs and outputs; the server "
                      "supports %u",
                      e->index, io, XAI_AISRV_MAX_IO);
    return;
  }
  size_t arena = aisrv_align16(xai_interp_arena_used(trial));
  size_t sram_need = model_room + arena;
  if (where == AISRV_IN_AUTO)
    where = sram_need <= e->sram_bytes || !e->lpddr ? AISRV_IN_SRAM
                                                    : AISRV_IN_LPDDR;
  if (where == AISRV_IN_SRAM && sram_need > e->sram_bytes) {
    aisrv_reply_error(
        s, req, XAI_PS_NO_MEMORY,
        "engine %u: model %u bytes + arena %zu bytes = %zu bytes needed in "
        "SRAM; tile %u has %zu bytes available (%u minus %u for the "
        "firmware); previous model kept",
        e->index, bytes, arena, sram_need, e->index, e->sram_bytes,
        s->cfg.sram_bytes_per_tile, s->cfg.firmware_bytes);
    return;
  }
  if (where == AISRV_IN_LPDDR &&
      (bytes > e->lpddr_bytes || arena > e->sram_bytes)) {
    aisrv_reply_error(
        s, req, XAI_PS_NO_MEMORY,
        "engine %u: model %u bytes in LPDDR (%zu available) and arena %zu "
        "bytes in SRAM (%zu available on tile %u); previous model kept",
        e->index, bytes, e->lpddr_bytes, arena, e->sram_bytes, e->index);
    return;
  }

  /* Commit: from here the old model is gone. */
  aisrv_engine_drop(e);
  uint8_t *dst = where == AISRV_IN_SRAM ? e->sram : e->lpddr;
  memcpy(dst, staging, bytes);
  uint8_t *arena_base = where == AISRV_IN_SRAM ? e->sram + model_room : e->sram;
  size_t arena_bytes = e->sram_bytes - (size_t)(arena_base - e->sram);
  xai_interp_config c = interp_config(s, e, dst, bytes, arena_base, arena_bytes);
  if (xai_interp_init(&e->interp, &c, &s->err) != XAI_OK) {
    /* Same model, same resolver, more room than the trial needed: this is
     * not expected, but the engine must not keep a half-built state. */
    e->interp = NULL;
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR,
                      "engine %u: model passed its check but failed to load "
                      "in %s: %s",
                      e->index, memory_name(where), s->err.message);
    return;
  }
  e->model = dst;
  e->model_bytes = bytes;
  e->memory = (uint8_t)where;
  aisrv_log(s,
            "engine %u: model of %u bytes loaded in %s (tile %u), arena %zu "
            "bytes, %u inputs, %u outputs, %u ops",
            e->index, bytes, memory_name(where), e->index,
            xai_interp_arena_used(e->interp), xai_interp_input_count(e->interp),
            xai_interp_output_count(e->interp),
            xai_interp_op_count(e->interp));
  aisrv_reply(s, req, XAI_PS_OK, NULL, 0);
}

static void fill_info(xai_proto_tensor_info *ti, const xai_rt_tensor *t,
                      int32_t index) {
  memset(ti, 0, sizeof *ti);
  if (t->name) {
    size_t n = aisrv_strnlen(t->name, XAI_PROTO_NAME_BYTES - 1);
    memcpy(ti->name, t->name, n);
  }
  ti->dtype = (uint8_t)t->type;
  ti->rank = (uint8_t)(t->rank > XAI_PROTO_MAX_RANK ? XAI_PROTO_MAX_RANK
                                                     : t->rank);
  ti->index = (uint16_t)(index < 0 ? 0 : index);
  for (uint32_t i = 0; i < ti->rank; i++) ti->shape[i] = t->dims[i];
  ti->scale = t->quant_count ? t->scale : 0.0f;
  ti->zero_point = t->quant_count ? t->zero_point : 0;
  ti->bytes = (uint32_t)t->bytes;
}

void aisrv_cmd_get_spec(xai_aisrv *s, aisrv_engine *e,
                        const xai_frame_header *req) {
  if (!e->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "engine %u has no model; send "
                      "one with SET_MODEL", e->index);
    return;
  }
  const int32_t *ins, *outs;
  uint32_t ni, no;
  if (xai_interp_subgraph_io(e->interp, 0, &ins, &ni, &outs, &no) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR, "engine %u: no subgraph 0",
                      e->index);
    return;
  }
  xai_proto_spec spec;
  spec.arena_bytes_used = (uint32_t)xai_interp_arena_used(e->interp);
  spec.input_count = (uint16_t)ni;
  spec.output_count = (uint16_t)no;
  spec.tensors = s->tensors;
  for (uint32_t i = 0; i < ni; i++)
    fill_info(&s->tensors[i], xai_interp_input(e->interp, i), ins[i]);
  for (uint32_t i = 0; i < no; i++)
    fill_info(&s->tensors[ni + i], xai_interp_output(e->interp, i), outs[i]);
  size_t written = 0;
  if (xai_spec_encode(&spec, s->big, s->big_bytes, &written, &s->err) !=
      XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR, "engine %u: %s", e->index,
                      s->err.message);
    return;
  }
  aisrv_reply_memory(s, req, s->big, (uint32_t)written);
}

void aisrv_cmd_invoke(xai_aisrv *s, aisrv_engine *e,
                      const xai_frame_header *req) {
  if (!e->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "engine %u has no model; send "
                      "one with SET_MODEL before INVOKE", e->index);
    return;
  }
  e->layers = 0;
  e->layers_seen = 0;
  e->weight_bytes = 0;
  if (xai_interp_invoke(e->interp, &s->err) != XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_INFER_ERROR, "engine %u: %s", e->index,
                      s->err.message);
    return;
  }
  if (e->layers_seen > e->layers)
    aisrv_log(s, "engine %u: %u layers ran, timings kept for the first %u",
              e->index, e->layers_seen, e->layers);
  aisrv_reply(s, req, XAI_PS_OK, NULL, 0);
}

void aisrv_cmd_get_output(xai_aisrv *s, aisrv_engine *e,
                          const xai_frame_header *req) {
  if (!e->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "engine %u has no model",
                      e->index);
    return;
  }
  uint32_t n = xai_interp_output_count(e->interp);
  if (req->tensor >= n) {
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "engine %u: output %u does not exist; the model has %u "
                      "outputs",
                      e->index, req->tensor, n);
    return;
  }
  const xai_rt_tensor *t = xai_interp_output(e->interp, req->tensor);
  aisrv_reply_memory(s, req, t->data, (uint32_t)t->bytes);
}

void aisrv_cmd_get_timings(xai_aisrv *s, aisrv_engine *e,
                           const xai_frame_header *req) {
  if (!e->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "engine %u has no model",
                      e->index);
    return;
  }
  /* Encoded a batch at a time (the layout is a count followed by the
   * entries back to back), so only a small array of name buffers is
   * needed however many layers there are. */
  size_t at = 4;
  for (uint32_t i = 0; i < e->layers; i += AISRV_TIMING_BATCH) {
    uint32_t n = e->layers - i < AISRV_TIMING_BATCH ? e->layers - i
                                                    : AISRV_TIMING_BATCH;
    for (uint32_t k = 0; k < n; k++) {
      xai_proto_layer_timing *lt = &s->layer_batch[k];
      memset(lt, 0, sizeof *lt);
      lt->ticks = e->ticks[i + k];
      size_t len = aisrv_strnlen(e->op_names[i + k], XAI_PROTO_NAME_BYTES - 1);
      memcpy(lt->op, e->op_names[i + k], len);
    }
    size_t written = 0;
    if (xai_timings_encode(s->layer_batch, n, s->payload, XAI_PROTO_MAX_PAYLOAD,
                           &written, &s->err) != XAI_OK ||
        at + written - 4 > s->big_bytes) {
      aisrv_reply_error(s, req, XAI_PS_INFER_ERROR,
                        "engine %u: timings do not fit the reply buffer",
                        e->index);
      return;
    }
    memcpy(s->big + at, s->payload + 4, written - 4);
    at += written - 4;
  }
  uint32_t count = e->layers;
  for (int b = 0; b < 4; b++) s->big[b] = (uint8_t)(count >> (8 * b));
  aisrv_reply_memory(s, req, s->big, (uint32_t)at);
}
