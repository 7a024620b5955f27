/* The server's answers that need no model: HELLO, INVOKE with no model,
 * bad CRC, bad header, unknown command, bad engine, GET_LOG, RESET. */
#include <string.h>

#include "aisrv_harness.h"
#include "testlib.h"

static void test_hello(void) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_HELLO, 0, 0, 0, NULL, 0), XAI_PS_OK);
  CHECK_EQ_INT(h.reply_count, 1);
  CHECK_EQ_INT(h.replies[0].command, XAI_CMD_HELLO);
  CHECK_EQ_INT(h.replies[0].seq, 100);
  xai_proto_hello hello;
  CHECK(xai_hello_decode(h.data, h.data_len, &hello, NULL) == XAI_OK);
  CHECK_EQ_INT(hello.protocol_version, 1);
  CHECK_EQ_INT(hello.max_payload, 4096);
  CHECK_EQ_INT(hello.tiles, 2);
  CHECK_EQ_INT(hello.engines, 2);
  CHECK_EQ_INT(hello.clock_mhz, 800);
  CHECK_EQ_INT(hello.sram_bytes_per_tile, 524288);
  CHECK_EQ_INT(hello.lpddr_bytes, 8u << 20);
  CHECK_EQ_INT(hello.flash_bytes, 1u << 20);
  CHECK_EQ_INT(hello.timer_hz, 100000000);
  CHECK(!strcmp(hello.device, "xcore.ai-test"));
  CHECK_EQ_INT(xai_aisrv_sram_usable(h.srv), 512 * 1024 - 64 * 1024);
  harness_free(&h);
  /* With no firmware share given, the device keeps the machine's. */
  harness_opts d = harness_defaults();
  d.firmware_bytes = 0;
  harness_init(&h, &d);
  CHECK_EQ_INT(xai_aisrv_sram_usable(h.srv),
               512 * 1024 - XAI_XCORE_FIRMWARE_BYTES_PER_TILE);
  harness_free(&h);
}

static void test_no_model(void) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  CHECK(strstr(harness_text(&h), "engine 0 has no model") != NULL);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_SPEC, 1, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_OUTPUT, 1, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_TIMINGS, 0, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  uint8_t in[4] = {0};
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_INPUT, 0, 0, 0, in, 4),
               XAI_PS_NO_MODEL);
  /* Engine 2 does not exist on a 2-tile device. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 2, 0, 0, NULL, 0),
               XAI_PS_BAD_ARGUMENT);
  CHECK(strstr(harness_text(&h), "engine 2 does not exist") != NULL);
  harness_free(&h);
}

static void test_bad_frames(void) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  /* Frame CRC wrong: CRC_ERROR echoing the seq. */
  xai_frame_header hdr;
  xai_frame_header_init(&hdr, XAI_CMD_HELLO, 7);
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
  size_t w;
  CHECK(xai_frame_encode(&hdr, NULL, buf, sizeof buf, &w, NULL) == XAI_OK);
  buf[w - 1] ^= 0x40;
  h.reply_count = 0;
  h.data_len = 0;
  harness_feed(&h, buf, w);
  CHECK_EQ_INT(h.reply_count, 1);
  CHECK_EQ_INT(h.replies[0].status, XAI_PS_CRC_ERROR);
  CHECK_EQ_INT(h.replies[0].seq, 7);

  /* Header CRC wrong: CRC_ERROR with command NONE and seq 0xFFFFFFFF. */
  CHECK(xai_frame_encode(&hdr, NULL, buf, sizeof buf, &w, NULL) == XAI_OK);
  buf[10] ^= 1;
  h.reply_count = 0;
  harness_feed(&h, buf, w);
  CHECK(h.reply_count >= 1);
  CHECK_EQ_INT(h.replies[0].status, XAI_PS_CRC_ERROR);
  CHECK_EQ_INT(h.replies[0].command, XAI_CMD_NONE);
  CHECK_EQ_INT(h.replies[0].seq, 0xFFFFFFFFu);

  /* Garbage bytes get no reply; the next good frame is answered. */
  h.reply_count = 0;
  harness_feed(&h, (const uint8_t *)"garbage!", 8);
  CHECK_EQ_INT(h.reply_count, 0);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_HELLO, 0, 0, 0, NULL, 0), XAI_PS_OK);

  /* Unknown command and a request marked as a reply. */
  xai_frame_header_init(&hdr, (xai_proto_command)XAI_CMD_COUNT, 9);
  CHECK_EQ_INT(harness_frame(&h, &hdr, NULL), XAI_PS_BAD_COMMAND);
  xai_frame_header_init(&hdr, XAI_CMD_HELLO, 10);
  hdr.flags |= XAI_FRAME_REPLY;
  CHECK_EQ_INT(harness_frame(&h, &hdr, NULL), XAI_PS_BAD_COMMAND);
  /* A one-frame command without FIRST|LAST. */
  xai_frame_header_init(&hdr, XAI_CMD_INVOKE, 11);
  hdr.flags = XAI_FRAME_FIRST;
  hdr.total = 10;
  CHECK_EQ_INT(harness_frame(&h, &hdr, NULL), XAI_PS_BAD_ARGUMENT);
  /* A continuation with no transfer open. */
  uint8_t data[16] = {0};
  xai_frame_header_init(&hdr, XAI_CMD_SET_MODEL, 12);
  hdr.flags = XAI_FRAME_LAST;
  hdr.offset = 16;
  hdr.length = 16;
  hdr.total = 32;
  CHECK_EQ_INT(harness_frame(&h, &hdr, data), XAI_PS_BAD_ARGUMENT);
  harness_free(&h);
}

static void test_log_and_reset(void) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  const char *log = harness_log(&h);
  CHECK(strstr(log, "server up: 2 tiles") != NULL);
  /* GET_LOG returns only what was logged since the previous one. */
  harness_request(&h, XAI_CMD_INVOKE, 1, 0, 0, NULL, 0);
  log = harness_log(&h);
  CHECK(strstr(log, "server up") == NULL);
  CHECK(strstr(log, "INVOKE: NO_MODEL: engine 1 has no model") != NULL);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_RESET, 0, 0, 0, NULL, 0), XAI_PS_OK);
  CHECK(strstr(harness_log(&h), "server reset") != NULL);
  /* The log keeps the newest lines when it overflows. */
  for (int i = 0; i < 200; i++)
    harness_request(&h, XAI_CMD_GET_SPEC, 0, 0, 0, NULL, 0);
  harness_request(&h, XAI_CMD_INVOKE, 1, 0, 0, NULL, 0);
  log = harness_log(&h);
  CHECK(strlen(log) <= XAI_AISRV_DEFAULT_LOG_BYTES);
  CHECK(strstr(log, "INVOKE: NO_MODEL: engine 1") != NULL);
  CHECK(log[0] == 'G'); /* starts at a whole line */
  harness_free(&h);
}

int main(void) {
  test_hello();
  test_no_model();
  test_bad_frames();
  test_log_and_reset();
  return xai_test_finish("test_aisrv_basic");
}
