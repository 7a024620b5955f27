/* HELLO reply payload: the device's facts (docs/protocol.md, "HELLO"). */
#include "payload_util_internal.h"

xai_status xai_hello_encode(const xai_proto_hello *h, uint8_t *out,
                            size_t cap, size_t *written, xai_error *err) {
  xai_status st =
      xai_payload_room("HELLO payload", XAI_HELLO_BYTES, cap, written, err);
  if (st) return st;
  xai_put16(out + 0, h->protocol_version);
  xai_put16(out + 2, h->max_payload);
  out[4] = h->tiles;
  out[5] = h->engines;
  xai_put16(out + 6, h->clock_mhz);
  xai_put32(out + 8, h->sram_bytes_per_tile);
  xai_put32(out + 12, h->lpddr_bytes);
  xai_put32(out + 16, h->flash_bytes);
  xai_put32(out + 20, h->timer_hz);
  /* NUL-padded, always terminated within the 16 bytes. */
  size_t len = xai_bounded_strlen(h->device, sizeof h->device - 1);
  memset(out + 24, 0, 16);
  memcpy(out + 24, h->device, len);
  if (written) *written = XAI_HELLO_BYTES;
  return XAI_OK;
}

xai_status xai_hello_decode(const uint8_t *p, size_t n, xai_proto_hello *h,
                            xai_error *err) {
  if (n < XAI_HELLO_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "HELLO reply: %zu bytes, expected at least %u", n,
                    XAI_HELLO_BYTES);
  memset(h, 0, sizeof *h);
  h->protocol_version = xai_le16(p + 0);
  h->max_payload = xai_le16(p + 2);
  h->tiles = p[4];
  h->engines = p[5];
  h->clock_mhz = xai_le16(p + 6);
  h->sram_bytes_per_tile = xai_le32(p + 8);
  h->lpddr_bytes = xai_le32(p + 12);
  h->flash_bytes = xai_le32(p + 16);
  h->timer_hz = xai_le32(p + 20);
  memcpy(h->device, p + 24, sizeof h->device - 1);
  h->device[sizeof h->device - 1] = '\0';
  return XAI_OK;
}
