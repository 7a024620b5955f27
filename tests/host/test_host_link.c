/* The host library against a scripted fake device (fake_device.c): every
 * command's happy path, error mapping (status name, device message, log
 * line), and a dead or silent peer giving an error within the timeout. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_device.h"
#include "testlib.h"
#include "xai/host.h"

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int contains(const char *s, const char *part) {
  if (!strstr(s, part)) {
    fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", s, part);
    return 0;
  }
  return 1;
}

static xai_host_device *connect_fake(fake_device *d, uint32_t timeout_ms) {
  char name[128];
  snprintf(name, sizeof name, "emu:%s", d->path);
  xai_host_device *dev = NULL;
  xai_error err;
  xai_status st = xai_host_connect(&dev, name, timeout_ms, &err);
  CHECK_EQ_INT(st, XAI_OK);
  if (st != XAI_OK) fprintf(stderr, "  connect: %s\n", err.message);
  return dev;
}

typedef struct {
  uint64_t last, calls, total;
} progress_log;

static void on_progress(void *user, uint64_t done, uint64_t total) {
  progress_log *p = user;
  CHECK(done >= p->last);
  p->last = done;
  p->total = total;
  p->calls++;
}

static void test_every_command(fake_mode mode) {
  fake_device d;
  CHECK_EQ_INT(fake_device_start(&d, mode), 0);
  xai_host_device *dev = connect_fake(&d, 5000);
  if (!dev) return;
  xai_error err;
  xai_proto_hello hello;
  CHECK_EQ_INT(xai_host_hello(dev, &hello, &err), XAI_OK);
  CHECK(strcmp(hello.device, "fake") == 0);
  CHECK_EQ_INT(hello.flash_bytes, FAKE_FLASH_BYTES);
  CHECK(contains(xai_host_description(dev), d.path));

  /* 10000 bytes = chunks of 4096, 4096, 1808. */
  uint8_t model[10000];
  for (size_t i = 0; i < sizeof model; i++) model[i] = (uint8_t)(i * 31 + 1);
  progress_log pl = {0, 0, 0};
  CHECK_EQ_INT(xai_host_download_model(dev, 0, model, sizeof model,
                                       XAI_MODEL_TO_SRAM, on_progress, &pl,
                                       &err),
               XAI_OK);
  CHECK_EQ_INT(pl.last, sizeof model);
  CHECK_EQ_INT(pl.calls, 4); /* 0, then after each of 3 chunks */

  xai_host_spec spec;
  CHECK_EQ_INT(xai_host_read_spec(dev, 0, &spec, &err), XAI_OK);
  CHECK_EQ_INT(spec.input_count, 1);
  CHECK_EQ_INT(spec.output_count, 1);
  CHECK_EQ_INT(spec.arena_bytes_used, 1234);
  const xai_proto_tensor_info *in = xai_host_spec_input(&spec, 0);
  const xai_proto_tensor_info *out = xai_host_spec_output(&spec, 0);
  CHECK(in && out && !xai_host_spec_output(&spec, 1));
  if (in && out) {
    CHECK(strcmp(in->name, "input") == 0);
    CHECK(in->scale == 0.5f);
    CHECK_EQ_INT(in->zero_point, -3);
    CHECK_EQ_INT(out->bytes, FAKE_OUTPUT_BYTES);
  }

  uint8_t input[FAKE_INPUT_BYTES] = {5};
  CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, input, sizeof input, &err),
               XAI_OK);
  CHECK_EQ_INT(xai_host_invoke(dev, 0, &err), XAI_OK);
  static uint8_t output[FAKE_OUTPUT_BYTES];
  size_t n = 0;
  CHECK_EQ_INT(xai_host_read_output(dev, 0, 0, output, sizeof output, &n, &err),
               XAI_OK);
  CHECK_EQ_INT(n, FAKE_OUTPUT_BYTES);
  int same = 1;
  for (uint32_t i = 0; i < FAKE_OUTPUT_BYTES; i++)
    same &= output[i] == (uint8_t)(i * 7 + 5);
  CHECK(same);
  /* Too small a buffer: the size is reported, not overrun. */
  CHECK_EQ_INT(xai_host_read_output(dev, 0, 0, output, 100, &n, &err),
               XAI_ERR_NO_MEMORY);
  CHECK_EQ_INT(n, FAKE_OUTPUT_BYTES);

  xai_proto_layer_timing layers[4];
  uint32_t count = 0;
  CHECK_EQ_INT(xai_host_read_times(dev, 0, layers, 4, &count, &err), XAI_OK);
  CHECK_EQ_INT(count, 2);
  CHECK_EQ_INT(layers[0].ticks, 150000);
  CHECK(strcmp(layers[1].op, "SOFTMAX") == 0);

  /* Flash round trip across several FLASH_READ pieces' worth of chunks. */
  static uint8_t fw[70000], fr[70000];
  for (size_t i = 0; i < sizeof fw; i++) fw[i] = (uint8_t)(i ^ (i >> 8));
  CHECK_EQ_INT(xai_host_flash_write(dev, 8192, fw, sizeof fw, NULL, NULL, &err),
               XAI_OK);
  CHECK_EQ_INT(xai_host_flash_read(dev, 8192, fr, sizeof fr, NULL, NULL, &err),
               XAI_OK);
  CHECK(memcmp(fw, fr, sizeof fw) == 0);

  /* Wrong input size: the device's message comes through. */
  xai_status st = xai_host_write_input(dev, 0, 0, input, 5, &err);
  CHECK_EQ_INT(st, XAI_ERR_ARGUMENT);
  CHECK(contains(err.message, "SET_INPUT (engine 0): device replied "
                              "BAD_ARGUMENT: input 0 is 12 bytes"));
  /* Past the end of flash. */
  st = xai_host_flash_write(dev, FAKE_FLASH_BYTES - 10, fw, 100, NULL, NULL,
                            &err);
  CHECK_EQ_INT(st, XAI_ERR_RANGE);
  CHECK(contains(err.message, "FLASH_WRITE"));
  CHECK(contains(err.message, "TOO_LARGE: past the end of flash"));
  xai_host_close(dev);
  fake_device_stop(&d);
  CHECK_EQ_INT(d.model_bytes, sizeof model);
  CHECK_EQ_INT(d.model_crc, xai_crc32(0, model, sizeof model));
}

static void test_error_mapping(void) {
  fake_device d;
  CHECK_EQ_INT(fake_device_start(&d, FAKE_NORMAL), 0);
  xai_host_device *dev = connect_fake(&d, 5000);
  if (!dev) return;
  xai_error err;
  /* No message in the reply: the last line of GET_LOG is added. */
  xai_status st = xai_host_invoke(dev, 0, &err);
  CHECK_EQ_INT(st, XAI_ERR_STATE);
  CHECK(contains(err.message, "INVOKE (engine 0): device replied NO_MODEL; "
                              "device log: INVOKE: engine 0 has no model"));
  /* Refused on the first chunk, before the rest is sent. */
  static uint8_t big[100000];
  st = xai_host_download_model(dev, 0, big, sizeof big, XAI_MODEL_TO_SRAM,
                               NULL, NULL, &err);
  CHECK_EQ_INT(st, XAI_ERR_NO_MEMORY);
  CHECK(contains(err.message, "SET_MODEL (engine 0): device replied "
                              "NO_MEMORY: model needs 600000 bytes"));
  /* A reply with its own message gets nothing older appended (issue #12:
   * an unrelated device log line used to follow it). */
  CHECK(!contains(err.message, "device log"));
  CHECK(!contains(err.message, "has no model"));
  xai_host_close(dev);
  fake_device_stop(&d);
  CHECK(d.frames < 10); /* not all 25 chunks of `big` */

  CHECK_EQ_INT(xai_host_status_from_device(XAI_PS_OK), XAI_OK);
  CHECK_EQ_INT(xai_host_status_from_device(XAI_PS_NO_MEMORY), XAI_ERR_NO_MEMORY);
  CHECK_EQ_INT(xai_host_status_from_device(XAI_PS_TOO_LARGE), XAI_ERR_RANGE);
  CHECK_EQ_INT(xai_host_status_from_device(XAI_PS_MODEL_ERROR), XAI_ERR_FORMAT);
  CHECK_EQ_INT(xai_host_status_from_device(XAI_PS_BAD_ARGUMENT),
               XAI_ERR_ARGUMENT);
  CHECK_EQ_INT(xai_host_status_from_device(XAI_PS_BAD_COMMAND),
               XAI_ERR_UNSUPPORTED);
}

static void test_silent_peer(void) {
  fake_device d;
  CHECK_EQ_INT(fake_device_start(&d, FAKE_SILENT_AFTER_HELLO), 0);
  xai_host_device *dev = connect_fake(&d, 300);
  if (!dev) return;
  xai_error err;
  uint64_t t0 = now_ms();
  xai_status st = xai_host_invoke(dev, 0, &err);
  uint64_t took = now_ms() - t0;
  CHECK_EQ_INT(st, XAI_ERR_IO);
  CHECK(took >= 250 && took < 2000);
  CHECK(contains(err.message, "INVOKE (engine 0)"));
  CHECK(contains(err.message, "within 300 ms"));
  xai_host_close(dev);
  fake_device_stop(&d);
}

static void test_peer_closes(fake_mode mode) {
  fake_device d;
  CHECK_EQ_INT(fake_device_start(&d, mode), 0);
  /* A generous timeout: the closed socket must be noticed long before. */
  xai_host_device *dev = connect_fake(&d, 20000);
  if (!dev) return;
  xai_error err;
  uint64_t t0 = now_ms();
  static uint8_t model[30000];
  CHECK_EQ_INT(xai_host_download_model(dev, 0, model, sizeof model,
                                       XAI_MODEL_TO_SRAM, NULL, NULL, &err),
               mode == FAKE_CLOSE_MID_DOWNLOAD ? XAI_ERR_IO : XAI_OK);
  if (mode == FAKE_CLOSE_MID_DOWNLOAD) {
    CHECK(contains(err.message, "SET_MODEL"));
  } else {
    uint8_t input[FAKE_INPUT_BYTES] = {0};
    CHECK_EQ_INT(xai_host_write_input(dev, 0, 0, input, sizeof input, &err),
                 XAI_OK);
    CHECK_EQ_INT(xai_host_invoke(dev, 0, &err), XAI_OK);
    static uint8_t out[FAKE_OUTPUT_BYTES];
    size_t n = 0;
    CHECK_EQ_INT(xai_host_read_output(dev, 0, 0, out, sizeof out, &n, &err),
                 XAI_ERR_IO);
    CHECK(contains(err.message, "GET_OUTPUT"));
  }
  CHECK(contains(err.message, "closed"));
  CHECK(now_ms() - t0 < 2000);
  /* Later calls fail cleanly too. */
  CHECK(xai_host_invoke(dev, 0, &err) != XAI_OK);
  xai_host_close(dev);
  fake_device_stop(&d);
}

static void test_busy_then_ok(void) {
  fake_device d;
  CHECK_EQ_INT(fake_device_start(&d, FAKE_BUSY_THEN_OK), 0);
  xai_host_device *dev = connect_fake(&d, 5000);
  xai_host_close(dev);
  fake_device_stop(&d);
  CHECK_EQ_INT(d.busy_replies, 3);
}

static void test_bad_names(void) {
  xai_host_device *dev = NULL;
  xai_error err;
  CHECK_EQ_INT(xai_host_connect(&dev, "emu:/nonexistent/xai/dev.sock", 500,
                                &err),
               XAI_ERR_IO);
  CHECK(dev == NULL);
  CHECK(contains(err.message, "no emulator at /nonexistent/xai/dev.sock"));
  CHECK_EQ_INT(xai_host_connect(&dev, "bluetooth", 500, &err),
               XAI_ERR_ARGUMENT);
  CHECK(contains(err.message, "unknown device 'bluetooth'"));
  CHECK_EQ_INT(xai_host_connect(&dev, "usb:one:two", 500, &err),
               XAI_ERR_ARGUMENT);
  /* No device named, nothing listening, and no emulator to start. */
  setenv("XAI_DEVICE_SOCKET", "/nonexistent/xai/default.sock", 1);
  setenv("XAI_DEVICE_EMULATOR", "/nonexistent/xai_device_emulator", 1);
  CHECK_EQ_INT(xai_host_connect(&dev, NULL, 500, &err), XAI_ERR_IO);
  CHECK(contains(err.message, "xai_device_emulator was not found"));
  unsetenv("XAI_DEVICE_SOCKET");
  unsetenv("XAI_DEVICE_EMULATOR");
}

int main(void) {
  test_every_command(FAKE_NORMAL);
  test_every_command(FAKE_GARBAGE_FIRST);
  test_error_mapping();
  test_silent_peer();
  test_peer_closes(FAKE_CLOSE_MID_DOWNLOAD);
  test_peer_closes(FAKE_CLOSE_MID_OUTPUT);
  test_busy_then_ok();
  test_bad_names();
  return xai_test_finish("test_host_link");
}
