/* See fake_device.h. Speaks docs/protocol.md with the shared protocol
 * code, one client, one thread. */
#define _POSIX_C_SOURCE 200809L
#include "fake_device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "xai/protocol.h"

typedef struct {
  fake_device *d;
  int fd;
  uint8_t model[64 * 1024];
  xai_chunk_reassembler model_rx, input_rx;
  uint8_t input[FAKE_INPUT_BYTES];
  uint8_t output[FAKE_OUTPUT_BYTES];
  uint8_t flash[FAKE_FLASH_BYTES];
  uint32_t flash_addr;
  int has_model, invoked;
  unsigned hellos, set_model_chunks;
  char log[256];
  uint8_t dec_buf[XAI_PROTO_MAX_FRAME_BYTES];
} server;

static int write_all(int fd, const uint8_t *p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int reply_chunk(server *s, const xai_frame_header *req, uint8_t status,
                       uint16_t flags, uint32_t seq, uint32_t offset,
                       uint32_t total, const void *payload, uint32_t length) {
  if (s->d->mode == FAKE_GARBAGE_FIRST) {
    static const uint8_t noise[] = {0x00, 0x58, 0x41, 0x12, 0xFF, 0x58};
    if (write_all(s->fd, noise, sizeof noise)) return -1;
  }
  xai_frame_header h = *req;
  h.status = status;
  h.flags = (uint16_t)(flags | XAI_FRAME_REPLY);
  h.seq = seq;
  h.offset = offset;
  h.total = total;
  h.length = length;
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
  size_t n = 0;
  if (xai_frame_encode(&h, payload, buf, sizeof buf, &n, NULL) != XAI_OK)
    return -1;
  return write_all(s->fd, buf, n);
}

static int reply(server *s, const xai_frame_header *req, uint8_t status,
                 const void *payload, uint32_t length) {
  return reply_chunk(s, req, status, XAI_FRAME_FIRST | XAI_FRAME_LAST,
                     req->seq, 0, length, payload, length);
}

static int reply_text(server *s, const xai_frame_header *req, uint8_t status,
                      const char *text) {
  return reply(s, req, status, text, (uint32_t)strlen(text));
}

/* Streams `data` as a reply of several chunks; stop_after >= 0 closes the
 * connection after that many chunks. */
static int reply_stream(server *s, const xai_frame_header *req,
                        const uint8_t *data, uint32_t total, int stop_after) {
  uint32_t off = 0, k = 0;
  do {
    uint32_t n = total - off > 4096 ? 4096 : total - off;
    uint16_t flags = (uint16_t)((off == 0 ? XAI_FRAME_FIRST : 0) |
                                (off + n == total ? XAI_FRAME_LAST : 0));
    if (stop_after >= 0 && (int)k == stop_after) return -1;
    if (reply_chunk(s, req, XAI_PS_OK, flags, req->seq + k, off, total,
                    data + off, n))
      return -1;
    off += n;
    k++;
  } while (off < total);
  return 0;
}

static void fill_hello(uint8_t *out, size_t *n) {
  xai_proto_hello h;
  memset(&h, 0, sizeof h);
  h.protocol_version = XAI_PROTO_VERSION;
  h.max_payload = XAI_PROTO_MAX_PAYLOAD;
  h.tiles = 2;
  h.engines = 2;
  h.clock_mhz = 800;
  h.sram_bytes_per_tile = 524288;
  h.flash_bytes = FAKE_FLASH_BYTES;
  h.timer_hz = 100000000;
  snprintf(h.device, sizeof h.device, "fake");
  xai_hello_encode(&h, out, XAI_HELLO_BYTES, n, NULL);
}

/* Returns -1 to drop the connection. */
static int handle(server *s, const xai_frame_header *h, const uint8_t *p) {
  fake_mode mode = s->d->mode;
  s->d->frames++;
  if (mode == FAKE_SILENT_AFTER_HELLO && h->command != XAI_CMD_HELLO)
    return 0;
  switch (h->command) {
    case XAI_CMD_HELLO: {
      if (mode == FAKE_BUSY_THEN_OK && s->hellos++ < 3) {
        s->d->busy_replies++;
        return reply(s, h, XAI_PS_BUSY, NULL, 0);
      }
      uint8_t buf[XAI_HELLO_BYTES];
      size_t n = 0;
      fill_hello(buf, &n);
      return reply(s, h, XAI_PS_OK, buf, (uint32_t)n);
    }
    case XAI_CMD_SET_MODEL: {
      if (h->flags & XAI_FRAME_FIRST) {
        if (h->total > sizeof s->model) {
          /* A log whose last line belongs to an earlier request. */
          snprintf(s->log, sizeof s->log,
                   "INVOKE: engine 0 has no model (an older line)\n");
          return reply_text(s, h, XAI_PS_NO_MEMORY,
                            "model needs 600000 bytes of SRAM, 480000 "
                            "available");
        }
        xai_chunk_reassembler_reset(&s->model_rx);
      }
      if (mode == FAKE_CLOSE_MID_DOWNLOAD && s->set_model_chunks++ == 2)
        return -1;
      xai_chunk_result r = xai_chunk_reassembler_add(&s->model_rx, h, p, NULL);
      if (r == XAI_CHUNK_MORE) return reply(s, h, XAI_PS_OK, NULL, 0);
      if (r != XAI_CHUNK_DONE)
        return reply_text(s, h, xai_chunk_result_status(r),
                          xai_chunk_result_name(r));
      s->has_model = 1;
      s->d->model_bytes = h->total;
      s->d->model_crc = xai_crc32(0, s->model, h->total);
      return reply(s, h, XAI_PS_OK, NULL, 0);
    }
    case XAI_CMD_GET_SPEC: {
      if (!s->has_model) return reply(s, h, XAI_PS_NO_MODEL, NULL, 0);
      xai_proto_tensor_info t[2];
      memset(t, 0, sizeof t);
      snprintf(t[0].name, sizeof t[0].name, "input");
      t[0].dtype = 9;
      t[0].rank = 2;
      t[0].shape[0] = 1;
      t[0].shape[1] = FAKE_INPUT_BYTES;
      t[0].scale = 0.5f;
      t[0].zero_point = -3;
      t[0].bytes = FAKE_INPUT_BYTES;
      snprintf(t[1].name, sizeof t[1].name, "output");
      t[1].dtype = 9;
      t[1].rank = 2;
      t[1].shape[0] = 1;
      t[1].shape[1] = FAKE_OUTPUT_BYTES;
      t[1].scale = 0.25f;
      t[1].zero_point = 1;
      t[1].bytes = FAKE_OUTPUT_BYTES;
      xai_proto_spec spec = {1234, 1, 1, t};
      uint8_t buf[1024];
      size_t n = 0;
      xai_spec_encode(&spec, buf, sizeof buf, &n, NULL);
      return reply(s, h, XAI_PS_OK, buf, (uint32_t)n);
    }
    case XAI_CMD_SET_INPUT: {
      if (!s->has_model) return reply(s, h, XAI_PS_NO_MODEL, NULL, 0);
      if (h->total != FAKE_INPUT_BYTES)
        return reply_text(s, h, XAI_PS_BAD_ARGUMENT,
                          "input 0 is 12 bytes, got a different size");
      xai_chunk_reassembler_reset(&s->input_rx);
      xai_chunk_result r = xai_chunk_reassembler_add(&s->input_rx, h, p, NULL);
      return reply(s, h, r == XAI_CHUNK_DONE ? XAI_PS_OK : XAI_PS_BAD_ARGUMENT,
                   NULL, 0);
    }
    case XAI_CMD_INVOKE:
      if (!s->has_model) {
        snprintf(s->log, sizeof s->log,
                 "boot ok\nINVOKE: engine %u has no model\n", h->engine);
        return reply(s, h, XAI_PS_NO_MODEL, NULL, 0);
      }
      for (uint32_t i = 0; i < FAKE_OUTPUT_BYTES; i++)
        s->output[i] = (uint8_t)(i * 7 + s->input[0]);
      s->invoked = 1;
      return reply(s, h, XAI_PS_OK, NULL, 0);
    case XAI_CMD_GET_OUTPUT:
      if (!s->invoked) return reply(s, h, XAI_PS_NO_MODEL, NULL, 0);
      return reply_stream(s, h, s->output, FAKE_OUTPUT_BYTES,
                          mode == FAKE_CLOSE_MID_OUTPUT ? 1 : -1);
    case XAI_CMD_GET_TIMINGS: {
      xai_proto_layer_timing l[2];
      memset(l, 0, sizeof l);
      l[0].ticks = 150000; /* 1.5 ms */
      snprintf(l[0].op, sizeof l[0].op, "XAI_conv2d_v2");
      l[1].ticks = 2500;
      snprintf(l[1].op, sizeof l[1].op, "SOFTMAX");
      uint8_t buf[512];
      size_t n = 0;
      xai_timings_encode(l, 2, buf, sizeof buf, &n, NULL);
      return reply(s, h, XAI_PS_OK, buf, (uint32_t)n);
    }
    case XAI_CMD_GET_LOG: {
      int rc = reply_text(s, h, XAI_PS_OK, s->log);
      s->log[0] = '\0';
      return rc;
    }
    case XAI_CMD_FLASH_WRITE: {
      if (h->arg + h->total > FAKE_FLASH_BYTES)
        return reply_text(s, h, XAI_PS_TOO_LARGE, "past the end of flash");
      memcpy(s->flash + h->arg + h->offset, p, h->length);
      return reply(s, h, XAI_PS_OK, NULL, 0);
    }
    case XAI_CMD_FLASH_READ: {
      if (h->length != 4) return reply(s, h, XAI_PS_BAD_ARGUMENT, NULL, 0);
      uint32_t n = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
                   (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
      if (h->arg + n > FAKE_FLASH_BYTES)
        return reply_text(s, h, XAI_PS_TOO_LARGE, "past the end of flash");
      return reply_stream(s, h, s->flash + h->arg, n, -1);
    }
    default:
      return reply(s, h, XAI_PS_BAD_COMMAND, NULL, 0);
  }
}

static void *serve(void *arg) {
  fake_device *d = arg;
  server *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->d = d;
  memset(s->flash, 0xFF, sizeof s->flash);
  xai_chunk_reassembler_init(&s->model_rx, s->model, sizeof s->model);
  xai_chunk_reassembler_init(&s->input_rx, s->input, sizeof s->input);
  s->fd = accept(d->listen_fd, NULL, NULL);
  if (s->fd < 0) {
    free(s);
    return NULL;
  }
  xai_frame_decoder dec;
  xai_frame_decoder_init(&dec, s->dec_buf, sizeof s->dec_buf, NULL);
  uint8_t buf[8192];
  int alive = 1;
  while (alive) {
    ssize_t r = recv(s->fd, buf, sizeof buf, 0);
    if (r <= 0) break;
    size_t pos = 0;
    while (alive && pos < (size_t)r) {
      size_t used = 0;
      xai_decoded_frame f;
      xai_decode_event ev =
          xai_frame_decoder_feed(&dec, buf + pos, (size_t)r - pos, &used, &f);
      pos += used;
      if (ev == XAI_DECODE_FRAME && handle(s, &f.header, f.payload) != 0)
        alive = 0;
    }
  }
  close(s->fd);
  free(s);
  return NULL;
}

int fake_device_start(fake_device *d, fake_mode mode) {
  memset(d, 0, sizeof *d);
  d->mode = mode;
  char dir[] = "/tmp/xai-fake-XXXXXX";
  if (!mkdtemp(dir)) return -1;
  snprintf(d->path, sizeof d->path, "%s/dev.sock", dir);
  d->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof a.sun_path, "%s", d->path);
  if (d->listen_fd < 0 ||
      bind(d->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      listen(d->listen_fd, 1) != 0)
    return -1;
  return pthread_create(&d->thread, NULL, serve, d) == 0 ? 0 : -1;
}

void fake_device_stop(fake_device *d) {
  pthread_join(d->thread, NULL);
  close(d->listen_fd);
  unlink(d->path);
  char *slash = strrchr(d->path, '/');
  if (slash) {
    *slash = '\0';
    rmdir(d->path);
  }
}
