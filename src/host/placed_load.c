/* Loading a model where the xformer placed it: the `xai_placement`
 * metadata (src/xformer/placement_pass.c) decides the SET_MODEL memory,
 * the arena flag, SET_PARAMS or a flash entry (docs/device.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device_internal.h"
#include "xai/flexbuf.h"
#include "xai/host_placement.h"
#include "xai/tflite.h"

static int place_from_name(const char *s) {
  if (!strcmp(s, "sram")) return XAI_PLACE_SRAM;
  if (!strcmp(s, "lpddr")) return XAI_PLACE_LPDDR;
  if (!strcmp(s, "flash")) return XAI_PLACE_FLASH;
  if (!strcmp(s, "tiles")) return XAI_PLACE_TILES;
  if (!strcmp(s, "model")) return XAI_PLACE_NONE;
  return -1;
}

static xai_status get_place(const xai_flexbuf_ref *map, const char *key,
                            uint8_t *out, xai_error *err) {
  xai_flexbuf_ref v;
  const char *s;
  size_t n;
  xai_status st = xai_flexbuf_map_get(map, key, &v, err);
  if (!st) st = xai_flexbuf_get_string(&v, &s, &n, err);
  if (st) return st;
  int p = place_from_name(s);
  if (p < 0 || ((p == XAI_PLACE_NONE || p == XAI_PLACE_TILES) &&
                strcmp(key, "params")))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "xai_placement: %s = '%.20s' is not a memory", key, s);
  *out = (uint8_t)p;
  return XAI_OK;
}

static void get_bytes(const xai_flexbuf_ref *map, const char *key,
                      uint64_t *out) {
  xai_flexbuf_ref v;
  xai_error e;
  xai_error_clear(&e);
  *out = 0;
  if (xai_flexbuf_map_get(map, key, &v, &e) == XAI_OK)
    xai_flexbuf_get_uint(&v, out, &e);
}

xai_status xai_host_read_placement(const void *model, size_t size,
                                   xai_host_model_placement *out,
                                   xai_error *err) {
  xai_error_clear(err);
  memset(out, 0, sizeof *out);
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, model, size, err);
  if (st) return st;
  size_t n = 0;
  const uint8_t *md = xai_tfl_find_metadata(&view, "xai_placement", &n);
  if (!md) return XAI_OK;
  xai_flexbuf_ref map;
  st = xai_flexbuf_verify(md, n, err);
  if (!st) st = xai_flexbuf_root(md, n, &map, err);
  if (!st && map.type != XAI_FLEXBUF_MAP)
    st = xai_fail(err, XAI_ERR_FORMAT, "xai_placement is not a map");
  if (!st) st = get_place(&map, "model", &out->model, err);
  if (!st) st = get_place(&map, "arena", &out->arena, err);
  if (!st) st = get_place(&map, "params", &out->params, err);
  if (st)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the model's xai_placement record is damaged: %s",
                    err->message);
  uint64_t entry;
  get_bytes(&map, "flash_entry", &entry);
  out->flash_entry = entry > 0xFFFFu ? 0 : (uint32_t)entry;
  get_bytes(&map, "sram_bytes", &out->sram_bytes);
  get_bytes(&map, "lpddr_bytes", &out->lpddr_bytes);
  get_bytes(&map, "flash_bytes", &out->flash_bytes);
  out->present = true;
  return XAI_OK;
}

void xai_host_placement_describe(const xai_host_model_placement *p,
                                 char *out, size_t cap) {
  if (!p->present) {
    snprintf(out, cap, "no placement recorded");
    return;
  }
  char params[48];
  if (p->params == XAI_PLACE_NONE)
    snprintf(params, sizeof params, "weights in the model");
  else if (p->params == XAI_PLACE_FLASH)
    snprintf(params, sizeof params, "params in flash entry %u",
             p->flash_entry);
  else if (p->params == XAI_PLACE_TILES)
    snprintf(params, sizeof params, "params over the tiles");
  else
    snprintf(params, sizeof params, "params in %s",
             xai_proto_place_name(p->params));
  snprintf(out, cap, "model in %s, arena in %s, %s",
           xai_proto_place_name(p->model), xai_proto_place_name(p->arena),
           params);
}

/* The option that makes a model fit a device it does not fit, with the
 * device's own sizes for the --target-config. */
static const char *fix_text(const xai_host_device *dev, char *buf,
                            size_t cap) {
  const xai_proto_hello *h = &dev->hello;
  unsigned engines = h->engines ? h->engines : 1;
  snprintf(buf, cap,
           "recompile with xformer --xcore-memory=auto --target-config FILE "
           "describing this device (sram_kib = %u, lpddr_mib = %u, "
           "flash_mib = %u), or move the weights to flash with "
           "--xcore-flash-image-file FILE",
           h->sram_bytes_per_tile / 1024u,
           h->lpddr_bytes / engines / (1024u * 1024u),
           h->flash_bytes / (1024u * 1024u));
  return buf;
}

/* What HELLO lets the host prove before sending anything. */
static xai_status precheck(const xai_host_device *dev,
                           const xai_host_model_placement *p, xai_error *err) {
  const xai_proto_hello *h = &dev->hello;
  unsigned engines = h->engines ? h->engines : 1;
  char fix[320];
  const char *k_fix = fix_text(dev, fix, sizeof fix);
  uint64_t lpddr_share = h->lpddr_bytes / engines;
  if (p->lpddr_bytes && !h->lpddr_bytes)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "the xformer placed %" PRIu64 " bytes in LPDDR; the "
                    "device has no LPDDR, %" PRIu64 " bytes short; %s",
                    p->lpddr_bytes, p->lpddr_bytes, k_fix);
  if (p->lpddr_bytes > lpddr_share)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "the xformer placed %" PRIu64 " bytes in LPDDR; an engine "
                    "of this device has %" PRIu64 " bytes of LPDDR, %" PRIu64
                    " bytes short; %s",
                    p->lpddr_bytes, lpddr_share, p->lpddr_bytes - lpddr_share,
                    k_fix);
  /* Over tiles the device checks each tile's share (SET_MODEL). */
  if (p->sram_bytes > h->sram_bytes_per_tile && p->params != XAI_PLACE_TILES)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "the xformer placed %" PRIu64 " bytes in SRAM; a tile of "
                    "this device has %u bytes, %" PRIu64 " bytes short; %s",
                    p->sram_bytes, h->sram_bytes_per_tile,
                    p->sram_bytes - h->sram_bytes_per_tile, k_fix);
  if (p->flash_bytes && p->flash_bytes > h->flash_bytes)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "the xformer placed %" PRIu64 " bytes in flash; the "
                    "device has %u bytes of flash, %" PRIu64 " bytes short; %s",
                    p->flash_bytes, h->flash_bytes,
                    p->flash_bytes - h->flash_bytes, k_fix);
  return XAI_OK;
}

static uint32_t arena_flag(uint8_t arena) {
  return arena == XAI_PLACE_SRAM    ? XAI_SET_MODEL_ARENA_SRAM
         : arena == XAI_PLACE_LPDDR ? XAI_SET_MODEL_ARENA_LPDDR
                                    : 0;
}

xai_status xai_host_load_flash_entry(xai_host_device *dev, uint8_t engine,
                                     uint32_t entry, uint8_t arena,
                                     bool model_lpddr, xai_error *err) {
  xai_error_clear(err);
  if (entry > 0xFFFFFFu)
    return xai_fail(err, XAI_ERR_RANGE, "flash entry %u is out of range",
                    entry);
  uint32_t arg = XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, entry) |
                 arena_flag(arena) |
                 (model_lpddr ? XAI_SET_MODEL_FLASH_TO_LPDDR : 0);
  xai_frame_header hdr;
  xai_link_request(&hdr, XAI_CMD_SET_MODEL, engine, 0, arg);
  uint8_t *reply = NULL;
  size_t n = 0;
  dev->placement_known = false;
  xai_status st = xai_link_exchange(dev, &hdr, NULL, &reply, &n, err);
  if (st == XAI_OK) xai_host_note_placement(dev, reply, n);
  free(reply);
  return st;
}

/* A device refusal for memory gets the fix appended. */
static xai_status with_fix(const xai_host_device *dev, xai_status st,
                           xai_error *err) {
  if (st == XAI_ERR_NO_MEMORY && !strstr(err->message, "xformer") &&
      !strstr(err->message, "free tile")) {
    char fix[320];
    const char *k_fix = fix_text(dev, fix, sizeof fix);
    size_t n = strlen(err->message);
    if (n + 3 < sizeof err->message)
      snprintf(err->message + n, sizeof err->message - n, "; %s", k_fix);
  }
  return st;
}

xai_status xai_host_load_placed(xai_host_device *dev, uint8_t engine,
                                const void *model, size_t model_size,
                                const void *params, size_t params_size,
                                const xai_host_model_placement *place,
                                xai_host_progress_fn progress,
                                void *progress_user, xai_error *err) {
  xai_error_clear(err);
  if (!model || !model_size)
    return xai_fail(err, XAI_ERR_ARGUMENT, "load_placed: the model is empty");
  xai_host_model_placement none;
  memset(&none, 0, sizeof none);
  none.model = none.arena = XAI_PLACE_SRAM;
  const xai_host_model_placement *p = place && place->present ? place : &none;
  bool split = p->params != XAI_PLACE_NONE;
  if (split && !params)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "the model streams its weights from a params file (%s "
                    "placement); pass it with --params FILE, or load the "
                    "model and params already in flash with --flash-entry N",
                    xai_proto_place_name(p->params));
  if (!split && params)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "the model was compiled with its weights inside it (no "
                    "params file); drop --params or recompile with "
                    "--xcore-flash-image-file FILE");
  xai_status st = precheck(dev, p, err);
  if (st) return st;
  uint32_t mem = p->model == XAI_PLACE_LPDDR ? XAI_MODEL_TO_LPDDR
                                             : XAI_MODEL_TO_SRAM;
  if (p->params == XAI_PLACE_FLASH) {
    st = xai_host_flash_program_entry(dev, p->flash_entry, model, model_size,
                                      params, params_size, progress,
                                      progress_user, err);
    if (!st)
      st = xai_host_load_flash_entry(dev, engine, p->flash_entry, p->arena,
                                     p->model == XAI_PLACE_LPDDR, err);
    return with_fix(dev, st, err);
  }
  uint32_t arg = XAI_SET_MODEL_ARG(mem, 0) | arena_flag(p->arena);
  if (p->params == XAI_PLACE_TILES) {
    uint32_t need = xai_host_model_tiles(model, model_size);
    if (dev->hello.tiles && need > dev->hello.tiles)
      return xai_fail(err, XAI_ERR_NO_MEMORY,
                      "the model's weights are spread over %u tiles; the "
                      "device has %u: use a device of %u chips "
                      "(xai_device_emulator --chips %u), or recompile with "
                      "xformer --xcore-tiles %u if the model fits there",
                      need, dev->hello.tiles, (need + 1) / 2, (need + 1) / 2,
                      dev->hello.tiles);
    st = xai_host_download_params_tiles(dev, engine, params, params_size,
                                        progress, progress_user, err);
    if (st) return with_fix(dev, st, err);
    arg |= XAI_SET_MODEL_WITH_PARAMS;
  } else if (split) {
    xai_model_memory pmem = p->params == XAI_PLACE_LPDDR ? XAI_MODEL_TO_LPDDR
                                                         : XAI_MODEL_TO_SRAM;
    st = xai_host_download_params(dev, engine, params, params_size, pmem,
                                  progress, progress_user, err);
    if (st) return with_fix(dev, st, err);
    arg |= XAI_SET_MODEL_WITH_PARAMS;
  }
  st = xai_host_send_model(dev, engine, model, model_size, arg, progress,
                           progress_user, err);
  return with_fix(dev, st, err);
}
