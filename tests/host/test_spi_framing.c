/* SPI polling and transactions (docs/protocol.md, "SPI") against a
 * simulated device on a fake bus: the exact opcodes and lengths, a frame
 * round trip through the polling scheme, a floating MISO (no device), a
 * device that stays busy (timeout), and spidev absent. */
#include <string.h>

#include "framing_internal.h"
#include "testlib.h"
#include "transport_internal.h"
#include "xai/host.h"

/* A device that answers any request frame with an OK reply echoing it. */
typedef struct {
  xai_frame_decoder dec;
  uint8_t dec_buf[XAI_PROTO_MAX_FRAME_BYTES];
  uint8_t reply[XAI_PROTO_MAX_FRAME_BYTES];
  size_t reply_len, reply_pos;
  unsigned busy_polls; /* STATUS polls answered BUSY before READY */
  int absent;          /* MISO floats high */
  unsigned statuses, writes, reads;
  size_t max_read;     /* largest READ length seen, opcode excluded */
  uint8_t last_op;
} sim_device;

static xai_status sim_transfer(void *user, const uint8_t *tx, uint8_t *rx,
                               size_t n, xai_error *err) {
  (void)err;
  sim_device *d = user;
  memset(rx, 0xFF, n);
  if (d->absent) return XAI_OK;
  CHECK(n >= 1);
  d->last_op = tx[0];
  if (tx[0] == XAI_SPI_OP_STATUS) {
    CHECK_EQ_INT(n, 1 + XAI_SPI_STATUS_BYTES);
    d->statuses++;
    xai_spi_status s = {0, 0};
    if (d->busy_polls > 0) {
      d->busy_polls--;
      s.flags = XAI_SPI_BUSY;
    } else {
      size_t waiting = d->reply_len - d->reply_pos;
      s.flags = (uint8_t)(waiting ? XAI_SPI_REPLY : XAI_SPI_READY);
      s.reply_bytes = (uint32_t)waiting;
    }
    xai_spi_status_encode(&s, rx + 1);
  } else if (tx[0] == XAI_SPI_OP_WRITE) {
    d->writes++;
    size_t pos = 1;
    while (pos < n) {
      size_t used = 0;
      xai_decoded_frame f;
      xai_decode_event ev =
          xai_frame_decoder_feed(&d->dec, tx + pos, n - pos, &used, &f);
      pos += used;
      if (ev == XAI_DECODE_FRAME) {
        xai_frame_header h = f.header;
        h.flags |= XAI_FRAME_REPLY;
        xai_frame_encode(&h, f.payload, d->reply, sizeof d->reply,
                         &d->reply_len, NULL);
        d->reply_pos = 0;
      }
    }
  } else if (tx[0] == XAI_SPI_OP_READ) {
    d->reads++;
    if (n - 1 > d->max_read) d->max_read = n - 1;
    CHECK(n - 1 <= d->reply_len - d->reply_pos);
    memcpy(rx + 1, d->reply + d->reply_pos, n - 1);
    d->reply_pos += n - 1;
  }
  return XAI_OK;
}

static void test_round_trip(unsigned busy_polls, size_t recv_cap) {
  static sim_device d;
  memset(&d, 0, sizeof d);
  xai_frame_decoder_init(&d.dec, d.dec_buf, sizeof d.dec_buf, NULL);
  d.busy_polls = busy_polls;
  static xai_spi_link link;
  xai_spi_link_init(&link, sim_transfer, &d);
  link.poll_us = 1;

  uint8_t payload[1000];
  for (size_t i = 0; i < sizeof payload; i++) payload[i] = (uint8_t)(i * 3);
  xai_frame_header h;
  xai_frame_header_init(&h, XAI_CMD_SET_INPUT, 77);
  h.length = h.total = sizeof payload;
  uint8_t frame[XAI_PROTO_MAX_FRAME_BYTES];
  size_t n = 0;
  CHECK_EQ_INT(xai_frame_encode(&h, payload, frame, sizeof frame, &n, NULL),
               XAI_OK);
  uint64_t deadline = xai_host_now_ms() + 2000;
  CHECK_EQ_INT(xai_spi_send_frame(&link, frame, n, deadline, NULL), XAI_OK);
  CHECK_EQ_INT(d.writes, 1);
  CHECK_EQ_INT(d.statuses, busy_polls + 1); /* polled until READY */

  /* Read the reply in pieces of at most recv_cap, as a decoder would. */
  xai_frame_decoder dec;
  static uint8_t dec_buf[XAI_PROTO_MAX_FRAME_BYTES];
  xai_frame_decoder_init(&dec, dec_buf, sizeof dec_buf, NULL);
  int got_frame = 0;
  for (int guard = 0; guard < 100 && !got_frame; guard++) {
    uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
    size_t got = 0;
    CHECK_EQ_INT(xai_spi_recv(&link, buf, recv_cap, &got, deadline, NULL),
                 XAI_OK);
    CHECK(got > 0 && got <= recv_cap);
    size_t pos = 0;
    while (pos < got) {
      size_t used = 0;
      xai_decoded_frame f;
      if (xai_frame_decoder_feed(&dec, buf + pos, got - pos, &used, &f) ==
          XAI_DECODE_FRAME) {
        got_frame = 1;
        CHECK_EQ_INT(f.header.seq, 77);
        CHECK(f.header.flags & XAI_FRAME_REPLY);
        CHECK_EQ_INT(f.header.length, sizeof payload);
        CHECK(memcmp(f.payload, payload, sizeof payload) == 0);
      }
      pos += used;
    }
  }
  CHECK(got_frame);
  CHECK(d.max_read <= recv_cap);
  CHECK_EQ_INT(d.reply_pos, d.reply_len);
}

static void test_absent_device(void) {
  sim_device d;
  memset(&d, 0, sizeof d);
  d.absent = 1;
  static xai_spi_link link;
  xai_spi_link_init(&link, sim_transfer, &d);
  uint8_t frame[40] = {0};
  xai_error err;
  xai_error_clear(&err);
  CHECK_EQ_INT(xai_spi_send_frame(&link, frame, sizeof frame,
                                  xai_host_now_ms() + 100, &err),
               XAI_ERR_IO);
  CHECK(strstr(err.message, "no device answering") != NULL);
}

static void test_stays_busy(void) {
  static sim_device d;
  memset(&d, 0, sizeof d);
  d.busy_polls = 1000000;
  static xai_spi_link link;
  xai_spi_link_init(&link, sim_transfer, &d);
  uint8_t frame[40] = {0};
  xai_error err;
  xai_error_clear(&err);
  uint64_t t0 = xai_host_now_ms();
  CHECK_EQ_INT(xai_spi_send_frame(&link, frame, sizeof frame, t0 + 100, &err),
               XAI_ERR_IO);
  uint64_t took = xai_host_now_ms() - t0;
  CHECK(took >= 100 && took < 1000);
  CHECK(strstr(err.message, "timed out") != NULL);
  CHECK(strstr(err.message, "busy") != NULL);
}

static void test_no_spidev(void) {
  xai_host_device *dev = NULL;
  xai_error err;
  CHECK_EQ_INT(xai_host_connect(&dev, "spi:/dev/xai-no-such-spidev", 500, &err),
               XAI_ERR_IO);
  CHECK(dev == NULL);
  CHECK(strstr(err.message,
               "no device found: cannot open /dev/xai-no-such-spidev: ") !=
        NULL);
}

int main(void) {
  test_round_trip(0, XAI_PROTO_MAX_FRAME_BYTES);
  test_round_trip(5, 100); /* busy first; reply read in 100-byte pieces */
  test_absent_device();
  test_stays_busy();
  test_no_spidev();
  return xai_test_finish("test_spi_framing");
}
