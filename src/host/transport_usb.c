/* The USB transport: libusb-1.0, vendor-class interface, one bulk OUT and
 * one bulk IN endpoint (docs/protocol.md, "USB"). Packetisation is in
 * usb_framing.c; this file only finds the board and moves packets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framing_internal.h"
#include "transport_internal.h"

#define NO_DEVICE_MESSAGE                                              \
  "no device found (VID 0x%04X PID 0x%04X): is the board connected and " \
  "the udev rule installed?"

/* "usb" or "usb:BUS:ADDR"; *bus = *addr = -1 for any. */
static xai_status parse_usb_spec(const char *spec, int *bus, int *addr,
                                 xai_error *err) {
  *bus = *addr = -1;
  if (strcmp(spec, "usb") == 0) return XAI_OK;
  unsigned b, a;
  char tail;
  if (sscanf(spec, "usb:%u:%u%c", &b, &a, &tail) == 2 && b < 256 && a < 256) {
    *bus = (int)b;
    *addr = (int)a;
    return XAI_OK;
  }
  return xai_fail(err, XAI_ERR_ARGUMENT,
                  "bad USB device '%s': use \"usb\" or \"usb:BUS:ADDR\" "
                  "(numbers as `lsusb` prints them)",
                  spec);
}

#ifndef XAI_HAVE_LIBUSB

xai_status xai_transport_usb_open(xai_transport **t, const char *spec,
                                  uint32_t timeout_ms, xai_error *err) {
  (void)timeout_ms;
  *t = NULL;
  int bus, addr;
  xai_status st = parse_usb_spec(spec, &bus, &addr, err);
  if (st != XAI_OK) return st;
  return xai_fail(err, XAI_ERR_UNSUPPORTED,
                  "USB is not available in this build: libusb-1.0 was not "
                  "found when xai was built (install libusb-1.0-0-dev, "
                  "scripts/setup.sh does, and rebuild)");
}

#else

#include <libusb.h>

typedef struct {
  xai_transport base;
  libusb_context *ctx;
  libusb_device_handle *handle;
  int claimed;
  uint64_t deadline; /* of the call in progress */
} usb_transport;

static unsigned ms_for_libusb(uint64_t deadline) {
  /* libusb reads a timeout of 0 as "wait forever": never pass it. */
  uint32_t left = xai_host_ms_left(deadline);
  return left ? left : 1;
}

static xai_status usb_error(const char *what, int rc, xai_error *err) {
  if (rc == LIBUSB_ERROR_TIMEOUT)
    return xai_fail(err, XAI_ERR_IO,
                    "USB: timed out %s (is the firmware running?)", what);
  if (rc == LIBUSB_ERROR_NO_DEVICE)
    return xai_fail(err, XAI_ERR_IO,
                    "USB: the board was disconnected while %s", what);
  return xai_fail(err, XAI_ERR_IO, "USB: %s failed: %s", what,
                  libusb_strerror((enum libusb_error)rc));
}

static xai_status write_packet(void *user, const uint8_t *p, size_t n,
                               xai_error *err) {
  usb_transport *u = user;
  int done = 0;
  int rc = libusb_bulk_transfer(u->handle, XAI_USB_EP_OUT, (unsigned char *)p,
                                (int)n, &done, ms_for_libusb(u->deadline));
  if (rc != 0) return usb_error("sending a frame", rc, err);
  if ((size_t)done != n)
    return xai_fail(err, XAI_ERR_IO, "USB: sent %d of %zu packet bytes", done,
                    n);
  return XAI_OK;
}

static xai_status read_packet(void *user, uint8_t *p, size_t cap, size_t *got,
                              xai_error *err) {
  usb_transport *u = user;
  int done = 0;
  int rc = libusb_bulk_transfer(u->handle, XAI_USB_EP_IN, p, (int)cap, &done,
                                ms_for_libusb(u->deadline));
  if (rc != 0) return usb_error("waiting for the reply", rc, err);
  *got = (size_t)done;
  return XAI_OK;
}

static xai_status usb_send(xai_transport *t, const uint8_t *data, size_t n,
                           uint32_t timeout_ms, xai_error *err) {
  usb_transport *u = (usb_transport *)t;
  u->deadline = xai_host_now_ms() + timeout_ms;
  return xai_usb_send_transfer(data, n, write_packet, u, err);
}

static xai_status usb_recv(xai_transport *t, uint8_t *buf, size_t cap,
                           size_t *got, uint32_t timeout_ms, xai_error *err) {
  usb_transport *u = (usb_transport *)t;
  u->deadline = xai_host_now_ms() + timeout_ms;
  for (;;) {
    xai_status st = xai_usb_recv_transfer(buf, cap, got, read_packet, u, err);
    if (st != XAI_OK) return st;
    if (*got > 0) return XAI_OK;
    /* A lone zero-length packet carries nothing; keep waiting. */
    if (xai_host_ms_left(u->deadline) == 0)
      return xai_fail(err, XAI_ERR_IO, "USB: timed out waiting for the reply");
  }
}

static void usb_close(xai_transport *t) {
  usb_transport *u = (usb_transport *)t;
  if (u->claimed) libusb_release_interface(u->handle, 0);
  if (u->handle) libusb_close(u->handle);
  if (u->ctx) libusb_exit(u->ctx);
  free(u);
}

xai_status xai_transport_usb_open(xai_transport **out, const char *spec,
                                  uint32_t timeout_ms, xai_error *err) {
  (void)timeout_ms;
  *out = NULL;
  int want_bus, want_addr;
  xai_status st = parse_usb_spec(spec, &want_bus, &want_addr, err);
  if (st != XAI_OK) return st;
  usb_transport *u = calloc(1, sizeof *u);
  if (!u) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  int rc = libusb_init(&u->ctx);
  if (rc != 0) {
    /* Containers often have no /dev/bus/usb: that is "no device", said
     * plainly, not a crash. */
    free(u);
    return xai_fail(err, XAI_ERR_IO,
                    NO_DEVICE_MESSAGE " (libusb could not start: %s; is USB "
                                      "visible here, e.g. /dev/bus/usb?)",
                    XAI_USB_VID, XAI_USB_PID,
                    libusb_strerror((enum libusb_error)rc));
  }
  libusb_device **list = NULL;
  ssize_t count = libusb_get_device_list(u->ctx, &list);
  libusb_device *found = NULL;
  for (ssize_t i = 0; i < count; i++) {
    struct libusb_device_descriptor d;
    if (libusb_get_device_descriptor(list[i], &d) != 0) continue;
    if (d.idVendor != XAI_USB_VID || d.idProduct != XAI_USB_PID) continue;
    int bus = libusb_get_bus_number(list[i]);
    int addr = libusb_get_device_address(list[i]);
    if (want_bus >= 0 && (bus != want_bus || addr != want_addr)) continue;
    found = list[i];
    snprintf(u->base.description, sizeof u->base.description,
             "xcore.ai over USB (bus %d address %d)", bus, addr);
    break;
  }
  if (found) rc = libusb_open(found, &u->handle);
  if (count >= 0 && list) libusb_free_device_list(list, 1);
  if (!found) {
    usb_close(&u->base);
    if (want_bus >= 0)
      return xai_fail(err, XAI_ERR_IO,
                      NO_DEVICE_MESSAGE " (none at bus %d address %d)",
                      XAI_USB_VID, XAI_USB_PID, want_bus, want_addr);
    return xai_fail(err, XAI_ERR_IO, NO_DEVICE_MESSAGE, XAI_USB_VID,
                    XAI_USB_PID);
  }
  if (rc != 0) {
    usb_close(&u->base);
    return xai_fail(err, XAI_ERR_IO,
                    "USB: cannot open the board (VID 0x%04X PID 0x%04X): %s "
                    "(permission denied usually means the udev rule is not "
                    "installed)",
                    XAI_USB_VID, XAI_USB_PID,
                    libusb_strerror((enum libusb_error)rc));
  }
  rc = libusb_claim_interface(u->handle, 0);
  if (rc != 0) {
    usb_close(&u->base);
    return xai_fail(err, XAI_ERR_IO,
                    "USB: cannot claim interface 0 of the board: %s (is "
                    "another program using it?)",
                    libusb_strerror((enum libusb_error)rc));
  }
  u->claimed = 1;
  u->base.send = usb_send;
  u->base.recv = usb_recv;
  u->base.close = usb_close;
  *out = &u->base;
  return XAI_OK;
}

#endif
