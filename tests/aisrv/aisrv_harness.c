#include "aisrv_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

harness_opts harness_defaults(void) {
  harness_opts o;
  memset(&o, 0, sizeof o);
  o.tiles = 2;
  o.sram_bytes = 512 * 1024;
  o.lpddr_bytes = 8u << 20;
  o.staging_bytes = 2u << 20;
  o.flash_bytes = 1u << 20;
  /* The hand-worked budgets in the tests keep 64 KiB per tile for the
   * firmware; test_aisrv_basic checks the default separately. */
  o.firmware_bytes = 64u * 1024u;
  return o;
}

static void *alloc16(size_t n) {
  void *p = aligned_alloc(16, (n + 15) / 16 * 16 + 16);
  if (!p) abort();
  memset(p, 0x5A, n);
  return p;
}

static void on_reply(void *user, const uint8_t *frame, size_t n) {
  harness *h = user;
  size_t at = 0;
  while (at < n) {
    size_t used = 0;
    xai_decoded_frame f;
    xai_decode_event ev = xai_frame_decoder_feed(&h->dec, frame + at, n - at,
                                                 &used, &f);
    at += used;
    if (ev == XAI_DECODE_NEED_MORE) continue;
    if (ev != XAI_DECODE_FRAME) {
      fprintf(stderr, "harness: bad reply frame: %s\n", xai_decode_event_name(ev));
      xai_test_failures++;
      continue;
    }
    if (!(f.header.flags & XAI_FRAME_REPLY)) xai_test_failures++;
    if (h->reply_count < HARNESS_MAX_REPLIES)
      h->replies[h->reply_count] = f.header;
    h->reply_count++;
    if (h->data_len + f.header.length + 1 > h->data_cap) {
      h->data_cap = (h->data_len + f.header.length + 1) * 2;
      h->data = realloc(h->data, h->data_cap);
    }
    memcpy(h->data + h->data_len, f.payload, f.header.length);
    h->data_len += f.header.length;
  }
}

static xai_status fl_read(void *user, uint32_t off, void *dst, uint32_t n) {
  harness *h = user;
  memcpy(dst, h->flash + off, n);
  return XAI_OK;
}
static xai_status fl_erase(void *user, uint32_t off, uint32_t n) {
  harness *h = user;
  if (off % 4096 || n % 4096) return XAI_ERR_ARGUMENT;
  memset(h->flash + off, 0xFF, n);
  return XAI_OK;
}
static xai_status fl_program(void *user, uint32_t off, const void *src,
                             uint32_t n) {
  harness *h = user;
  /* NOR programming only clears bits: what an unerased write would do. */
  const uint8_t *s = src;
  for (uint32_t i = 0; i < n; i++) h->flash[off + i] &= s[i];
  return XAI_OK;
}

void harness_init(harness *h, const harness_opts *o) {
  memset(h, 0, sizeof *h);
  xai_aisrv_config *c = &h->cfg;
  c->tiles = o->tiles;
  c->clock_mhz = 800;
  c->sram_bytes_per_tile = o->sram_bytes;
  c->firmware_bytes = o->firmware_bytes;
  for (uint32_t t = 0; t < o->tiles && t < 2; t++) {
    h->sram[t] = alloc16(o->sram_bytes);
    c->sram[t].base = h->sram[t];
    c->sram[t].bytes = o->sram_bytes;
  }
  if (o->lpddr_bytes) {
    h->lpddr = alloc16(o->lpddr_bytes);
    c->lpddr.base = h->lpddr;
    c->lpddr.bytes = o->lpddr_bytes;
  }
  h->staging = alloc16(o->staging_bytes);
  c->staging.base = h->staging;
  c->staging.bytes = o->staging_bytes;
  if (o->flash_bytes) {
    h->flash = malloc(o->flash_bytes);
    memset(h->flash, 0xFF, o->flash_bytes);
    c->flash.read = fl_read;
    c->flash.erase = fl_erase;
    c->flash.program = fl_program;
    c->flash.user = h;
    c->flash.size = o->flash_bytes;
  }
  c->device_name = "xcore.ai-test";
  c->write = on_reply;
  c->write_user = h;
  size_t wb = xai_aisrv_work_bytes(c);
  h->work = alloc16(wb);
  xai_error err = {0};
  if (xai_aisrv_init(&h->srv, c, h->work, wb, &err) != XAI_OK) {
    fprintf(stderr, "harness: %s\n", err.message);
    exit(1);
  }
  xai_frame_decoder_init(&h->dec, h->dec_buf, sizeof h->dec_buf, NULL);
  h->seq = 100;
}

void harness_free(harness *h) {
  free(h->work);
  free(h->sram[0]);
  free(h->sram[1]);
  free(h->lpddr);
  free(h->staging);
  free(h->flash);
  free(h->data);
}

void harness_feed(harness *h, const uint8_t *bytes, size_t n) {
  /* Uneven pieces: the server must not care how the transport splits. */
  size_t at = 0, piece = 1;
  while (at < n) {
    size_t k = n - at < piece ? n - at : piece;
    xai_aisrv_feed(h->srv, bytes + at, k);
    at += k;
    piece = piece * 3 + 7;
  }
}

static uint8_t frame_buf[XAI_PROTO_MAX_FRAME_BYTES];

int harness_frame(harness *h, const xai_frame_header *hdr, const void *payload) {
  h->reply_count = 0;
  h->data_len = 0;
  size_t w = 0;
  xai_error err = {0};
  if (xai_frame_encode(hdr, payload, frame_buf, sizeof frame_buf, &w, &err)) {
    fprintf(stderr, "harness: encode: %s\n", err.message);
    exit(1);
  }
  harness_feed(h, frame_buf, w);
  if (!h->reply_count) return -1;
  uint32_t last = h->reply_count <= HARNESS_MAX_REPLIES ? h->reply_count - 1
                                                       : HARNESS_MAX_REPLIES - 1;
  return h->replies[last].status;
}

int harness_request(harness *h, xai_proto_command cmd, uint8_t engine,
                    uint16_t tensor, uint32_t arg, const void *payload,
                    uint32_t n) {
  xai_frame_header hdr;
  xai_frame_header_init(&hdr, cmd, h->seq++);
  hdr.engine = engine;
  hdr.tensor = tensor;
  hdr.arg = arg;
  hdr.length = hdr.total = n;
  int st = harness_frame(h, &hdr, payload);
  return st;
}

int harness_upload(harness *h, xai_proto_command cmd, uint8_t engine,
                   uint16_t tensor, uint32_t arg, const void *data,
                   uint32_t total, uint32_t chunk, uint32_t stop_after) {
  xai_frame_header base;
  xai_frame_header_init(&base, cmd, h->seq);
  base.engine = engine;
  base.tensor = tensor;
  base.arg = arg;
  xai_chunk_writer w;
  if (xai_chunk_writer_init(&w, &base, data, total, chunk, NULL)) exit(1);
  xai_frame_header hdr;
  const uint8_t *p;
  uint32_t sent = 0;
  int st = -1;
  while (xai_chunk_writer_next(&w, &hdr, &p)) {
    st = harness_frame(h, &hdr, p);
    h->seq = hdr.seq + 1;
    sent++;
    if (st != XAI_PS_OK || (stop_after && sent == stop_after)) break;
  }
  return st;
}

const char *harness_text(harness *h) {
  if (h->data_len + 1 > h->data_cap) {
    h->data_cap = h->data_len + 1;
    h->data = realloc(h->data, h->data_cap);
  }
  h->data[h->data_len] = 0;
  return (const char *)h->data;
}

const char *harness_log(harness *h) {
  harness_request(h, XAI_CMD_GET_LOG, 0, 0, 0, NULL, 0);
  return harness_text(h);
}
