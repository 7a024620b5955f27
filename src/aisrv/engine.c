/* Engines: a model, its interpreter and its last per-layer timings, and
 * the commands that use a loaded model. Loading one is commit.c. */
#include <string.h>

#include "aisrv_internal.h"

void aisrv_engine_drop(aisrv_engine *e) {
  /* The interpreter lives in its arena: forgetting it is freeing it. */
  e->interp = NULL;
  e->model = NULL;
  e->model_bytes = 0;
  e->layers = 0;
  e->layers_seen = 0;
  e->pf_pending = 0;
  e->weight_bytes = 0;
  e->inputs_partial = 0;
  e->arena_place = XAI_PLACE_NONE;
  e->params_place = XAI_PLACE_NONE;
  e->params_bytes = 0;
  e->params_entry = 0;
  e->sram_used = 0;
  e->sram_off = 0;
  memset(&e->params, 0, sizeof e->params);
  aisrv_tiles_release(e);
}

/* Constant bytes op `index` reads from the model itself (not from the
 * arena, where XAI_load_weights put the split-off weights). */
static uint64_t model_const_bytes(aisrv_engine *e, uint32_t index) {
  xai_op_ctx *ctx = e->interp ? xai_interp_op(e->interp, index) : NULL;
  uint64_t n = 0;
  for (uint32_t i = 0; ctx && i < ctx->input_count; i++) {
    const xai_rt_tensor *t = xai_op_input(ctx, i);
    if (t && t->mem == XAI_MEM_CONST) n += t->bytes;
  }
  return n;
}

static void on_op(void *user, const xai_op_timing *t) {
  aisrv_engine *e = user;
  xai_aisrv *s = e->srv;
  uint64_t ticks = t->cost ? t->cost->ticks : 0;
  uint64_t wbytes = t->cost ? t->cost->weight_bytes : 0;
  /* XAI_load_weights already costs its streaming at its source's bandwidth
   * (flash, LPDDR or SRAM): nothing to add. */
  bool is_load = t->op_name && strcmp(t->op_name, "XAI_load_weights") == 0;
  /* With a params file most weights reach an op through the arena; only
   * the constants left in the model are read from where the model is. */
  if (!is_load && e->params_place != XAI_PLACE_NONE && wbytes &&
      t->subgraph == 0)
    wbytes = model_const_bytes(e, t->index);
  /* SYSTEM.md section 4: weights streamed from LPDDR cost bytes/bandwidth
   * on top of the compute; from SRAM they are free. 100 MHz ticks. */
  if (!is_load && e->memory == AISRV_IN_LPDDR && wbytes) {
    uint64_t mbps = s->cfg.lpddr_mbps ? s->cfg.lpddr_mbps : 800u;
    ticks += (wbytes * 100u + mbps - 1) / mbps;
  }
  e->weight_bytes += wbytes;
  /* A prefetched load (the xformer hoisted it one op early, "pf") streams
   * while the next op computes: that op's time hides it, shared by loads in
   * a row (xai_params_overlap_ticks, docs/weights.md "Prefetch"). */
  bool prefetched = t->cost && t->cost->overlap_ticks > 0;
  if (!prefetched && e->pf_pending) {
    uint64_t cover = ticks;
    for (uint32_t k = e->pf_first; k < e->layers && cover; k++) {
      uint64_t hide = e->ticks[k] < cover ? e->ticks[k] : cover;
      e->ticks[k] -= hide;
      cover -= hide;
    }
    e->pf_pending = 0;
  }
  if (prefetched && !e->pf_pending) {
    e->pf_pending = 1;
    e->pf_first = e->layers;
  }
  if (e->layers < s->cfg.max_layers) {
    /* A channel-split half ran on the other tile of the chip (the
     * interpreter added its link time and overlap; not when that tile was
     * busy and it ran here). */
    uint32_t par_link = 0;
    bool half_op = xai_interp_tile_par(e->interp, t->subgraph, t->index,
                                       &par_link);
    bool par = half_op && t->cost && t->cost->overlap_ticks > 0;
    e->halves += half_op;
    if (!par) par_link = 0;
    uint32_t par_bytes =
        par ? xai_interp_tile_par_bytes(e->interp, t->subgraph, t->index) : 0;
    uint32_t half = aisrv_half_tile(s, e->tile);
    e->layer_tile[e->layers] = (uint8_t)(par ? half : e->tile);
    e->link_ticks[e->layers] = e->link_cur_ticks + par_link;
    e->link_bytes[e->layers] = e->link_cur_bytes + par_bytes;
    if (par) {
      e->served_ticks[half] += par_link;
      e->served_bytes[half] += par_bytes;
    }
    e->ticks[e->layers] = ticks;
    e->op_names[e->layers] = t->op_name ? t->op_name : "?";
    e->layers++;
  }
  e->link_cur_ticks = 0;
  e->link_cur_bytes = 0;
  e->layers_seen++;
}

xai_interp_config aisrv_interp_config(xai_aisrv *s, aisrv_engine *e,
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

static void fill_info(xai_proto_tensor_info *ti, const xai_interp *ip,
                      const xai_rt_tensor *t, int32_t index) {
  memset(ti, 0, sizeof *ti);
  const char *name = xai_interp_tensor_name(ip, t);
  size_t n = aisrv_strnlen(name, XAI_PROTO_NAME_BYTES - 1);
  memcpy(ti->name, name, n);
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
    fill_info(&s->tensors[i], e->interp, xai_interp_input(e->interp, i),
              ins[i]);
  for (uint32_t i = 0; i < no; i++)
    fill_info(&s->tensors[ni + i], e->interp,
              xai_interp_output(e->interp, i), outs[i]);
  size_t written = 0;
  if (xai_spec_encode(&spec, s->big, s->big_bytes, &written, &s->err) !=
      XAI_OK) {
    aisrv_reply_error(s, req, XAI_PS_MODEL_ERROR, "engine %u: %s", e->index,
                      s->err.message);
    return;
  }
  aisrv_reply_memory(s, req, s->big, (uint32_t)written);
}

bool aisrv_invoke_ready(xai_aisrv *s, aisrv_engine *e,
                        const xai_frame_header *req) {
  if (!e->interp) {
    aisrv_reply_error(s, req, XAI_PS_NO_MODEL, "engine %u has no model; send "
                      "one with SET_MODEL before INVOKE", e->index);
    return false;
  }
  if (e->inputs_partial) {
    uint32_t i = 0;
    while (!(e->inputs_partial & (1u << i))) i++;
    aisrv_reply_error(s, req, XAI_PS_BAD_ARGUMENT,
                      "engine %u: input %u '%s' is incomplete: its last "
                      "SET_INPUT was interrupted; send the whole input again "
                      "before INVOKE", e->index, i,
                      xai_interp_tensor_name(e->interp,
                                             xai_interp_input(e->interp, i)));
    return false;
  }
  return true;
}

void aisrv_cmd_invoke(xai_aisrv *s, aisrv_engine *e,
                      const xai_frame_header *req) {
  /* On the engine's own tile (its thread when the platform has them). */
  aisrv_invoke_and_reply(s, req, 1u << e->index);
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
