/* The licence-plate pipeline on the device (examples/licence_plate/
 * README.md): the finder on engine 0 (tile 0) and the reader on engine 1
 * (tile 1). Frame k goes into the finder while the reader reads the
 * finder's output of frame k-1, copied on the device (LINK_INPUT), and
 * both tiles compute at once (INVOKE_TILES): a two-stage pipeline with the
 * host only sending frames and reading plates.
 * Usage: plate_pipeline DEVICE FINDER.tflite READER.tflite [--frames N]
 *                       [--dump DIR]
 * --dump writes DIR/frame_K.bin (finder input) and DIR/plate_K.bin (reader
 * output) for checking against `xai run`. Exit 0, or 1 with one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/common.h"
#include "xai/host.h"

#define FRAME_BYTES 512u  /* 16x32 grey, int8 */
#define PLATE_CHARS 7u
#define CLASSES 36u

static const char k_alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static int fail(const char *what, const xai_error *err) {
  fprintf(stderr, "plate_pipeline: %s: %s\n", what, err->message);
  return 1;
}

/* A synthetic frame: a bright band (the plate) over a dark gradient. */
static void make_frame(uint32_t k, int8_t *f) {
  for (uint32_t y = 0; y < 16; y++)
    for (uint32_t x = 0; x < 32; x++) {
      int v = (int)(x * 2 + y) - 64;
      if (y >= 5 && y < 11 && x >= 4 + k % 8 && x < 24 + k % 8)
        v = 90 - (int)(((x * 7 + k * 13) % 11) * 9);
      f[y * 32 + x] = (int8_t)v;
    }
}

static void dump(const char *dir, const char *what, uint32_t k,
                 const void *data, size_t n) {
  if (!dir) return;
  char path[512];
  snprintf(path, sizeof path, "%s/%s_%u.bin", dir, what, k);
  xai_error err;
  xai_file_write_atomic(path, data, n, &err);
}

static int load(xai_host_device *dev, uint8_t engine, const char *path) {
  uint8_t *m = NULL;
  size_t n = 0;
  xai_error err;
  if (xai_file_read(path, &m, &n, &err)) return fail(path, &err);
  xai_status st = xai_host_download_model(dev, engine, m, n,
                                          XAI_MODEL_TO_SRAM, NULL, NULL, &err);
  xai_file_free(m);
  return st ? fail(path, &err) : 0;
}

static uint64_t ticks(xai_host_device *dev, uint8_t engine) {
  xai_proto_layer_timing l[16];
  uint32_t n = 0;
  xai_error err;
  uint64_t t = 0;
  if (xai_host_read_times(dev, engine, l, 16, &n, &err) == XAI_OK)
    for (uint32_t i = 0; i < n; i++) t += l[i].ticks;
  return t;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: plate_pipeline DEVICE FINDER.tflite READER.tflite "
            "[--frames N] [--dump DIR]\n");
    return 2;
  }
  uint32_t frames = 8;
  const char *dir = NULL;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--frames")) frames = (uint32_t)strtoul(argv[i + 1], NULL, 10);
    else if (!strcmp(argv[i], "--dump")) dir = argv[i + 1];
  }
  if (frames < 1 || frames > 1000) frames = 8;
  xai_error err;
  xai_host_device *dev = NULL;
  if (xai_host_connect(&dev, argv[1], 0, &err)) return fail(argv[1], &err);
  int rc = load(dev, 0, argv[2]) || load(dev, 1, argv[3]);
  int8_t frame[FRAME_BYTES], logits[PLATE_CHARS * CLASSES];
  uint64_t pipe = 0, seq = 0;
  /* Step k: the finder takes frame k, the reader the finder's output of
   * frame k-1; one more step drains the pipe. */
  for (uint32_t k = 0; !rc && k <= frames; k++) {
    uint32_t mask = 0;
    if (k < frames) {
      make_frame(k, frame);
      dump(dir, "frame", k, frame, sizeof frame);
      if (xai_host_write_input(dev, 0, 0, frame, sizeof frame, &err)) {
        rc = fail("finder input", &err);
        break;
      }
      mask |= 1u;
    }
    if (k > 0) {
      if (xai_host_link_input(dev, 1, 0, 0, 0, &err)) {
        rc = fail("finder output to reader input", &err);
        break;
      }
      mask |= 2u;
    }
    if (xai_host_invoke_tiles(dev, mask, &err)) {
      rc = fail("invoke", &err);
      break;
    }
    uint64_t f = (mask & 1u) ? ticks(dev, 0) : 0;
    uint64_t r = (mask & 2u) ? ticks(dev, 1) : 0;
    pipe += f > r ? f : r;
    seq += f + r;
    if (!(mask & 2u)) continue;
    size_t got = 0;
    if (xai_host_read_output(dev, 1, 0, logits, sizeof logits, &got, &err)) {
      rc = fail("reader output", &err);
      break;
    }
    dump(dir, "plate", k - 1, logits, got);
    char plate[PLATE_CHARS + 1];
    for (uint32_t c = 0; c < PLATE_CHARS; c++) {
      uint32_t best = 0;
      for (uint32_t j = 1; j < CLASSES; j++)
        if (logits[c * CLASSES + j] > logits[c * CLASSES + best]) best = j;
      plate[c] = k_alphabet[best];
    }
    plate[PLATE_CHARS] = '\0';
    printf("frame %u: plate %s\n", k - 1, plate);
  }
  if (!rc)
    printf("%u frames: %.3f ms modelled with the two tiles pipelined, %.3f "
           "ms one model after the other\n", frames, pipe / 1e5, seq / 1e5);
  xai_host_close(dev);
  return rc;
}
