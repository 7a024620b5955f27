/* USB packetisation (docs/protocol.md, "USB") without hardware: the packet
 * sizes a frame goes out as, how a transfer is read back, and that
 * connecting with no board attached fails with the "no device found"
 * message (whether or not libusb can start in this environment). */
#include <string.h>

#include "framing_internal.h"
#include "testlib.h"
#include "xai/host.h"

typedef struct {
  size_t sizes[32];
  size_t count;
  uint8_t bytes[8192];
  size_t total;
} packet_log;

static xai_status record(void *user, const uint8_t *p, size_t n,
                         xai_error *err) {
  (void)err;
  packet_log *l = user;
  if (l->count < 32) l->sizes[l->count] = n;
  l->count++;
  memcpy(l->bytes + l->total, p, n);
  l->total += n;
  return XAI_OK;
}

/* Sends n bytes and checks the packet sizes against `want`. */
static void check_packets(size_t n, const size_t *want, size_t count) {
  static uint8_t data[8192];
  for (size_t i = 0; i < n; i++) data[i] = (uint8_t)(i * 13);
  packet_log l;
  memset(&l, 0, sizeof l);
  CHECK_EQ_INT(xai_usb_send_transfer(data, n, record, &l, NULL), XAI_OK);
  CHECK_EQ_INT(l.count, count);
  CHECK_EQ_INT(l.count, xai_usb_packet_count(n));
  for (size_t i = 0; i < count && i < l.count; i++)
    CHECK_EQ_INT(l.sizes[i], want[i]);
  CHECK_EQ_INT(l.total, n);
  CHECK(memcmp(l.bytes, data, n) == 0);
}

static void test_send(void) {
  /* An empty transfer is one zero-length packet. */
  check_packets(0, (const size_t[]){0}, 1);
  /* The smallest frame (40 bytes) is one short packet. */
  check_packets(40, (const size_t[]){40}, 1);
  check_packets(511, (const size_t[]){511}, 1);
  /* Exactly one full packet: the receiver needs a ZLP to see the end. */
  check_packets(512, (const size_t[]){512, 0}, 2);
  check_packets(513, (const size_t[]){512, 1}, 2);
  check_packets(1024, (const size_t[]){512, 512, 0}, 3);
  /* The largest frame: 4136 = 8 x 512 + 40 (docs/protocol.md). */
  check_packets(XAI_PROTO_MAX_FRAME_BYTES,
                (const size_t[]){512, 512, 512, 512, 512, 512, 512, 512, 40},
                9);
}

typedef struct {
  const size_t *sizes;
  size_t count, next;
  uint8_t value;
} packet_source;

static xai_status produce(void *user, uint8_t *p, size_t cap, size_t *got,
                          xai_error *err) {
  packet_source *s = user;
  if (s->next >= s->count)
    return xai_fail(err, XAI_ERR_IO, "read past the scripted packets");
  size_t n = s->sizes[s->next++];
  CHECK(n <= cap);
  for (size_t i = 0; i < n; i++) p[i] = s->value++;
  *got = n;
  return XAI_OK;
}

static void test_recv(void) {
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
  size_t got = 0;
  /* Two full packets and a short one: one transfer of 1064 bytes; the
   * packet after it is not read. */
  packet_source s = {(const size_t[]){512, 512, 40, 99}, 4, 0, 0};
  CHECK_EQ_INT(xai_usb_recv_transfer(buf, sizeof buf, &got, produce, &s, NULL),
               XAI_OK);
  CHECK_EQ_INT(got, 1064);
  CHECK_EQ_INT(s.next, 3);
  CHECK_EQ_INT(buf[1063], (uint8_t)1063);
  /* A multiple of 512 ends at the ZLP. */
  packet_source z = {(const size_t[]){512, 512, 0, 7}, 4, 0, 0};
  CHECK_EQ_INT(xai_usb_recv_transfer(buf, sizeof buf, &got, produce, &z, NULL),
               XAI_OK);
  CHECK_EQ_INT(got, 1024);
  CHECK_EQ_INT(z.next, 3);
  /* A transfer longer than any frame is refused, not overrun. */
  packet_source big = {(const size_t[]){512, 512, 512, 512, 512, 512, 512,
                                        512, 512, 0},
                       10, 0, 0};
  xai_error err;
  xai_error_clear(&err);
  CHECK_EQ_INT(
      xai_usb_recv_transfer(buf, sizeof buf, &got, produce, &big, &err),
      XAI_ERR_FORMAT);
  CHECK(strstr(err.message, "not speaking the xai protocol") != NULL);
}

static void test_no_board(void) {
  xai_host_device *dev = NULL;
  xai_error err;
  xai_status st = xai_host_connect(&dev, "usb", 500, &err);
  CHECK(st != XAI_OK);
  CHECK(dev == NULL);
  fprintf(stderr, "  usb: %s\n", err.message);
#ifdef XAI_HAVE_LIBUSB
  CHECK(strstr(err.message,
               "no device found (VID 0x20B1 PID 0x00A1): is the board "
               "connected and the udev rule installed?") != NULL);
#else
  CHECK(strstr(err.message, "not available in this build") != NULL);
#endif
  st = xai_host_connect(&dev, "usb:250:127", 500, &err);
  CHECK(st != XAI_OK);
  CHECK(dev == NULL);
}

int main(void) {
  test_send();
  test_recv();
  test_no_board();
  return xai_test_finish("test_usb_framing");
}
