/* libFuzzer target: the AI server's byte-stream API. The first byte picks
 * a mode: 0 raw bytes fed in input-chosen pieces; 1 a script of valid
 * frames (command, engine, tensor, arg, flags, payload from the input),
 * which reaches the transfer and command states without a corpus; 2 the
 * rest of the input is a model, uploaded in chunks and then specced,
 * invoked and timed (the seeds are real models). The server must never
 * crash, write outside its regions, or stop answering. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xai/aisrv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SRAM_BYTES (256u * 1024u)
#define STAGING_BYTES (512u * 1024u)
#define FLASH_BYTES (64u * 1024u)
#define WORK_BYTES (256u * 1024u)

static _Alignas(16) uint8_t sram[2][SRAM_BYTES];
static _Alignas(16) uint8_t staging[STAGING_BYTES];
static _Alignas(16) uint8_t work[WORK_BYTES];
static uint8_t flash[FLASH_BYTES];
static size_t replies;

static void on_reply(void *user, const uint8_t *frame, size_t n) {
  (void)user;
  /* Every reply is one whole, valid frame marked REPLY. */
  xai_frame_header h;
  const uint8_t *payload;
  size_t used = 0;
  if (xai_frame_decode(frame, n, &h, &payload, &used, NULL) != XAI_OK ||
      used != n || !(h.flags & XAI_FRAME_REPLY))
    abort();
  replies++;
}

static xai_status fl_read(void *u, uint32_t off, void *dst, uint32_t n) {
  (void)u;
  if (off > FLASH_BYTES || n > FLASH_BYTES - off) abort();
  memcpy(dst, flash + off, n);
  return XAI_OK;
}
static xai_status fl_erase(void *u, uint32_t off, uint32_t n) {
  (void)u;
  if (off % 4096 || n % 4096 || off > FLASH_BYTES || n > FLASH_BYTES - off)
    abort();
  memset(flash + off, 0xFF, n);
  return XAI_OK;
}
static xai_status fl_program(void *u, uint32_t off, const void *src,
                             uint32_t n) {
  (void)u;
  if (off > FLASH_BYTES || n > FLASH_BYTES - off) abort();
  const uint8_t *s = src;
  for (uint32_t i = 0; i < n; i++) flash[off + i] &= s[i];
  return XAI_OK;
}

static xai_aisrv *make_server(void) {
  xai_aisrv_config c;
  memset(&c, 0, sizeof c);
  c.tiles = 2;
  c.clock_mhz = 800;
  c.sram_bytes_per_tile = SRAM_BYTES;
  c.firmware_bytes = 16 * 1024;
  for (int t = 0; t < 2; t++) {
    c.sram[t].base = sram[t];
    c.sram[t].bytes = SRAM_BYTES;
  }
  c.staging.base = staging;
  c.staging.bytes = STAGING_BYTES;
  c.flash.read = fl_read;
  c.flash.erase = fl_erase;
  c.flash.program = fl_program;
  c.flash.size = FLASH_BYTES;
  c.max_layers = 64;
  c.write = on_reply;
  if (xai_aisrv_work_bytes(&c) > WORK_BYTES) abort();
  xai_aisrv *s = NULL;
  if (xai_aisrv_init(&s, &c, work, WORK_BYTES, NULL) != XAI_OK) abort();
  memset(flash, 0xFF, sizeof flash);
  return s;
}

static uint8_t frame[XAI_PROTO_MAX_FRAME_BYTES];

/* Sends one frame and checks that it got at least one reply. */
static void send_frame(xai_aisrv *s, const xai_frame_header *h,
                       const uint8_t *payload) {
  size_t n = 0;
  if (xai_frame_encode(h, payload, frame, sizeof frame, &n, NULL) != XAI_OK)
    return;
  size_t before = replies;
  xai_aisrv_feed(s, frame, n);
  if (replies == before) abort(); /* every request is answered */
}

static void script(xai_aisrv *s, const uint8_t *d, size_t n) {
  uint32_t seq = 1;
  size_t at = 0;
  while (at + 8 <= n) {
    xai_frame_header h;
    xai_frame_header_init(&h, (xai_proto_command)(d[at] % XAI_CMD_COUNT), seq);
    h.engine = d[at + 1] % 3;
    h.tensor = d[at + 2] % 3;
    h.arg = d[at + 3] & 0x80 ? (uint32_t)d[at + 3] << 5 : d[at + 3] % 3;
    uint8_t fl = d[at + 4];
    uint32_t len = ((uint32_t)d[at + 5] | (uint32_t)d[at + 6] << 8) % 4097;
    uint32_t extra = d[at + 7];
    at += 8;
    if (len > n - at) len = (uint32_t)(n - at);
    h.length = len;
    if (!(fl & 1)) { /* a well-formed one-frame request or transfer start */
      h.total = len + (fl & 2 ? extra * 16 : 0);
      h.flags = (uint16_t)(XAI_FRAME_FIRST | (h.total == len ? XAI_FRAME_LAST : 0));
    } else {         /* a continuation with input-chosen offset and flags */
      h.flags = (uint16_t)(fl >> 1 & 3);
      h.offset = extra * 64;
      h.total = h.offset + len + (fl & 0x10 ? 0 : extra);
    }
    h.seq = fl & 0x20 ? seq : seq + 1;
    seq = h.seq + 1;
    send_frame(s, &h, d + at);
    at += len;
    if (fl & 0x40) xai_aisrv_link_reset(s);
  }
}

static void model_upload(xai_aisrv *s, const uint8_t *d, size_t n,
                         uint32_t chunk, uint8_t engine) {
  if (n >= STAGING_BYTES) return;
  xai_frame_header base;
  xai_frame_header_init(&base, XAI_CMD_SET_MODEL, 1);
  base.engine = engine;
  xai_chunk_writer w;
  if (xai_chunk_writer_init(&w, &base, d, (uint32_t)n, chunk, NULL)) return;
  xai_frame_header h;
  const uint8_t *p;
  uint32_t seq = 1;
  while (xai_chunk_writer_next(&w, &h, &p)) {
    send_frame(s, &h, p);
    seq = h.seq + 1;
  }
  static const uint8_t cmds[] = {XAI_CMD_GET_SPEC, XAI_CMD_INVOKE,
                                 XAI_CMD_GET_OUTPUT, XAI_CMD_GET_TIMINGS,
                                 XAI_CMD_GET_LOG};
  for (size_t i = 0; i < sizeof cmds; i++) {
    xai_frame_header_init(&h, (xai_proto_command)cmds[i], seq++);
    h.engine = engine;
    send_frame(s, &h, NULL);
  }
}

static void model(xai_aisrv *s, const uint8_t *d, size_t n) {
  if (n < 2) return;
  model_upload(s, d + 2, n - 2, 256u + (uint32_t)d[0] * 15u, d[1] & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  xai_aisrv *s = make_server();
  if (size >= 8 && !memcmp(data + 4, "TFL3", 4)) { /* a seed model as is */
    model_upload(s, data, size, 4096, 0);
    return 0;
  }
  uint8_t mode = data[0] % 3;
  data++;
  size--;
  if (mode == 0) {
    size_t at = 0, piece = 1;
    while (at < size) {
      size_t k = size - at < piece ? size - at : piece;
      xai_aisrv_feed(s, data + at, k);
      at += k;
      piece = piece * 2 + (data[at - 1] & 15);
    }
  } else if (mode == 1) {
    script(s, data, size);
  } else {
    model(s, data, size);
  }
  return 0;
}
