/* The host library's commands: one function per protocol command. */
#include <stdlib.h>
#include <string.h>

#include "device_internal.h"

xai_status xai_host_status_from_device(xai_proto_status status) {
  switch (status) {
    case XAI_PS_OK: return XAI_OK;
    case XAI_PS_BUSY: return XAI_ERR_STATE;
    case XAI_PS_NO_MODEL: return XAI_ERR_STATE;
    case XAI_PS_MODEL_ERROR: return XAI_ERR_FORMAT;
    case XAI_PS_INFER_ERROR: return XAI_ERR_STATE;
    case XAI_PS_BAD_COMMAND: return XAI_ERR_UNSUPPORTED;
    case XAI_PS_BAD_ARGUMENT: return XAI_ERR_ARGUMENT;
    case XAI_PS_TOO_LARGE: return XAI_ERR_RANGE;
    case XAI_PS_NO_MEMORY: return XAI_ERR_NO_MEMORY;
    case XAI_PS_CRC_ERROR: return XAI_ERR_IO;
  }
  return XAI_ERR_IO; /* a status this host does not know */
}

void xai_host_set_timeout(xai_host_device *dev, uint32_t timeout_ms) {
  dev->timeout_ms = timeout_ms ? timeout_ms : XAI_HOST_DEFAULT_TIMEOUT_MS;
}

const char *xai_host_wait_note(const xai_host_device *dev) {
  return dev->wait_note;
}

const char *xai_host_description(const xai_host_device *dev) {
  return dev->t->description;
}

/* A command with an empty request; the reply payload is returned. */
static xai_status simple(xai_host_device *dev, uint8_t command, uint8_t engine,
                         uint16_t tensor, uint32_t arg, uint8_t **reply,
                         size_t *size, xai_error *err) {
  xai_frame_header hdr;
  xai_link_request(&hdr, command, engine, tensor, arg);
  return xai_link_exchange(dev, &hdr, NULL, reply, size, err);
}

xai_status xai_host_hello(xai_host_device *dev, xai_proto_hello *hello,
                          xai_error *err) {
  xai_error_clear(err);
  uint8_t *reply = NULL;
  size_t size = 0;
  xai_status st = simple(dev, XAI_CMD_HELLO, 0, 0, 0, &reply, &size, err);
  if (st != XAI_OK) return st;
  st = xai_hello_decode(reply, size, &dev->hello, err);
  free(reply);
  if (st != XAI_OK) return st;
  if (dev->hello.protocol_version != XAI_PROTO_VERSION)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "%s speaks protocol version %u; this host speaks %u "
                    "(update the firmware or the tools)",
                    dev->t->description, dev->hello.protocol_version,
                    XAI_PROTO_VERSION);
  if (hello) *hello = dev->hello;
  return XAI_OK;
}

xai_status xai_host_check_ram_download(const char *fn, xai_model_memory memory,
                                       const char *flash_hint, size_t size,
                                       const char *what, xai_error *err) {
  if (memory != XAI_MODEL_TO_SRAM && memory != XAI_MODEL_TO_LPDDR)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "%s: memory must be SRAM or LPDDR (%s)", fn, flash_hint);
  if (size == 0)
    return xai_fail(err, XAI_ERR_ARGUMENT, "%s: the %s is empty", fn, what);
  return XAI_OK;
}

xai_status xai_host_download_model(xai_host_device *dev, uint8_t engine,
                                   const void *model, size_t size,
                                   xai_model_memory memory,
                                   xai_host_progress_fn progress,
                                   void *progress_user, xai_error *err) {
  xai_error_clear(err);
  xai_status st = xai_host_check_ram_download(
      "download_model", memory, "use xai_host_set_model_from_flash for flash",
      size, "model", err);
  if (st) return st;
  return xai_host_send_model(dev, engine, model, size,
                             XAI_SET_MODEL_ARG(memory, 0), progress,
                             progress_user, err);
}

void xai_host_note_placement(xai_host_device *dev, const uint8_t *reply,
                             size_t size) {
  dev->placement_known =
      reply && xai_placement_decode(reply, size, &dev->placement, NULL) ==
                   XAI_OK;
}

xai_status xai_host_send_model(xai_host_device *dev, uint8_t engine,
                               const void *model, size_t size, uint32_t arg,
                               xai_host_progress_fn progress,
                               void *progress_user, xai_error *err) {
  uint8_t *reply = NULL;
  size_t n = 0;
  dev->placement_known = false;
  xai_status st = xai_link_send_transfer_reply(
      dev, XAI_CMD_SET_MODEL, engine, 0, arg, model, size, progress,
      progress_user, &reply, &n, err);
  if (st == XAI_OK) xai_host_note_placement(dev, reply, n);
  free(reply);
  return st;
}

bool xai_host_last_placement(const xai_host_device *dev,
                             xai_proto_placement *placement) {
  if (dev->placement_known && placement) *placement = dev->placement;
  return dev->placement_known;
}

xai_status xai_host_set_model_from_flash(xai_host_device *dev, uint8_t engine,
                                         uint32_t flash_entry, xai_error *err) {
  xai_error_clear(err);
  if (flash_entry > 0xFFFFFFu)
    return xai_fail(err, XAI_ERR_RANGE, "flash entry %u is out of range",
                    flash_entry);
  uint8_t *reply = NULL;
  size_t n = 0;
  dev->placement_known = false;
  xai_status st = simple(dev, XAI_CMD_SET_MODEL, engine, 0,
                         XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, flash_entry),
                         &reply, &n, err);
  if (st == XAI_OK) xai_host_note_placement(dev, reply, n);
  free(reply);
  return st;
}

xai_status xai_host_read_spec(xai_host_device *dev, uint8_t engine,
                              xai_host_spec *spec, xai_error *err) {
  xai_error_clear(err);
  uint8_t *reply = NULL;
  size_t size = 0;
  xai_status st = simple(dev, XAI_CMD_GET_SPEC, engine, 0, 0, &reply, &size,
                         err);
  if (st != XAI_OK) return st;
  xai_proto_spec ps;
  memset(spec, 0, sizeof *spec);
  st = xai_spec_decode(reply, size, &ps, spec->tensors, XAI_HOST_MAX_TENSORS,
                       err);
  free(reply);
  if (st != XAI_OK) return st;
  spec->arena_bytes_used = ps.arena_bytes_used;
  spec->input_count = ps.input_count;
  spec->output_count = ps.output_count;
  return XAI_OK;
}

const xai_proto_tensor_info *xai_host_spec_input(const xai_host_spec *spec,
                                                 uint32_t i) {
  return i < spec->input_count ? &spec->tensors[i] : NULL;
}

const xai_proto_tensor_info *xai_host_spec_output(const xai_host_spec *spec,
                                                  uint32_t i) {
  return i < spec->output_count ? &spec->tensors[spec->input_count + i] : NULL;
}

xai_status xai_host_write_input(xai_host_device *dev, uint8_t engine,
                                uint16_t tensor, const void *data, size_t size,
                                xai_error *err) {
  xai_error_clear(err);
  return xai_link_send_transfer(dev, XAI_CMD_SET_INPUT, engine, tensor, 0,
                                data, size, NULL, NULL, err);
}

xai_status xai_host_invoke(xai_host_device *dev, uint8_t engine,
                           xai_error *err) {
  xai_error_clear(err);
  return simple(dev, XAI_CMD_INVOKE, engine, 0, 0, NULL, NULL, err);
}

xai_status xai_host_read_output(xai_host_device *dev, uint8_t engine,
                                uint16_t tensor, void *dst, size_t cap,
                                size_t *size, xai_error *err) {
  xai_error_clear(err);
  uint8_t *reply = NULL;
  size_t n = 0;
  xai_status st =
      simple(dev, XAI_CMD_GET_OUTPUT, engine, tensor, 0, &reply, &n, err);
  if (st != XAI_OK) return st;
  if (size) *size = n;
  if (n > cap) {
    free(reply);
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "GET_OUTPUT (engine %u): output %u is %zu bytes, the "
                    "buffer holds %zu",
                    engine, tensor, n, cap);
  }
  if (n) memcpy(dst, reply, n);
  free(reply);
  return XAI_OK;
}

xai_status xai_host_read_times(xai_host_device *dev, uint8_t engine,
                               xai_proto_layer_timing *layers,
                               uint32_t max_layers, uint32_t *count,
                               xai_error *err) {
  xai_error_clear(err);
  uint8_t *reply = NULL;
  size_t size = 0;
  xai_status st =
      simple(dev, XAI_CMD_GET_TIMINGS, engine, 0, 0, &reply, &size, err);
  if (st != XAI_OK) return st;
  st = xai_timings_decode(reply, size, layers, max_layers, count, err);
  free(reply);
  return st;
}

xai_status xai_host_read_log(xai_host_device *dev, char *dst, size_t cap,
                             size_t *size, xai_error *err) {
  xai_error_clear(err);
  uint8_t *reply = NULL;
  size_t n = 0;
  if (cap == 0)
    return xai_fail(err, XAI_ERR_ARGUMENT, "read_log: empty buffer");
  dst[0] = '\0';
  xai_status st = simple(dev, XAI_CMD_GET_LOG, 0, 0, 0, &reply, &n, err);
  if (st != XAI_OK) return st;
  if (size) *size = n;
  size_t keep = n < cap - 1 ? n : cap - 1;
  if (keep) memcpy(dst, reply, keep);
  dst[keep] = '\0';
  free(reply);
  return XAI_OK;
}

xai_status xai_host_flash_write(xai_host_device *dev, uint32_t address,
                                const void *data, size_t size,
                                xai_host_progress_fn progress,
                                void *progress_user, xai_error *err) {
  xai_error_clear(err);
  if ((uint64_t)address + size > UINT32_MAX)
    return xai_fail(err, XAI_ERR_RANGE,
                    "flash_write: %zu bytes at 0x%08x run past 4 GiB", size,
                    address);
  return xai_link_send_transfer(dev, XAI_CMD_FLASH_WRITE, 0, 0, address, data,
                                size, progress, progress_user, err);
}

/* Reads in pieces so a progress bar moves and no reply is huge. */
#define FLASH_READ_PIECE (64u * 1024u)

xai_status xai_host_flash_read(xai_host_device *dev, uint32_t address,
                               void *dst, size_t size,
                               xai_host_progress_fn progress,
                               void *progress_user, xai_error *err) {
  xai_error_clear(err);
  if ((uint64_t)address + size > UINT32_MAX)
    return xai_fail(err, XAI_ERR_RANGE,
                    "flash_read: %zu bytes at 0x%08x run past 4 GiB", size,
                    address);
  size_t done = 0;
  if (progress) progress(progress_user, 0, size);
  while (done < size) {
    uint32_t n = size - done > FLASH_READ_PIECE ? FLASH_READ_PIECE
                                                : (uint32_t)(size - done);
    uint8_t count[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
                        (uint8_t)(n >> 24)};
    xai_frame_header hdr;
    xai_link_request(&hdr, XAI_CMD_FLASH_READ, 0, 0,
                     address + (uint32_t)done);
    hdr.length = hdr.total = 4;
    uint8_t *reply = NULL;
    size_t got = 0;
    xai_status st = xai_link_exchange(dev, &hdr, count, &reply, &got, err);
    if (st != XAI_OK) return st;
    if (got != n) {
      free(reply);
      return xai_fail(err, XAI_ERR_FORMAT,
                      "FLASH_READ: asked for %u bytes at 0x%08x, the device "
                      "sent %zu",
                      n, address + (uint32_t)done, got);
    }
    memcpy((uint8_t *)dst + done, reply, n);
    free(reply);
    done += n;
    if (progress) progress(progress_user, done, size);
  }
  return XAI_OK;
}

xai_status xai_host_reset(xai_host_device *dev, xai_error *err) {
  xai_error_clear(err);
  return simple(dev, XAI_CMD_RESET, 0, 0, 0, NULL, NULL, err);
}
