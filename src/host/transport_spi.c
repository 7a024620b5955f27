/* The SPI transport over Linux spidev: the polling scheme of
 * docs/protocol.md ("SPI") lives in spi_framing.c; this file opens the bus
 * and runs one full-duplex transaction per call. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/spi/spidev.h>

#include "framing_internal.h"
#include "transport_internal.h"

/* A clock every xcore.ai SPI slave example handles; the protocol does not
 * depend on it. */
#define SPI_CLOCK_HZ 10000000u

typedef struct {
  xai_transport base;
  int fd;
  char path[96];
  xai_spi_link link;
} spi_transport;

static xai_status spidev_transfer(void *user, const uint8_t *tx, uint8_t *rx,
                                  size_t n, xai_error *err) {
  spi_transport *s = user;
  struct spi_ioc_transfer xfer;
  memset(&xfer, 0, sizeof xfer);
  xfer.tx_buf = (uint64_t)(uintptr_t)tx;
  xfer.rx_buf = (uint64_t)(uintptr_t)rx;
  xfer.len = (uint32_t)n;
  xfer.speed_hz = SPI_CLOCK_HZ;
  xfer.bits_per_word = 8;
  if (ioctl(s->fd, SPI_IOC_MESSAGE(1), &xfer) < 0)
    return xai_fail(err, XAI_ERR_IO, "SPI %s: transfer failed: %s", s->path,
                    strerror(errno));
  return XAI_OK;
}

static xai_status spi_send(xai_transport *t, const uint8_t *data, size_t n,
                           uint32_t timeout_ms, xai_error *err) {
  spi_transport *s = (spi_transport *)t;
  return xai_spi_send_frame(&s->link, data, n, xai_host_now_ms() + timeout_ms,
                            err);
}

static xai_status spi_recv(xai_transport *t, uint8_t *buf, size_t cap,
                           size_t *got, uint32_t timeout_ms, xai_error *err) {
  spi_transport *s = (spi_transport *)t;
  return xai_spi_recv(&s->link, buf, cap, got, xai_host_now_ms() + timeout_ms,
                      err);
}

static void spi_close(xai_transport *t) {
  spi_transport *s = (spi_transport *)t;
  if (s->fd >= 0) close(s->fd);
  free(s);
}

xai_status xai_transport_spi_open(xai_transport **out, const char *path,
                                  uint32_t timeout_ms, xai_error *err) {
  (void)timeout_ms;
  *out = NULL;
  int fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0)
    return xai_fail(err, XAI_ERR_IO, "no device found: cannot open %s: %s",
                    path, strerror(errno));
  uint8_t mode = SPI_MODE_0, bits = 8;
  uint32_t speed = SPI_CLOCK_HZ;
  if (ioctl(fd, SPI_IOC_WR_MODE, &mode) < 0 ||
      ioctl(fd, SPI_IOC_WR_BITS_PER_WORD, &bits) < 0 ||
      ioctl(fd, SPI_IOC_WR_MAX_SPEED_HZ, &speed) < 0) {
    int e = errno;
    close(fd);
    return xai_fail(err, XAI_ERR_IO,
                    "no device found: %s is not an SPI device (%s)", path,
                    strerror(e));
  }
  spi_transport *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  s->fd = fd;
  snprintf(s->path, sizeof s->path, "%s", path);
  xai_spi_link_init(&s->link, spidev_transfer, s);
  s->base.send = spi_send;
  s->base.recv = spi_recv;
  s->base.close = spi_close;
  snprintf(s->base.description, sizeof s->base.description,
           "xcore.ai over SPI (%s)", path);
  *out = &s->base;
  return XAI_OK;
}
