/* SPI polling and transactions (docs/protocol.md, "SPI"). */
#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <time.h>

#include "framing_internal.h"
#include "transport_internal.h"

void xai_spi_link_init(xai_spi_link *l, xai_spi_transfer_fn transfer,
                       void *user) {
  memset(l, 0, sizeof *l);
  l->transfer = transfer;
  l->user = user;
  /* docs/protocol.md: polling every 100 us is plenty. */
  l->poll_us = 100;
}

static void pause_us(uint32_t us) {
  struct timespec ts = {(time_t)(us / 1000000u), (long)(us % 1000000u) * 1000L};
  nanosleep(&ts, NULL);
}

xai_status xai_spi_poll_status(xai_spi_link *l, xai_spi_status *s,
                               xai_error *err) {
  const size_t n = 1 + XAI_SPI_STATUS_BYTES;
  memset(l->tx, 0, n);
  l->tx[0] = XAI_SPI_OP_STATUS;
  xai_status st = l->transfer(l->user, l->tx, l->rx, n, err);
  if (st != XAI_OK) return st;
  /* rx[0] was clocked in while the opcode went out: meaningless. */
  return xai_spi_status_decode(l->rx + 1, s, err);
}

/* Polls until one of `want` flags is set (and, for REPLY, bytes wait). */
static xai_status wait_for(xai_spi_link *l, uint8_t want, xai_spi_status *s,
                           uint64_t deadline_ms, const char *what,
                           xai_error *err) {
  for (;;) {
    xai_status st = xai_spi_poll_status(l, s, err);
    if (st != XAI_OK) return st;
    if ((s->flags & want) &&
        (want != XAI_SPI_REPLY || s->reply_bytes > 0))
      return XAI_OK;
    if (xai_host_ms_left(deadline_ms) == 0)
      return xai_fail(err, XAI_ERR_IO,
                      "SPI: timed out waiting for the device to %s (last "
                      "status 0x%02x: %s)",
                      what, s->flags,
                      (s->flags & XAI_SPI_BUSY) ? "busy" : "idle");
    pause_us(l->poll_us);
  }
}

xai_status xai_spi_send_frame(xai_spi_link *l, const uint8_t *frame, size_t n,
                              uint64_t deadline_ms, xai_error *err) {
  if (n + 1 > sizeof l->tx)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "SPI: %zu-byte frame is larger than one transaction", n);
  xai_spi_status s;
  xai_status st =
      wait_for(l, XAI_SPI_READY, &s, deadline_ms, "accept a frame", err);
  if (st != XAI_OK) return st;
  l->tx[0] = XAI_SPI_OP_WRITE;
  memcpy(l->tx + 1, frame, n);
  return l->transfer(l->user, l->tx, l->rx, n + 1, err);
}

xai_status xai_spi_recv(xai_spi_link *l, uint8_t *buf, size_t cap, size_t *got,
                        uint64_t deadline_ms, xai_error *err) {
  xai_spi_status s;
  *got = 0;
  xai_status st = wait_for(l, XAI_SPI_REPLY, &s, deadline_ms, "reply", err);
  if (st != XAI_OK) return st;
  size_t n = s.reply_bytes;
  if (n > cap) n = cap;
  if (n + 1 > sizeof l->tx) n = sizeof l->tx - 1;
  memset(l->tx, 0, n + 1);
  l->tx[0] = XAI_SPI_OP_READ;
  st = l->transfer(l->user, l->tx, l->rx, n + 1, err);
  if (st != XAI_OK) return st;
  memcpy(buf, l->rx + 1, n);
  *got = n;
  return XAI_OK;
}
