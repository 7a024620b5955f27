/* The xformer driver: read, check, run the passes in order, write, report.
 * Pass order (SYSTEM.md section 5): check → canonicalise → slice large
 * weights (with a params file) → lower (float ops stay builtins) →
 * drop dead tensors → plan memory → place → split params → `xai` metadata
 * → prefetch loads (params_prefetch.c) → shrink (model_shrink.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/kernels_xcore/requant.h"
#include "xai/xcore_machine.h"
#include "xformer_internal.h"

/* The `xai` metadata: format version, threads and target, as a
 * flexbuffer map so generic tools can show it. */
static xai_status write_metadata(xf_ctx *x, xai_error *err) {
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_uint(&b, "version", XAI_XFORMER_FORMAT_VERSION);
  xai_flexbuf_add_uint(&b, "threads", x->opt->thread_count);
  xai_flexbuf_add_uint(&b, "clock_mhz", x->opt->clock_mhz);
  xai_flexbuf_add_string(&b, "target", "xcore.ai");
  /* Read by the runtime (xai_model_semantics), so the device's builtins
   * compute as the xformer's kernels were built to. */
  xai_flexbuf_add_string(&b, "semantics",
                         x->opt->litert_semantics ? "litert" : "tflm");
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  xai_status st = xai_flexbuf_finish(&b, &data, &size, err);
  if (!st) st = xai_model_set_metadata(x->m, "xai", data, size);
  if (st && err && !err->message[0])
    xai_fail(err, st, "cannot write the xai metadata");
  xai_flexbuf_builder_free(&b);
  return st;
}

/* Notes carry op indices that later passes may renumber: right after each
 * pass, tie them to the op's first output tensor name instead. */
typedef struct {
  xf_layer_note *items;
  uint32_t count, resolved_from; /* x->notes[resolved_from..] are new */
} note_list;

static xai_status resolve_notes(xf_ctx *x, note_list *nl, xai_error *err) {
  uint32_t add = x->note_count - nl->resolved_from;
  if (add == 0) return XAI_OK;
  xf_layer_note *n = realloc(nl->items, (nl->count + add) * sizeof *n);
  if (!n) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  nl->items = n;
  for (uint32_t i = nl->resolved_from; i < x->note_count; i++) {
    xf_layer_note *d = &nl->items[nl->count++];
    const xai_operator *op = xf_op(x, x->notes[i].op);
    const xai_tensor *t =
        op && op->output_count ? xf_tensor(x, op->outputs[0]) : NULL;
    snprintf(d->tensor, sizeof d->tensor, "%s", t && t->name ? t->name : "");
    snprintf(d->text, sizeof d->text, "%s", x->notes[i].text);
  }
  nl->resolved_from = x->note_count;
  return XAI_OK;
}

static void fill_pass_stats(const xf_ctx *x, xai_xformer_report *rep) {
  rep->pads_folded = x->canon_pads_folded;
  rep->activations_fused = x->canon_acts_fused;
  rep->ops_dropped = x->canon_ops_dropped;
  rep->params_tensors_moved = x->params_tensors_moved;
  rep->params_load_ops = x->params_load_ops;
  if (x->placed)
    snprintf(rep->placement, sizeof rep->placement,
             "model=%s arena=%s params=%s", xf_mem_name(x->placement.model),
             xf_mem_name(x->placement.arena),
             xf_mem_name(x->placement.params));
}

static xai_status check_options(const xai_xformer_options *o, xai_error *err) {
  if (o->thread_count < 1 || o->thread_count > XAI_XCORE_THREADS_PER_TILE)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "--xcore-thread-count %u: must be from 1 to %u",
                    o->thread_count, XAI_XCORE_THREADS_PER_TILE);
  if (o->clock_mhz < 100 || o->clock_mhz > 1000)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "--xcore-clock-mhz %u: must be from 100 to 1000",
                    (unsigned)o->clock_mhz);
  return XAI_OK;
}

static xai_status run_passes(xf_ctx *x, note_list *nl, xai_error *err) {
  xai_status st = xf_check_model(x, err);
  if (!st) st = xf_canonicalise(x, err);
  if (!st) st = xf_slice_weights(x, err);
  if (!st) st = xf_tile_split(x, err);
  if (!st) st = resolve_notes(x, nl, err);
  if (!st) st = xf_lower_all(x, err);
  if (!st) st = resolve_notes(x, nl, err);
  if (!st) st = xf_remove_dead_tensors(x, err);
  if (!st) st = xf_plan_memory(x, err);
  if (!st) st = resolve_notes(x, nl, err);
  if (!st) st = xf_place(x, err);
  return st;
}

/* The runtime's own load checks (quantization ranges, requantization
 * shifts, shapes) on the input, so a model the device would refuse is
 * refused here instead of being compiled into one that fails later. */
static xai_status check_loads(const uint8_t *model, size_t size,
                              const xai_xformer_options *o, xai_error *err) {
  xai_interp_config cfg = xf_interp_config(model, size, o->clock_mhz);
  size_t need = 0;
  void *arena = NULL;
  xai_interp *ip = NULL;
  xai_status st = xf_arena_needed(o, &cfg, "model check", &need, err);
  if (st == XAI_ERR_NO_MEMORY) return st; /* already names both sizes */
  if (!st)
    st = xf_interp_on_heap(&cfg, need, &arena, &ip, "model check", err);
  free(arena);
  if (st)
    return xai_fail(err, st, "the model fails the runtime's checks, so it "
                    "would not run on the device: %.400s", xai_error_text(err));
  return XAI_OK;
}

xai_status xai_xformer_run(const uint8_t *model, size_t size,
                           const xai_xformer_options *o, uint8_t **out,
                           size_t *out_size, uint8_t **params,
                           size_t *params_size, xai_xformer_report *rep,
                           xai_error *err) {
  xai_error_clear(err);
  *out = NULL;
  *out_size = 0;
  if (params) *params = NULL;
  if (params_size) *params_size = 0;
  if (rep) memset(rep, 0, sizeof *rep);
  xai_status st = check_options(o, err);
  if (st) return st;
  xai_tfl_view view;
  st = xai_tfl_open(&view, model, size, err);
  if (st) return st;
  st = check_loads(model, size, o, err);
  if (st) return st;
  xai_model m;
  st = xai_model_from_view(&m, &view, 1, err);
  if (st) return st;
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = &m;
  x.opt = o;
  note_list nl = {0};
  uint8_t *p = NULL;
  size_t p_size = 0;

  /* Every pack of this run (lowering, slices) sees the same threshold. */
  const size_t compact_was =
      xai_rq_set_compact_max_pixels(o->compact_requant_pixels);
  st = run_passes(&x, &nl, err);
  if (!st) st = xf_tile_split_finish(&x, err);
  if (!st) st = xf_split_params(&x, &p, &p_size, err);
  if (!st) st = write_metadata(&x, err);
  /* last edit: it measures the model bytes exactly as written */
  if (!st) st = xf_prefetch_params(&x, p_size, err);
  if (!st) st = xf_partition_assign(&x, p_size, err);
  /* With a report: written once as is (the report's notes find layers by
   * tensor name), then again shrunk. */
  if (!st && rep) st = xai_model_write(&m, out, out_size, err);
  if (!st && rep) {
    /* Weights stream from where the placement put them. */
    xai_params_kind kind = XAI_PARAMS_RAM;
    if (x.placement.params == XF_MEM_FLASH) kind = XAI_PARAMS_FLASH;
    if (x.placement.params == XF_MEM_LPDDR) kind = XAI_PARAMS_LPDDR;
    xai_params_source src = xai_params_memory(p, p_size, kind);
    xai_params_tiles_state parts = x.tiles.parts;
    if (x.placement.params == XF_MEM_TILES) {
      for (uint32_t i = 0; i < parts.count; i++)
        parts.part[i].base = p + parts.part[i].offset;
      st = xai_params_tiles(&src, &parts, err);
    }
    if (!st) st = xf_report_build(*out, *out_size, p_size ? &src : NULL, o, nl.items,
                         nl.count, rep, err);
    if (st && err) {
      char msg[XAI_ERROR_MESSAGE_BYTES];
      snprintf(msg, sizeof msg, "%s", err->message);
      xai_error_clear(err);
      xai_fail(err, st, "the optimised model does not load in the runtime: "
               "%.440s", msg);
    }
    fill_pass_stats(&x, rep);
  }
  if (!st) st = xf_shrink_model(&x, err);
  if (!st) {
    free(*out);
    *out = NULL;
    st = xai_model_write(&m, out, out_size, err);
  }
  if (!st && rep) {
    rep->model_bytes = *out_size;
    rep->params_bytes = p_size;
    rep->arena_budget = o->arena_budget;
    xf_partition_report(&x, rep);
    xf_pipeline_report(&x, rep);
  }
  if (!st && params) {
    *params = p;
    *params_size = p_size;
    p = NULL;
  }
  if (st) {
    free(*out);
    *out = NULL;
    *out_size = 0;
    if (rep) xai_xformer_report_free(rep);
  }
  xai_rq_set_compact_max_pixels(compact_was);
  free(p);
  free(nl.items);
  free(x.notes);
  xf_tile_split_free(&x);
  xai_model_free(&m);
  return st;
}

xai_status xai_xformer_write_outputs(const xai_xformer_options *o,
                                     const uint8_t *out, size_t out_size,
                                     const uint8_t *params, size_t params_size,
                                     xai_error *err) {
  /* params first: a model is only ever next to the params it was made with */
  if (o->params_file && params) {
    xai_status st = xai_file_write_atomic(o->params_file, params, params_size,
                                          err);
    if (st) return st;
  }
  if (o->output) {
    xai_status st = xai_file_write_atomic(o->output, out, out_size, err);
    if (st) {
      if (o->params_file && params) remove(o->params_file);
      return st;
    }
  }
  return XAI_OK;
}

xai_status xai_xformer_file(const char *in_path, const char *out_path,
                            const xai_xformer_options *o,
                            xai_xformer_report *rep, xai_error *err) {
  xai_error_clear(err);
  if (rep) memset(rep, 0, sizeof *rep);
  xai_xformer_options opt = *o;
  if (out_path) opt.output = out_path;
  if (!opt.output)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "no output file: give -o OUT.tflite");
  xai_status st = xai_xf_emit_c_check(&opt, err);
  if (st) return st;
  uint8_t *in = NULL;
  size_t in_size = 0;
  st = xai_file_read(in_path, &in, &in_size, err);
  if (st) return st;
  xai_xformer_report local;
  xai_xformer_report *r =
      rep ? rep
          : (opt.report_json || opt.report_html || opt.emit_c_dir ? &local
                                                                  : NULL);
  uint8_t *out = NULL, *params = NULL;
  size_t out_size = 0, params_size = 0;
  st = xai_xformer_run(in, in_size, &opt, &out, &out_size, &params,
                       &params_size, r, err);
  if (st) {
    /* name the file: the passes only know offsets and op indices */
    char msg[XAI_ERROR_MESSAGE_BYTES];
    snprintf(msg, sizeof msg, "%s", err ? err->message : "");
    xai_error_clear(err);
    xai_fail(err, st, "%.200s: %s", in_path, msg);
  }
  if (!st && opt.report_json)
    st = xai_xformer_report_write_json(r, opt.report_json, err);
  if (!st && opt.report_html) {
    const char *base = strrchr(in_path, '/');
    st = xai_xformer_report_write_html(r, base ? base + 1 : in_path,
                                       opt.report_html, err);
  }
  /* C source first: a failure there leaves no optimised model behind */
  if (!st && opt.emit_c_dir)
    st = xai_xf_emit_c(&opt, in_path, out, out_size, params, params_size, r,
                       err);
  if (!st)
    st = xai_xformer_write_outputs(&opt, out, out_size, params, params_size,
                                   err);
  if (r == &local) xai_xformer_report_free(&local);
  if (st && rep) xai_xformer_report_free(rep);
  free(out);
  free(params);
  xai_file_free(in);
  return st;
}
