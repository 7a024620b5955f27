/* End to end against the real emulator (skipped when it is not built):
 * connect, download, spec, input, invoke, output and timings, with the
 * output equal to running the same model directly with the runtime; two
 * engines at once; a model loaded from flash; and the emulator killed
 * mid-download gives an error well within the timeout.
 * argv[1]: the xai_device_emulator executable. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emulator_proc.h"
#include "testlib.h"
#include "xai/flash.h"
#include "xai/host.h"
#include "xai/runtime.h"
#include "interp_heap.h"

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Runs the model on the host runtime: the oracle for the device's output
 * (the emulator is specified to run this same runtime). */
static int run_direct(const uint8_t *model, size_t size, const void *input,
                      size_t in_bytes, uint8_t *out, size_t out_cap,
                      size_t *out_bytes, uint32_t *op_count) {
  xai_error err;
  xai_error_clear(&err);
  xai_interp_config cfg = xai_test_interp_config(model, size, NULL, 0);
  xai_test_heap_interp h = {0};
  int rc = -1;
  if (xai_test_heap_interp_init(&h, &cfg, &err) == XAI_OK &&
      xai_interp_set_input(h.ip, 0, input, in_bytes, &err) == XAI_OK &&
      xai_interp_invoke(h.ip, &err) == XAI_OK) {
    xai_rt_tensor *t = xai_interp_output(h.ip, 0);
    if (t->bytes <= out_cap) {
      memcpy(out, t->data, t->bytes);
      *out_bytes = t->bytes;
      *op_count = xai_interp_op_count(h.ip);
      rc = 0;
    }
  }
  if (rc) fprintf(stderr, "  direct run: %s\n", err.message);
  xai_test_heap_interp_free(&h);
  return rc;
}

/* Download, run once with a deterministic input, compare with the runtime. */
static void check_model(xai_host_device *dev, uint8_t engine,
                        const uint8_t *model, size_t size, int download) {
  xai_error err;
  if (download)
    CHECK_EQ_INT(xai_host_download_model(dev, engine, model, size,
                                         XAI_MODEL_TO_SRAM, NULL, NULL, &err),
                 XAI_OK);
  xai_host_spec spec;
  xai_status st = xai_host_read_spec(dev, engine, &spec, &err);
  CHECK_EQ_INT(st, XAI_OK);
  if (st != XAI_OK) {
    fprintf(stderr, "  %s\n", err.message);
    return;
  }
  const xai_proto_tensor_info *in = xai_host_spec_input(&spec, 0);
  const xai_proto_tensor_info *out = xai_host_spec_output(&spec, 0);
  CHECK(in && out);
  if (!in || !out) return;
  uint8_t *input = malloc(in->bytes);
  uint8_t *dev_out = malloc(out->bytes);
  uint8_t *ref_out = malloc(out->bytes);
  uint64_t seed = 0x1234567u + engine;
  for (uint32_t i = 0; i < in->bytes; i++)
    input[i] = (uint8_t)(xai_test_rand(&seed) >> 56);
  size_t dev_bytes = 0, ref_bytes = 0;
  uint32_t ops = 0;
  CHECK_EQ_INT(xai_host_write_input(dev, engine, 0, input, in->bytes, &err),
               XAI_OK);
  CHECK_EQ_INT(xai_host_invoke(dev, engine, &err), XAI_OK);
  CHECK_EQ_INT(xai_host_read_output(dev, engine, 0, dev_out, out->bytes,
                                    &dev_bytes, &err),
               XAI_OK);
  CHECK_EQ_INT(run_direct(model, size, input, in->bytes, ref_out, out->bytes,
                          &ref_bytes, &ops),
               0);
  CHECK_EQ_INT(dev_bytes, ref_bytes);
  CHECK(dev_bytes == ref_bytes && memcmp(dev_out, ref_out, dev_bytes) == 0);
  xai_proto_layer_timing layers[256];
  uint32_t count = 0;
  CHECK_EQ_INT(xai_host_read_times(dev, engine, layers, 256, &count, &err),
               XAI_OK);
  CHECK_EQ_INT(count, ops);
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; i++) total += layers[i].ticks;
  CHECK(total > 0);
  free(input);
  free(dev_out);
  free(ref_out);
}

typedef struct {
  emulator_proc *emu;
  uint64_t killed_at;
} kill_plan;

static void kill_midway(void *user, uint64_t done, uint64_t total) {
  kill_plan *k = user;
  if (!k->killed_at && done > total / 3) {
    emulator_kill(k->emu);
    k->killed_at = now_ms();
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || access(argv[1], X_OK) != 0) {
    fprintf(stderr, "test_host_e2e: SKIP: xai_device_emulator is not built\n");
    return XAI_TEST_SKIP;
  }
  const char *src = getenv("XAI_SOURCE_DIR");
  char path[512];
  snprintf(path, sizeof path, "%s/examples/models/hello_conv_int8.tflite",
           src ? src : ".");
  uint8_t *hello = NULL;
  size_t hello_size = 0;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &hello, &hello_size, &err) != XAI_OK) {
    fprintf(stderr, "test_host_e2e: %s\n", err.message);
    return 1;
  }
  emulator_proc emu;
  if (emulator_start(&emu, argv[1], NULL) != 0) {
    fprintf(stderr, "test_host_e2e: the emulator did not start\n");
    emulator_stop(&emu);
    return 1;
  }
  xai_host_device *dev = NULL;
  CHECK_EQ_INT(xai_host_connect(&dev, emu.device, 20000, &err), XAI_OK);
  if (dev) {
    xai_proto_hello h;
    CHECK_EQ_INT(xai_host_hello(dev, &h, &err), XAI_OK);
    CHECK_EQ_INT(h.protocol_version, XAI_PROTO_VERSION);
    CHECK(h.engines >= 2);
    check_model(dev, 0, hello, hello_size, 1);
    /* A second engine holds its own model while the first keeps its one. */
    check_model(dev, 1, hello, hello_size, 1);
    check_model(dev, 0, hello, hello_size, 0);

    /* Program a flash image and load its entry 0 into engine 1. */
    xai_flash_blob_pair pair = {hello, hello_size, NULL, 0};
    uint8_t *image = NULL;
    size_t image_size = 0;
    CHECK_EQ_INT(xai_flash_image_build(&pair, 1, &image, &image_size, &err),
                 XAI_OK);
    CHECK_EQ_INT(xai_host_flash_write(dev, 0, image, image_size, NULL, NULL,
                                      &err),
                 XAI_OK);
    uint8_t *back = malloc(image_size);
    CHECK_EQ_INT(
        xai_host_flash_read(dev, 0, back, image_size, NULL, NULL, &err),
        XAI_OK);
    CHECK(memcmp(back, image, image_size) == 0);
    free(back);
    xai_flash_image_free(image);
    xai_status st = xai_host_set_model_from_flash(dev, 1, 0, &err);
    CHECK_EQ_INT(st, XAI_OK);
    if (st != XAI_OK) fprintf(stderr, "  from flash: %s\n", err.message);
    else check_model(dev, 1, hello, hello_size, 0);

    /* A real model, if the shared models are here. */
    const char *models = xai_test_models_dir();
    if (models) {
      char pd[512];
      snprintf(pd, sizeof pd, "%s/tflm/person_detect.tflite", models);
      uint8_t *m = NULL;
      size_t ms = 0;
      if (xai_file_read(pd, &m, &ms, &err) == XAI_OK) {
        check_model(dev, 1, m, ms, 1);
        xai_file_free(m);
      }
    }

    /* Errors carry the device's status name. */
    uint8_t junk[3000];
    memset(junk, 0x5A, sizeof junk);
    st = xai_host_download_model(dev, 0, junk, sizeof junk, XAI_MODEL_TO_SRAM,
                                 NULL, NULL, &err);
    CHECK(st != XAI_OK);
    fprintf(stderr, "  junk model: %s\n", err.message);
    CHECK(strstr(err.message, "SET_MODEL (engine 0): device replied ") !=
          NULL);
    /* ... and the previous model is still there. */
    check_model(dev, 0, hello, hello_size, 0);

    /* Killed mid-transfer: an error long before the 20 s timeout. */
    size_t big_size = 4u << 20;
    uint8_t *big = calloc(1, big_size);
    kill_plan k = {&emu, 0};
    st = xai_host_download_model(dev, 0, big, big_size, XAI_MODEL_TO_LPDDR,
                                 kill_midway, &k, &err);
    CHECK_EQ_INT(st, XAI_ERR_IO);
    CHECK(k.killed_at != 0);
    CHECK(now_ms() - k.killed_at < 2000);
    fprintf(stderr, "  killed mid-download: %s\n", err.message);
    free(big);
    xai_host_close(dev);
  }
  emulator_stop(&emu);
  xai_file_free(hello);
  return xai_test_finish("test_host_e2e");
}
