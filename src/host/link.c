/* Request/reply over a transport (docs/protocol.md sections 4 and 5): the
 * host numbers its frames, waits for the reply that echoes each seq, and
 * reassembles streamed replies. Timeouts are per reply, so a transfer that
 * keeps moving never times out but a silent peer is noticed in time. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "device_internal.h"

/* Largest streamed reply accepted: a whole 64 MiB LPDDR or a 16 MiB flash
 * read fits; anything bigger is a corrupt `total`. */
#define MAX_REPLY_BYTES (256u * 1024u * 1024u)
/* Pause before resending a frame the device answered BUSY. */
#define BUSY_RETRY_MS 20u
/* After a failure, stale replies may still arrive: skip this far ahead so
 * none of them can match a later request's seq. */
#define SEQ_SKIP_AFTER_ERROR 0x10000u

void xai_link_request(xai_frame_header *hdr, uint8_t command, uint8_t engine,
                      uint16_t tensor, uint32_t arg) {
  xai_frame_header_init(hdr, (xai_proto_command)command, 0);
  hdr->engine = engine;
  hdr->tensor = tensor;
  hdr->arg = arg;
}

static void sleep_ms(uint32_t ms) {
  struct timespec ts = {(time_t)(ms / 1000u), (long)(ms % 1000u) * 1000000L};
  nanosleep(&ts, NULL);
}

/* Prefixes err's message with the command, keeping its status. */
static xai_status in_command(xai_error *err, xai_status st,
                             const xai_frame_header *req) {
  if (!err) return st;
  char msg[XAI_ERROR_MESSAGE_BYTES];
  snprintf(msg, sizeof msg, "%s", err->message);
  xai_error_clear(err);
  return xai_fail(err, st, "%s (engine %u): %s",
                  xai_proto_command_name(req->command), req->engine, msg);
}

/* The next complete frame from the device, or an error at the deadline.
 * *payload points into the decoder and is valid until the next call. */
static xai_status next_frame(xai_host_device *dev, uint64_t deadline,
                             xai_frame_header *hdr, const uint8_t **payload,
                             xai_error *err) {
  for (;;) {
    while (dev->rx_pos < dev->rx_have) {
      size_t used = 0;
      xai_decoded_frame f;
      xai_decode_event ev =
          xai_frame_decoder_feed(&dev->dec, dev->rx + dev->rx_pos,
                                 dev->rx_have - dev->rx_pos, &used, &f);
      dev->rx_pos += used;
      switch (ev) {
        case XAI_DECODE_FRAME:
          *hdr = f.header;
          *payload = f.payload;
          return XAI_OK;
        case XAI_DECODE_NEED_MORE:
        case XAI_DECODE_BAD_MAGIC:
        case XAI_DECODE_HEADER_CRC: /* the decoder resyncs by itself */
          break;
        default:
          return xai_fail(err, XAI_ERR_IO,
                          "a reply from the device was damaged (%s); check "
                          "the cable or bus",
                          xai_decode_event_name(ev));
      }
    }
    dev->rx_pos = dev->rx_have = 0;
    /* Past the deadline one short read still runs: a client that was
     * stopped (Ctrl-Z) finds the device's notice waiting for it. */
    uint32_t left = xai_host_ms_left(deadline);
    size_t got = 0;
    xai_status st = dev->t->recv(dev->t, dev->rx, sizeof dev->rx, &got,
                                 left ? left : 1, err);
    if (st != XAI_OK && xai_host_ms_left(deadline) == 0) {
      /* The transport's own timeout message knows less than we do. */
      xai_error_clear(err);
      return xai_fail(err, XAI_ERR_IO,
                      "no reply from %s within %u ms (the device may have "
                      "stopped; a longer timeout helps only if it is just "
                      "slow)",
                      dev->t->description, dev->timeout_ms);
    }
    if (st != XAI_OK) return st;
    dev->rx_have = got;
  }
}

static xai_status send_frame(xai_host_device *dev, const xai_frame_header *hdr,
                             const uint8_t *payload, uint64_t deadline,
                             xai_error *err) {
  size_t n = 0;
  xai_status st =
      xai_frame_encode(hdr, payload, dev->tx, sizeof dev->tx, &n, err);
  if (st != XAI_OK) return st;
  uint32_t left = xai_host_ms_left(deadline);
  return dev->t->send(dev->t, dev->tx, n, left ? left : 1, err);
}

/* The frame a device sends in place of a reply when it drops this
 * connection (docs/protocol.md section 4): command NONE, seq 0xFFFFFFFF,
 * status BUSY, the reason as payload. */
static bool is_drop_notice(const xai_frame_header *h) {
  return h->command == XAI_CMD_NONE && h->seq == 0xFFFFFFFFu &&
         h->status == XAI_PS_BUSY && (h->flags & XAI_FRAME_REPLY);
}

static xai_status dropped(const xai_frame_header *req,
                          const xai_frame_header *notice,
                          const uint8_t *payload, xai_error *err) {
  int n = notice->length < 300 ? (int)notice->length : 300;
  xai_error_clear(err);
  return xai_fail(err, XAI_ERR_IO, "%s (engine %u): %.*s",
                  xai_proto_command_name(req->command), req->engine, n,
                  (const char *)payload);
}

/* After a failed send: the device may have said why it closed the link.
 * True when it did (err then says so). */
static bool drop_notice_after(xai_host_device *dev,
                              const xai_frame_header *req, xai_error *err) {
  xai_frame_header h;
  const uint8_t *p = NULL;
  xai_error ignored;
  while (next_frame(dev, xai_host_now_ms() + 100, &h, &p, &ignored) ==
         XAI_OK)
    if (is_drop_notice(&h)) {
      dropped(req, &h, p, err);
      return true;
    }
  return false;
}

/* The last non-empty line of the device log, for error messages. */
static void last_log_line(xai_host_device *dev, char *line, size_t cap) {
  line[0] = '\0';
  char log[1024];
  size_t size = 0;
  xai_error ignored;
  dev->in_error_report = true;
  xai_status st = xai_host_read_log(dev, log, sizeof log, &size, &ignored);
  dev->in_error_report = false;
  if (st != XAI_OK) return;
  size_t end = strlen(log);
  while (end > 0 && (log[end - 1] == '\n' || log[end - 1] == '\r')) end--;
  log[end] = '\0';
  const char *start = strrchr(log, '\n');
  snprintf(line, cap, "%s", start ? start + 1 : log);
}

static xai_status device_error(xai_host_device *dev,
                               const xai_frame_header *req,
                               const xai_frame_header *rep,
                               const uint8_t *payload, xai_error *err) {
  char message[300];
  size_t n = rep->length < sizeof message - 1 ? rep->length
                                              : sizeof message - 1;
  memcpy(message, payload, n);
  message[n] = '\0';
  while (n > 0 && (message[n - 1] == '\n' || message[n - 1] == '\r'))
    message[--n] = '\0';
  char log[300] = "";
  /* Only a reply without its own message borrows the device log's last
   * line: any other line would belong to an earlier request. */
  if (!n && !dev->in_error_report && req->command != XAI_CMD_GET_LOG)
    last_log_line(dev, log, sizeof log);
  xai_status st = xai_host_status_from_device((xai_proto_status)rep->status);
  /* A log line that only repeats the reply's message adds nothing. */
  const bool same = log[0] && n && strstr(log, message) != NULL;
  return xai_fail(err, st, "%s (engine %u): device replied %s%s%s%s%s",
                  xai_proto_command_name(req->command), req->engine,
                  xai_proto_status_name(rep->status), n ? ": " : "", message,
                  (log[0] && !same) ? "; device log: " : "",
                  same ? "" : log);
}

/* Reads the rest of a streamed reply whose first chunk is `first`. */
static xai_status read_stream(xai_host_device *dev,
                              const xai_frame_header *first,
                              const uint8_t *payload, uint8_t **out,
                              size_t *out_size, xai_error *err) {
  if (first->total > MAX_REPLY_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the device announced a %u-byte reply, more than the "
                    "%u-byte limit",
                    first->total, MAX_REPLY_BYTES);
  uint8_t *buf = malloc(first->total ? first->total : 1);
  if (!buf)
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory for a %u-byte reply",
                    first->total);
  xai_chunk_reassembler r;
  xai_chunk_reassembler_init(&r, buf, first->total);
  xai_frame_header h = *first;
  for (;;) {
    xai_chunk_result cr = xai_chunk_reassembler_add(&r, &h, payload, err);
    if (cr == XAI_CHUNK_DONE) break;
    if (cr != XAI_CHUNK_MORE) {
      free(buf);
      return xai_fail(err, XAI_ERR_IO,
                      "a streamed reply from the device broke off (%s)",
                      xai_chunk_result_name(cr));
    }
    /* Each chunk resets the wait: a long transfer that keeps moving is
     * fine, a silent one is not. */
    xai_status st = next_frame(dev, xai_host_now_ms() + dev->timeout_ms, &h,
                               &payload, err);
    if (st == XAI_OK && h.status != XAI_PS_OK) {
      xai_status ds = is_drop_notice(&h)
                          ? dropped(first, &h, payload, err)
                          : device_error(dev, first, &h, payload, err);
      free(buf);
      return ds;
    }
    if (st != XAI_OK) {
      free(buf);
      return st;
    }
  }
  *out = buf;
  *out_size = first->total;
  return XAI_OK;
}

xai_status xai_link_exchange(xai_host_device *dev, xai_frame_header *hdr,
                             const uint8_t *payload, uint8_t **reply,
                             size_t *reply_size, xai_error *err) {
  if (reply) *reply = NULL;
  if (reply_size) *reply_size = 0;
  hdr->seq = dev->seq++;
  const uint64_t start = xai_host_now_ms();
  uint64_t deadline = start + dev->timeout_ms;
  unsigned crc_retries = 0;
  uint64_t busy_since = 0; /* first BUSY reply: another client held it */
  char holder[128] = "";
  xai_status st = send_frame(dev, hdr, payload, deadline, err);
  for (;;) {
    xai_frame_header rep;
    const uint8_t *rp = NULL;
    if (st != XAI_OK) {
      dev->seq += SEQ_SKIP_AFTER_ERROR;
      return drop_notice_after(dev, hdr, err) ? XAI_ERR_IO
                                              : in_command(err, st, hdr);
    }
    st = next_frame(dev, deadline, &rep, &rp, err);
    if (st == XAI_OK && is_drop_notice(&rep)) {
      dev->seq += SEQ_SKIP_AFTER_ERROR;
      return dropped(hdr, &rep, rp, err);
    }
    if (st != XAI_OK) {
      dev->seq += SEQ_SKIP_AFTER_ERROR;
      return in_command(err, st, hdr);
    }
    /* A device that could not read our header answers CRC_ERROR with
     * command NONE and seq 0xFFFFFFFF (docs/protocol.md section 4). */
    const bool unreadable = rep.command == XAI_CMD_NONE &&
                            rep.status == XAI_PS_CRC_ERROR &&
                            rep.seq == 0xFFFFFFFFu;
    if (!unreadable && (rep.seq != hdr->seq || !(rep.flags & XAI_FRAME_REPLY)))
      continue; /* a stale reply to an earlier, abandoned request */
    const bool restartable = (hdr->flags & XAI_FRAME_FIRST) != 0;
    if ((unreadable || rep.status == XAI_PS_CRC_ERROR) && crc_retries < 2) {
      crc_retries++; /* the request was damaged on the way: send it again */
      st = send_frame(dev, hdr, payload, deadline, err);
      continue;
    }
    if (rep.status == XAI_PS_BUSY && restartable &&
        xai_host_ms_left(deadline) > BUSY_RETRY_MS) {
      /* Another client holds the device: wait our turn, up to the timeout.
       * A device that says who holds it gets named when we are served. */
      if (!busy_since) busy_since = xai_host_now_ms();
      if (rep.length) {
        size_t n = rep.length < sizeof holder - 1 ? rep.length
                                                 : sizeof holder - 1;
        memcpy(holder, rp, n);
        holder[n] = '\0';
      }
      sleep_ms(BUSY_RETRY_MS);
      st = send_frame(dev, hdr, payload, deadline, err);
      continue;
    }
    if (busy_since && rep.status != XAI_PS_BUSY)
      snprintf(dev->wait_note, sizeof dev->wait_note,
               "device was %s; served after %.1f s",
               holder[0] ? holder : "busy with another client",
               (double)(xai_host_now_ms() - busy_since) / 1000.0);
    if (rep.status != XAI_PS_OK) {
      if (rep.status == XAI_PS_BUSY)
        return xai_fail(err, XAI_ERR_STATE,
                        "%s (engine %u): device stayed BUSY for %u ms%s%s "
                        "(is another program using it?)",
                        xai_proto_command_name(hdr->command), hdr->engine,
                        dev->timeout_ms, holder[0] ? ", " : "", holder);
      return device_error(dev, hdr, &rep, rp, err);
    }
    const bool whole = (rep.flags & XAI_FRAME_FIRST) &&
                       (rep.flags & XAI_FRAME_LAST) && rep.offset == 0 &&
                       rep.total == rep.length;
    if (whole) {
      if (reply) {
        *reply = malloc(rep.length ? rep.length : 1);
        if (!*reply)
          return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
        if (rep.length) memcpy(*reply, rp, rep.length);
        *reply_size = rep.length;
      }
      return XAI_OK;
    }
    uint8_t *buf = NULL;
    size_t size = 0;
    st = read_stream(dev, &rep, rp, &buf, &size, err);
    if (st != XAI_OK) {
      dev->seq += SEQ_SKIP_AFTER_ERROR;
      return in_command(err, st, hdr);
    }
    if (reply) {
      *reply = buf;
      *reply_size = size;
    } else {
      free(buf);
    }
    return XAI_OK;
  }
}

xai_status xai_link_send_transfer(xai_host_device *dev, uint8_t command,
                                  uint8_t engine, uint16_t tensor,
                                  uint32_t arg, const void *data, size_t size,
                                  xai_host_progress_fn progress,
                                  void *progress_user, xai_error *err) {
  return xai_link_send_transfer_reply(dev, command, engine, tensor, arg, data,
                                      size, progress, progress_user, NULL,
                                      NULL, err);
}

xai_status xai_link_send_transfer_reply(xai_host_device *dev, uint8_t command,
                                        uint8_t engine, uint16_t tensor,
                                        uint32_t arg, const void *data,
                                        size_t size,
                                        xai_host_progress_fn progress,
                                        void *progress_user, uint8_t **reply,
                                        size_t *reply_size, xai_error *err) {
  if (reply) *reply = NULL;
  if (reply_size) *reply_size = 0;
  if (size > UINT32_MAX)
    return xai_fail(err, XAI_ERR_RANGE, "%s: %zu bytes is more than 4 GiB",
                    xai_proto_command_name(command), size);
  uint32_t chunk = dev->hello.max_payload;
  if (chunk == 0 || chunk > XAI_PROTO_MAX_PAYLOAD) chunk = XAI_PROTO_MAX_PAYLOAD;
  xai_frame_header base;
  xai_link_request(&base, command, engine, tensor, arg);
  xai_chunk_writer w;
  xai_status st = xai_chunk_writer_init(&w, &base, data, (uint32_t)size, chunk,
                                        err);
  if (st != XAI_OK) return st;
  xai_frame_header hdr;
  const uint8_t *p = NULL;
  uint64_t done = 0;
  if (progress) progress(progress_user, 0, size);
  while (xai_chunk_writer_next(&w, &hdr, &p)) {
    /* exchange numbers frames with dev->seq, one up per chunk, so the
     * chunk seqs run on from the first as section 5 requires. */
    /* Only the reply to the last chunk carries a payload worth keeping. */
    const bool last = (hdr.flags & XAI_FRAME_LAST) != 0;
    st = xai_link_exchange(dev, &hdr, p, last ? reply : NULL,
                           last ? reply_size : NULL, err);
    if (st != XAI_OK) return st;
    done += hdr.length;
    if (progress) progress(progress_user, done, size);
  }
  return XAI_OK;
}
