/* The placement pass: measures the model (with its weights), the bytes a
 * split would move and the arena the runtime needs, picks the placement
 * (placement.c) and records it in the `xai_placement` metadata. Runs after
 * memory planning and before the params split (docs/weights.md). */
#include <stdlib.h>
#include <string.h>

#include "xai/runtime.h"
#include "xformer_internal.h"

static xai_status measure(xf_ctx *x, xf_sizes *s, xai_error *err) {
  memset(s, 0, sizeof *s);
  s->params_file = x->opt->params_file != NULL;
  s->movable_bytes = xf_params_movable_bytes(x);
  uint8_t *data;
  size_t size;
  xai_status st = xai_model_write(x->m, &data, &size, err);
  if (st) return st;
  s->model_bytes = size;
  xai_interp_config c = xf_interp_config(data, size, x->opt->clock_mhz);
  st = xf_arena_needed(x->opt, &c, "placement", &s->arena_bytes, err);
  free(data);
  return st;
}

static xai_status write_metadata(xf_ctx *x, xai_error *err) {
  const xf_placement *p = &x->placement;
  xai_flexbuf_builder b;
  xai_flexbuf_builder_init(&b, NULL, 0);
  xai_flexbuf_map_begin(&b, NULL);
  xai_flexbuf_add_string(&b, "arena", xf_mem_name(p->arena));
  xai_flexbuf_add_uint(&b, "flash_bytes", p->flash_bytes);
  xai_flexbuf_add_uint(&b, "flash_entry", x->opt->flash_entry);
  xai_flexbuf_add_uint(&b, "lpddr_bytes", p->lpddr_bytes);
  xai_flexbuf_add_string(&b, "model", xf_mem_name(p->model));
  xai_flexbuf_add_string(&b, "params",
                         p->split ? xf_mem_name(p->params) : "model");
  xai_flexbuf_add_uint(&b, "sram_bytes", p->sram_bytes);
  xai_flexbuf_map_end(&b);
  const uint8_t *data;
  size_t size;
  xai_status st = xai_flexbuf_finish(&b, &data, &size, err);
  if (!st && xai_model_set_metadata(x->m, "xai_placement", data, size))
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_flexbuf_builder_free(&b);
  return st;
}

xai_status xf_place(xf_ctx *x, xai_error *err) {
  xf_target t;
  xf_target_default(&t);
  xai_status st = XAI_OK;
  if (x->opt->memory == XAI_XF_MEMORY_CUSTOM && !x->opt->target_config)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "--xcore-memory=custom takes the memories from "
                    "--target-config FILE (model_memory, arena_memory, "
                    "params_memory = sram|lpddr|flash); none was given");
  if (x->opt->target_config) st = xf_target_load(&t, x->opt->target_config, err);
  if (!st) st = xf_target_tiles(x->opt, &t, err);
  xf_sizes s;
  if (!st) st = measure(x, &s, err);
  if (!st) st = xf_partition_choose(x, &t, &s, &x->placement, err);
  if (st) return st;
  x->placed = true;
  return write_metadata(x, err);
}
