/* USB bulk packetisation (docs/protocol.md, "USB"). */
#include "framing_internal.h"

xai_status xai_usb_send_transfer(const uint8_t *data, size_t n,
                                 xai_usb_write_packet_fn write, void *user,
                                 xai_error *err) {
  size_t off = 0;
  while (n - off >= XAI_USB_PACKET_BYTES) {
    xai_status st = write(user, data + off, XAI_USB_PACKET_BYTES, err);
    if (st != XAI_OK) return st;
    off += XAI_USB_PACKET_BYTES;
  }
  /* The remainder is a short packet, which ends the transfer; with no
   * remainder the receiver needs a zero-length packet to know it ended
   * (USB 2.0, 5.8.3). Either way exactly one more packet goes out. */
  return write(user, data + off, n - off, err);
}

xai_status xai_usb_recv_transfer(uint8_t *buf, size_t cap, size_t *got,
                                 xai_usb_read_packet_fn read, void *user,
                                 xai_error *err) {
  size_t have = 0;
  *got = 0;
  for (;;) {
    uint8_t packet[XAI_USB_PACKET_BYTES];
    size_t n = 0;
    xai_status st = read(user, packet, sizeof packet, &n, err);
    if (st != XAI_OK) return st;
    if (n > XAI_USB_PACKET_BYTES)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "USB: a %zu-byte packet is larger than %u bytes", n,
                      XAI_USB_PACKET_BYTES);
    if (have + n > cap)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "USB: a transfer of more than %zu bytes is larger than "
                      "any frame; the device is not speaking the xai protocol",
                      cap);
    for (size_t i = 0; i < n; i++) buf[have + i] = packet[i];
    have += n;
    if (xai_usb_packet_ends_transfer(n)) break;
  }
  *got = have;
  return XAI_OK;
}
