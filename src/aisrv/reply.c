/* Reply frames: one frame for most commands, a chunked stream for data the
 * device sends back (outputs, flash contents, the log, large specs). */
#include <stdio.h>
#include <string.h>

#include "aisrv_internal.h"

static void reply_header(xai_frame_header *out, const xai_frame_header *req,
                         xai_proto_status st) {
  xai_frame_header_init(out, (xai_proto_command)req->command, req->seq);
  out->status = (uint8_t)st;
  out->engine = req->engine;
  out->tensor = req->tensor;
  out->arg = req->arg;
  out->flags |= XAI_FRAME_REPLY;
}

static void emit(xai_aisrv *s, const xai_frame_header *h, const void *payload) {
  size_t written = 0;
  xai_error err = {0};
  /* Headers built here are always consistent; a failure is a server bug,
   * so there is nothing better to send than nothing. */
  if (xai_frame_encode(h, payload, s->frame, XAI_PROTO_MAX_FRAME_BYTES,
                       &written, &err) == XAI_OK)
    s->cfg.write(s->cfg.write_user, s->frame, written);
}

void aisrv_reply(xai_aisrv *s, const xai_frame_header *req,
                 xai_proto_status st, const void *payload, uint32_t n) {
  xai_frame_header h;
  reply_header(&h, req, st);
  if (n > XAI_PROTO_MAX_PAYLOAD) n = XAI_PROTO_MAX_PAYLOAD;
  h.length = n;
  h.total = n;
  emit(s, &h, n ? payload : NULL);
}

void aisrv_reply_error(xai_aisrv *s, const xai_frame_header *req,
                       xai_proto_status st, const char *fmt, ...) {
  char msg[XAI_ERROR_MESSAGE_BYTES];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  size_t len = aisrv_strnlen(msg, sizeof msg);
  aisrv_log(s, "%s: %s: %s", xai_proto_command_name(req->command),
            xai_proto_status_name(st), msg);
  aisrv_reply(s, req, st, msg, (uint32_t)len);
}

void aisrv_reply_stream(xai_aisrv *s, const xai_frame_header *req,
                        uint32_t total, aisrv_source_fn read, void *ctx) {
  xai_frame_header h;
  reply_header(&h, req, XAI_PS_OK);
  uint32_t offset = 0, k = 0;
  do {
    uint32_t left = total - offset;
    uint32_t n = left < XAI_PROTO_MAX_PAYLOAD ? left : XAI_PROTO_MAX_PAYLOAD;
    if (n && read(ctx, offset, s->payload, n) != XAI_OK) {
      /* A read that fails mid-stream (flash error) ends the stream with an
       * error frame in place of the chunk, so the host stops waiting. */
      xai_frame_header e;
      reply_header(&e, req, XAI_PS_BAD_ARGUMENT);
      e.seq = req->seq + k;
      static const char msg[] = "device read failed mid-stream; see GET_LOG";
      e.length = e.total = (uint32_t)(sizeof msg - 1);
      aisrv_log(s, "%s: read of %u bytes at offset %u failed",
                xai_proto_command_name(req->command), n, offset);
      emit(s, &e, msg);
      return;
    }
    h.seq = req->seq + k;
    h.flags = (uint16_t)(XAI_FRAME_REPLY | (offset == 0 ? XAI_FRAME_FIRST : 0) |
                         (offset + n == total ? XAI_FRAME_LAST : 0));
    h.offset = offset;
    h.total = total;
    h.length = n;
    emit(s, &h, n ? s->payload : NULL);
    offset += n;
    k++;
  } while (offset < total);
}

static xai_status read_memory(void *ctx, uint32_t offset, void *dst,
                              uint32_t n) {
  memcpy(dst, (const uint8_t *)ctx + offset, n);
  return XAI_OK;
}

void aisrv_reply_memory(xai_aisrv *s, const xai_frame_header *req,
                        const void *data, uint32_t total) {
  aisrv_reply_stream(s, req, total, read_memory, (void *)(uintptr_t)data);
}

size_t xai_aisrv_encode_busy(const xai_frame_header *request, uint8_t *out,
                             size_t cap) {
  xai_frame_header h;
  reply_header(&h, request, XAI_PS_BUSY);
  size_t written = 0;
  if (xai_frame_encode(&h, NULL, out, cap, &written, NULL) != XAI_OK) return 0;
  return written;
}
