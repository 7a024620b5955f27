/* The byte-moving layer under the host library: one implementation per
 * link (emulator socket, USB bulk, SPI). Frames and replies live one level
 * up (link.c); a transport only moves bytes, with a deadline. */
#ifndef XAI_HOST_TRANSPORT_INTERNAL_H
#define XAI_HOST_TRANSPORT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

typedef struct xai_transport xai_transport;

struct xai_transport {
  /* Sends one whole frame (USB: one transfer; SPI: one WRITE). */
  xai_status (*send)(xai_transport *t, const uint8_t *data, size_t n,
                     uint32_t timeout_ms, xai_error *err);
  /* Receives at least 1 and at most cap bytes; an error (XAI_ERR_IO) on
   * timeout or when the peer has gone. */
  xai_status (*recv)(xai_transport *t, uint8_t *buf, size_t cap, size_t *got,
                     uint32_t timeout_ms, xai_error *err);
  void (*close)(xai_transport *t);
  char description[160];
};

/* Each opener allocates its transport; close() frees it. */
xai_status xai_transport_emu_open(xai_transport **t, const char *path,
                                  uint32_t timeout_ms, xai_error *err);
xai_status xai_transport_usb_open(xai_transport **t, const char *spec,
                                  uint32_t timeout_ms, xai_error *err);
xai_status xai_transport_spi_open(xai_transport **t, const char *path,
                                  uint32_t timeout_ms, xai_error *err);

/* Monotonic clock in milliseconds, and the time left before a deadline
 * (0 once it has passed). */
uint64_t xai_host_now_ms(void);
uint32_t xai_host_ms_left(uint64_t deadline_ms);

#endif
