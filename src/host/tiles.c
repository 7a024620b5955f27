/* Multi-tile device commands (docs/multitile.md, "Device"): params spread
 * over the tiles, invokes of several engines at once, and per-tile
 * timings. */
#include <stdlib.h>
#include <string.h>

#include "device_internal.h"
#include "xai/flexbuf.h"
#include "xai/host_placement.h"
#include "xai/tflite.h"

xai_status xai_host_download_params_tiles(xai_host_device *dev,
                                          uint8_t engine, const void *params,
                                          size_t size,
                                          xai_host_progress_fn progress,
                                          void *progress_user,
                                          xai_error *err) {
  xai_error_clear(err);
  if (!params || size > UINT32_MAX)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "download_params_tiles: no params file, or over 4 GiB");
  xai_status st = xai_link_send_transfer(dev, XAI_CMD_SET_PARAMS, engine, 0,
                                         XAI_PARAMS_TO_TILES, params, size,
                                         progress, progress_user, err);
  if (st == XAI_ERR_ARGUMENT && strstr(err->message, "SET_PARAMS memory"))
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "the device cannot hold params over tiles (its firmware "
                    "predates --xcore-tiles models): %s", err->message);
  return st;
}

uint32_t xai_host_model_tiles(const void *model, size_t size) {
  xai_tfl_view view;
  xai_error e;
  xai_error_clear(&e);
  if (xai_tfl_open(&view, model, size, &e) != XAI_OK) return 0;
  size_t n = 0;
  const uint8_t *md = xai_tfl_find_metadata(&view, "xai_tiles", &n);
  xai_flexbuf_ref map, v;
  uint64_t tiles = 0;
  if (!md || xai_flexbuf_verify(md, n, &e) || xai_flexbuf_root(md, n, &map, &e) ||
      map.type != XAI_FLEXBUF_MAP ||
      xai_flexbuf_map_get(&map, "tiles", &v, &e) ||
      xai_flexbuf_get_uint(&v, &tiles, &e) || tiles > 64)
    return 0;
  return (uint32_t)tiles;
}

xai_status xai_host_invoke_tiles(xai_host_device *dev, uint32_t engine_mask,
                                 xai_error *err) {
  xai_error_clear(err);
  if (!engine_mask)
    return xai_fail(err, XAI_ERR_ARGUMENT, "invoke_tiles: no engine named");
  xai_frame_header hdr;
  xai_link_request(&hdr, XAI_CMD_INVOKE_TILES, 0, 0, engine_mask);
  uint8_t *reply = NULL;
  size_t n = 0;
  xai_status st = xai_link_exchange(dev, &hdr, NULL, &reply, &n, err);
  free(reply);
  return st;
}

xai_status xai_host_read_tile_times(xai_host_device *dev, uint8_t engine,
                                    xai_proto_tile_timings *out,
                                    xai_proto_layer_tile *layers,
                                    uint32_t max_layers, xai_error *err) {
  xai_error_clear(err);
  memset(out, 0, sizeof *out);
  xai_frame_header hdr;
  xai_link_request(&hdr, XAI_CMD_GET_TILE_TIMINGS, engine, 0, 0);
  uint8_t *reply = NULL;
  size_t n = 0;
  xai_status st = xai_link_exchange(dev, &hdr, NULL, &reply, &n, err);
  if (st == XAI_OK)
    st = xai_tile_timings_decode(reply, n, out, layers, max_layers, err);
  free(reply);
  return st;
}

xai_status xai_host_link_input(xai_host_device *dev, uint8_t engine,
                               uint16_t input, uint8_t src_engine,
                               uint8_t src_output, xai_error *err) {
  xai_error_clear(err);
  xai_frame_header hdr;
  xai_link_request(&hdr, XAI_CMD_LINK_INPUT, engine, input,
                   XAI_LINK_INPUT_ARG(src_engine, src_output));
  uint8_t *reply = NULL;
  size_t n = 0;
  xai_status st = xai_link_exchange(dev, &hdr, NULL, &reply, &n, err);
  free(reply);
  return st;
}
