/* The xformer driver: read, check, run the passes, write. */
#include <stdlib.h>
#include <string.h>

#include "xformer_internal.h"
#include "xai/xcore_machine.h"

void xai_xformer_options_init(xai_xformer_options *o) {
  memset(o, 0, sizeof *o);
  o->thread_count = XAI_XFORMER_DEFAULT_THREADS;
  o->clock_mhz = XAI_XCORE_CLOCK_MHZ_DEFAULT;
  o->load_externally_if_larger = XAI_XFORMER_DEFAULT_EXTERNAL_THRESHOLD;
}

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
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  xai_status st = xai_flexbuf_finish(&b, &data, &size, err);
  if (!st) st = xai_model_set_metadata(x->m, "xai", data, size);
  xai_flexbuf_builder_free(&b);
  return st;
}

xai_status xai_xformer_run(const uint8_t *model, size_t size,
                           const xai_xformer_options *o, uint8_t **out,
                           size_t *out_size, uint8_t **params,
                           size_t *params_size, xai_xformer_report *rep,
                           xai_error *err) {
  (void)params;
  (void)params_size;
  (void)rep;
  if (o->thread_count < 1 || o->thread_count > XAI_XCORE_THREADS_PER_TILE)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "--xcore-thread-count %u: must be 1 to 8",
                    o->thread_count);
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, model, size, err);
  if (st) return st;
  xai_model m;
  st = xai_model_from_view(&m, &view, 1, err);
  if (st) return st;
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = &m;
  x.opt = o;
  st = xf_lower_all(&x, err);
  if (!st) st = xf_remove_dead_tensors(&x, err);
  if (!st) st = write_metadata(&x, err);
  if (!st) st = xai_model_write(&m, out, out_size, err);
  free(x.notes);
  xai_model_free(&m);
  return st;
}
