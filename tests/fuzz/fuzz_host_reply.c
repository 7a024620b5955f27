/* libFuzzer target: the host library's side of the link, with the fuzzer
 * playing the device. A fake transport records each request the host
 * sends and answers from the input: either raw bytes, or a reply frame
 * built for that request (right or stale seq, any status, single or
 * streamed, payload from the input), possibly damaged and delivered in
 * pieces. The host runs a script of commands (also from the input) that
 * covers every reply decoder: HELLO, GET_SPEC, GET_OUTPUT, GET_TIMINGS,
 * GET_LOG, FLASH_READ (and the flash image read back through it),
 * SET_MODEL's placement, transfers. Every call must return a status with
 * a NUL-terminated message, never crash, hang or allocate what the device
 * merely announces beyond the library's limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "device_internal.h"
#include "xai/host_placement.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
  xai_transport base;
  const uint8_t *in;
  size_t left;
  xai_frame_header req; /* the last request sent */
  uint8_t pending[XAI_PROTO_MAX_FRAME_BYTES];
  size_t pending_n, pending_pos;
  uint32_t stream_seq, stream_off, stream_total, stream_chunk;
} fake_link;

static uint8_t take(fake_link *f) {
  if (!f->left) return 0;
  f->left--;
  return *f->in++;
}

static uint32_t take_u16(fake_link *f) {
  uint32_t lo = take(f);
  return lo | (uint32_t)take(f) << 8;
}

static xai_status fake_send(xai_transport *t, const uint8_t *d, size_t n,
                            uint32_t timeout_ms, xai_error *err) {
  (void)timeout_ms;
  fake_link *f = (fake_link *)t;
  const uint8_t *payload;
  size_t used;
  /* The host must only ever send well-formed frames. */
  if (xai_frame_decode(d, n, &f->req, &payload, &used, err) != XAI_OK ||
      used != n || (f->req.flags & XAI_FRAME_REPLY))
    abort();
  return XAI_OK;
}

/* One reply frame for the last request, shaped by the input. Streamed
 * replies continue where the previous chunk stopped (seq + 1, offset
 * advanced) unless the input breaks them. */
static void make_reply(fake_link *f) {
  uint8_t shape = take(f);
  xai_frame_header h;
  xai_frame_header_init(&h, (xai_proto_command)f->req.command, f->req.seq);
  h.flags |= XAI_FRAME_REPLY;
  h.engine = f->req.engine;
  h.tensor = f->req.tensor;
  h.arg = f->req.arg;
  if (shape & 0x01) h.status = take(f) % (XAI_PS_COUNT + 1);
  if (shape & 0x02) h.seq -= 1 + (take(f) & 3); /* stale */
  if (shape & 0x04) h.command = take(f) % (XAI_CMD_COUNT + 1);
  uint32_t length = take_u16(f) % (XAI_PROTO_MAX_PAYLOAD + 1);
  const bool streamed = (shape & 0x08) != 0;
  if (streamed && f->stream_seq != f->req.seq) { /* a new stream */
    f->stream_seq = f->req.seq;
    f->stream_off = 0;
    f->stream_chunk = 0;
    f->stream_total = take_u16(f) * 4u;
  }
  uint32_t gap = (streamed && (shape & 0x40)) ? take_u16(f) : UINT32_MAX;
  if (shape & 0x10) h.arg = take_u16(f);
  /* The payload is what the input has left. */
  if (length > f->left) length = (uint32_t)f->left;
  h.length = h.total = length;
  if (streamed) { /* one chunk, continuing the stream */
    h.seq += f->stream_chunk++;
    h.offset = f->stream_off;
    h.total = f->stream_total;
    if (h.offset > h.total) h.offset = h.total;
    if (length > h.total - h.offset) length = h.total - h.offset;
    h.length = length;
    h.flags = XAI_FRAME_REPLY;
    if (h.offset == 0) h.flags |= XAI_FRAME_FIRST;
    if (h.offset + length == h.total) h.flags |= XAI_FRAME_LAST;
    f->stream_off += length;
    if (gap != UINT32_MAX) h.offset = gap; /* a gap or an overlap */
  }
  size_t n = 0;
  if (xai_frame_encode(&h, f->in, f->pending, sizeof f->pending, &n, NULL) !=
      XAI_OK) {
    n = 0;
  }
  f->in += length;
  f->left -= length;
  if (n && (shape & 0x20)) { /* a damaged byte */
    size_t at = take_u16(f) % n;
    f->pending[at] ^= (uint8_t)(1u << (take(f) & 7));
  }
  f->pending_n = n;
  f->pending_pos = 0;
}

static xai_status fake_recv(xai_transport *t, uint8_t *buf, size_t cap,
                            size_t *got, uint32_t timeout_ms, xai_error *err) {
  (void)timeout_ms;
  fake_link *f = (fake_link *)t;
  if (f->pending_pos == f->pending_n) {
    if (!f->left) return xai_fail(err, XAI_ERR_IO, "the fake device has gone");
    uint8_t how = take(f);
    if (how & 1) {
      make_reply(f);
    } else { /* raw bytes */
      size_t n = take_u16(f) % sizeof f->pending;
      if (n > f->left) n = f->left;
      memcpy(f->pending, f->in, n);
      f->in += n;
      f->left -= n;
      f->pending_n = n;
      f->pending_pos = 0;
    }
    if (f->pending_n == 0)
      return xai_fail(err, XAI_ERR_IO, "the fake device sent nothing");
  }
  /* Delivered whole or in a piece (USB packets, short reads). */
  size_t n = f->pending_n - f->pending_pos;
  uint8_t piece = f->left ? f->in[0] : 0;
  if (piece & 0x80) n = n < (size_t)(piece & 0x7F) + 1 ? n : (size_t)(piece & 0x7F) + 1;
  if (n > cap) n = cap;
  memcpy(buf, f->pending + f->pending_pos, n);
  f->pending_pos += n;
  *got = n;
  return XAI_OK;
}

static void fake_close(xai_transport *t) { (void)t; }

/* A failed call leaves one NUL-terminated, non-empty message. */
static void check_error(xai_status st, const xai_error *err) {
  if (st == XAI_OK) return;
  if (memchr(err->message, '\0', sizeof err->message) == NULL ||
      err->message[0] == '\0')
    abort();
}

static uint8_t blob[6000]; /* a "model" of two chunks */
static uint8_t out[8192];
static xai_proto_layer_timing layers[16];

static void run_command(xai_host_device *dev, uint8_t c, xai_error *err) {
  xai_status st = XAI_OK;
  size_t n = 0;
  switch (c % 12) {
    case 0: {
      xai_proto_hello h;
      st = xai_host_hello(dev, &h, err);
      if (!st && memchr(h.device, '\0', sizeof h.device) == NULL) abort();
      break;
    }
    case 1: {
      xai_host_spec spec;
      st = xai_host_read_spec(dev, 0, &spec, err);
      if (!st && (uint32_t)spec.input_count + spec.output_count >
                     XAI_HOST_MAX_TENSORS)
        abort();
      break;
    }
    case 2:
      st = xai_host_read_output(dev, 0, 0, out, sizeof out, &n, err);
      if (!st && n > sizeof out) abort();
      break;
    case 3: {
      uint32_t count = 0;
      st = xai_host_read_times(dev, 0, layers, 16, &count, err);
      if (!st && count > 16) abort();
      break;
    }
    case 4: {
      char log[256];
      st = xai_host_read_log(dev, log, sizeof log, &n, err);
      if (!st && strlen(log) >= sizeof log) abort();
      break;
    }
    case 5:
      st = xai_host_flash_read(dev, 4096, out, sizeof out, NULL, NULL, err);
      break;
    case 6:
      st = xai_host_download_model(dev, 0, blob, sizeof blob,
                                   XAI_MODEL_TO_SRAM, NULL, NULL, err);
      if (!st) {
        xai_proto_placement p;
        xai_host_last_placement(dev, &p);
      }
      break;
    case 7:
      st = xai_host_write_input(dev, 0, 0, blob, 100, err);
      break;
    case 8:
      st = xai_host_invoke(dev, 0, err);
      break;
    case 9: {
      xai_host_model_placement p;
      st = xai_host_flash_entry_placement(dev, 0, &p, err);
      break;
    }
    case 10:
      st = xai_host_set_model_from_flash(dev, 0, 0, err);
      break;
    case 11:
      st = xai_host_reset(dev, err);
      break;
  }
  check_error(st, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static xai_host_device dev;
  static fake_link link;
  memset(&link, 0, sizeof link);
  link.base.send = fake_send;
  link.base.recv = fake_recv;
  link.base.close = fake_close;
  link.stream_seq = UINT32_MAX;
  strcpy(link.base.description, "fuzz device");
  memset(&dev, 0, offsetof(xai_host_device, dec_buf));
  dev.t = &link.base;
  /* Short enough that a BUSY reply is never waited out (retries sleep
   * 20 ms), long enough that a loaded machine rarely times out. */
  dev.timeout_ms = 20;
  if (size < 1) return 0;
  dev.seq = (uint32_t)data[0] << 24;
  if (xai_frame_decoder_init(&dev.dec, dev.dec_buf, sizeof dev.dec_buf,
                             NULL) != XAI_OK)
    abort();
  /* The script: the first bytes pick up to 8 commands, the rest is the
   * device's side. A first HELLO is what xai_host_connect does. */
  size_t script = 1 + (data[0] & 7);
  if (script > size) script = size;
  link.in = data + script;
  link.left = size - script;
  xai_error err;
  run_command(&dev, 0, &err);
  for (size_t i = 1; i < script; i++) run_command(&dev, data[i], &err);
  return 0;
}
