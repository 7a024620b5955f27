/* An applications processor driving an xcore.ai over SPI with the xai host
 * library (docs/ap-spi.md): load a compiled model, send one input, infer,
 * read the output and the per-layer times.
 *
 *   ap_classify DEVICE MODEL.tflite [--input FILE] [--output FILE]
 *
 * DEVICE is "spi:/dev/spidev0.0" on the AP ("usb", or "emu:SOCKET" for the
 * device emulator, which is how the test runs it). Without --input the
 * input is a deterministic pattern. Exit 0 on success, 1 with one line on
 * stderr otherwise. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/host.h"

static int fail(const char *what, const xai_error *err) {
  fprintf(stderr, "ap_classify: %s: %s\n", what, err->message);
  return 1;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      uint8_t *p = realloc(buf, cap);
      if (!p) break;
      buf = p;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return NULL;
  }
  *size = n;
  return buf;
}

int main(int argc, char **argv) {
  const char *device = NULL, *model_path = NULL, *in_path = NULL,
             *out_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--input") && i + 1 < argc) in_path = argv[++i];
    else if (!strcmp(argv[i], "--output") && i + 1 < argc) out_path = argv[++i];
    else if (!device) device = argv[i];
    else if (!model_path) model_path = argv[i];
    else {
      fprintf(stderr, "ap_classify: unexpected argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (!device || !model_path) {
    fprintf(stderr, "usage: ap_classify DEVICE MODEL.tflite [--input FILE] "
                    "[--output FILE]\n");
    return 2;
  }
  xai_error err = {0};
  size_t model_size = 0;
  uint8_t *model = read_file(model_path, &model_size), *input = NULL,
          *output = NULL;
  xai_host_device *dev = NULL;
  int rc = 1;
  if (!model) {
    fprintf(stderr, "ap_classify: cannot read %s\n", model_path);
    goto done;
  }

  /* 1. connect: HELLO tells what the device is */
  if (xai_host_connect(&dev, device, 0, &err)) {
    rc = fail("connect", &err);
    goto done;
  }
  xai_proto_hello hello;
  if (xai_host_hello(dev, &hello, &err)) {
    rc = fail("hello", &err);
    goto done;
  }
  printf("device: %s, %u tiles, %u KiB SRAM per tile, %u MHz\n",
         xai_host_description(dev), (unsigned)hello.tiles,
         (unsigned)(hello.sram_bytes_per_tile / 1024),
         (unsigned)hello.clock_mhz);

  /* 2. load the model into engine 0's SRAM */
  if (xai_host_download_model(dev, 0, model, model_size, XAI_MODEL_TO_SRAM,
                              NULL, NULL, &err))
    {
    rc = fail("load model", &err);
    goto done;
  }

  /* 3. the tensors the model expects */
  xai_host_spec spec;
  if (xai_host_read_spec(dev, 0, &spec, &err)) {
    rc = fail("spec", &err);
    goto done;
  }
  const xai_proto_tensor_info *in = xai_host_spec_input(&spec, 0);
  const xai_proto_tensor_info *out = xai_host_spec_output(&spec, 0);
  if (!in || !out) {
    fprintf(stderr, "ap_classify: the model has no input or no output\n");
    goto done;
  }
  printf("input %s: %u bytes; output %s: %u bytes; arena %u bytes\n", in->name,
         (unsigned)in->bytes, out->name, (unsigned)out->bytes,
         (unsigned)spec.arena_bytes_used);

  /* 4. one input, from a file or a fixed pattern */
  size_t in_size = in->bytes;
  input = in_path ? read_file(in_path, &in_size) : malloc(in_size);
  if (!input) {
    fprintf(stderr, "ap_classify: cannot read the input\n");
    goto done;
  }
  if (!in_path)
    for (size_t i = 0; i < in_size; i++) input[i] = (uint8_t)(i * 31u + 7u);
  if (xai_host_write_input(dev, 0, 0, input, in_size, &err))
    {
    rc = fail("write input", &err);
    goto done;
  }

  /* 5. infer and read back */
  if (xai_host_invoke(dev, 0, &err)) {
    rc = fail("invoke", &err);
    goto done;
  }
  output = malloc(out->bytes ? out->bytes : 1);
  size_t got = 0;
  if (!output || xai_host_read_output(dev, 0, 0, output, out->bytes, &got, &err))
    {
    rc = fail("read output", &err);
    goto done;
  }
  int best = 0;
  for (size_t i = 0; i < got; i++)
    if ((int8_t)output[i] > (int8_t)output[best]) best = (int)i;
  double score = ((int8_t)output[best] - out->zero_point) * out->scale;
  printf("top output %d, score %.4f\n", best, score);

  /* 6. where the time went */
  xai_proto_layer_timing layers[256];
  uint32_t count = 0;
  if (xai_host_read_times(dev, 0, layers, 256, &count, &err))
    {
    rc = fail("timings", &err);
    goto done;
  }
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; i++) total += layers[i].ticks;
  printf("%u layers, %.3f ms on the device\n", (unsigned)count,
         (double)total * 1000.0 / (hello.timer_hz ? hello.timer_hz : 100000000u));

  if (out_path) {
    FILE *f = fopen(out_path, "wb");
    if (!f || fwrite(output, 1, got, f) != got || fclose(f)) {
      fprintf(stderr, "ap_classify: cannot write %s\n", out_path);
      goto done;
    }
  }
  rc = 0;
done:
  free(output);
  free(input);
  free(model);
  if (dev) xai_host_close(dev);
  return rc;
}
