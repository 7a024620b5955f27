/* USB and SPI framing as pure functions over a packet / bus callback, so
 * the exact bytes and packet boundaries are tested without hardware
 * (tests/host/test_usb_framing.c, test_spi_framing.c). The libusb and
 * spidev transports only supply the callbacks. */
#ifndef XAI_HOST_FRAMING_INTERNAL_H
#define XAI_HOST_FRAMING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/protocol.h"

/* ---- USB ---------------------------------------------------------------- */

/* Writes or reads one bulk packet (at most XAI_USB_PACKET_BYTES). A read
 * of a zero-length packet sets *got = 0. */
typedef xai_status (*xai_usb_write_packet_fn)(void *user, const uint8_t *p,
                                              size_t n, xai_error *err);
typedef xai_status (*xai_usb_read_packet_fn)(void *user, uint8_t *p,
                                             size_t cap, size_t *got,
                                             xai_error *err);

/* Sends one frame as one transfer: full 512-byte packets, the remainder in
 * a short packet, or a zero-length packet when n is a multiple of 512. */
xai_status xai_usb_send_transfer(const uint8_t *data, size_t n,
                                 xai_usb_write_packet_fn write, void *user,
                                 xai_error *err);

/* Reads packets until one is short (or zero-length): one whole transfer.
 * A transfer longer than cap is XAI_ERR_FORMAT (a frame never exceeds
 * XAI_PROTO_MAX_FRAME_BYTES, so the peer is not speaking our protocol). */
xai_status xai_usb_recv_transfer(uint8_t *buf, size_t cap, size_t *got,
                                 xai_usb_read_packet_fn read, void *user,
                                 xai_error *err);

/* ---- SPI ---------------------------------------------------------------- */

/* One full-duplex transaction (chip select low for n bytes): tx out, rx in. */
typedef xai_status (*xai_spi_transfer_fn)(void *user, const uint8_t *tx,
                                          uint8_t *rx, size_t n,
                                          xai_error *err);

/* Largest transaction: opcode + one whole frame. */
#define XAI_SPI_MAX_TRANSACTION (1u + XAI_PROTO_MAX_FRAME_BYTES)

typedef struct {
  xai_spi_transfer_fn transfer;
  void *user;
  uint32_t poll_us; /* pause between STATUS polls */
  uint8_t tx[XAI_SPI_MAX_TRANSACTION];
  uint8_t rx[XAI_SPI_MAX_TRANSACTION];
} xai_spi_link;

void xai_spi_link_init(xai_spi_link *l, xai_spi_transfer_fn transfer,
                       void *user);

/* One STATUS transaction: opcode then 5 status bytes (docs/protocol.md). */
xai_status xai_spi_poll_status(xai_spi_link *l, xai_spi_status *s,
                               xai_error *err);

/* Polls STATUS until READY, then WRITEs the frame. Gives up at deadline_ms
 * (xai_host_now_ms clock) with XAI_ERR_IO. */
xai_status xai_spi_send_frame(xai_spi_link *l, const uint8_t *frame, size_t n,
                              uint64_t deadline_ms, xai_error *err);

/* Polls STATUS until REPLY, then READs at most the announced bytes (and at
 * most cap). */
xai_status xai_spi_recv(xai_spi_link *l, uint8_t *buf, size_t cap, size_t *got,
                        uint64_t deadline_ms, xai_error *err);

#endif
