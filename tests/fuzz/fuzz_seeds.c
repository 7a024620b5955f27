/* Writes the seed corpora that cannot be plain copies of shared files
 * (run by the fuzz build, into the build tree):
 *   fuzz_seeds xformer DIR MODEL...   each model behind a few option bytes
 *                                     (fuzz_xformer.c's layout)
 *   fuzz_seeds host_reply DIR         device sides of sessions the host
 *                                     library completes (fuzz_host_reply.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xai/protocol.h"

static int write_file(const char *dir, const char *name, const uint8_t *a,
                      size_t an, const uint8_t *b, size_t bn) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(a, 1, an, f) != an || (bn && fwrite(b, 1, bn, f) != bn) ||
      fclose(f) != 0) {
    fprintf(stderr, "fuzz_seeds: cannot write %s\n", path);
    return 1;
  }
  return 0;
}

static int xformer_seeds(const char *dir, int n, char **models) {
  /* threads 5; split at 16 bytes; report + split + litert + flash. */
  static const uint8_t options[][2] = {{0x04, 0x00}, {0x09, 0x01}, {0x58, 0x09}};
  for (int i = 0; i < n; i++) {
    FILE *f = fopen(models[i], "rb");
    if (!f) {
      fprintf(stderr, "fuzz_seeds: cannot read %s\n", models[i]);
      return 1;
    }
    static uint8_t model[1 << 20];
    size_t size = fread(model, 1, sizeof model, f);
    fclose(f);
    const char *base = strrchr(models[i], '/');
    base = base ? base + 1 : models[i];
    for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
      char name[512];
      snprintf(name, sizeof name, "seed_%zu_%s", k, base);
      if (write_file(dir, name, options[k], 2, model, size)) return 1;
    }
  }
  return 0;
}

/* ---- host_reply: [commands][device side] --------------------------- */

typedef struct {
  uint8_t b[16384];
  size_t n;
} script;

static void put(script *s, const void *p, size_t n) {
  if (n > sizeof s->b - s->n) abort();
  if (n) memcpy(s->b + s->n, p, n);
  s->n += n;
}
static void put8(script *s, uint8_t v) { put(s, &v, 1); }
static void put16(script *s, uint32_t v) {
  put8(s, (uint8_t)v);
  put8(s, (uint8_t)(v >> 8));
}

/* A whole OK reply (or status != 0 with a message as payload). */
static void reply(script *s, uint8_t status, const void *payload, size_t n) {
  put8(s, 1); /* a built frame, not raw bytes */
  put8(s, status ? 0x01 : 0x00);
  if (status) put8(s, status);
  put16(s, (uint32_t)n);
  put(s, payload, n);
}

/* A streamed reply of total bytes in chunks of 4096 (fill byte v). */
static void stream(script *s, uint32_t total, uint8_t v) {
  static uint8_t chunk[4096];
  memset(chunk, v, sizeof chunk);
  for (uint32_t off = 0; off < total; off += 4096) {
    uint32_t n = total - off < 4096 ? total - off : 4096;
    put8(s, 1);
    put8(s, 0x08);
    put16(s, n);
    if (off == 0) put16(s, total / 4);
    put(s, chunk, n);
  }
}

static void hello(script *s) {
  xai_proto_hello h;
  memset(&h, 0, sizeof h);
  h.protocol_version = XAI_PROTO_VERSION;
  h.max_payload = 4096;
  h.tiles = 2;
  h.engines = 2;
  h.clock_mhz = 800;
  h.sram_bytes_per_tile = 512 * 1024;
  h.lpddr_bytes = 64u << 20;
  h.flash_bytes = 16u << 20;
  h.timer_hz = 100000000;
  strcpy(h.device, "xcore.ai-fuzz");
  uint8_t p[XAI_HELLO_BYTES];
  size_t n = 0;
  if (xai_hello_encode(&h, p, sizeof p, &n, NULL) != XAI_OK) abort();
  reply(s, 0, p, n);
}

static int host_reply_seeds(const char *dir) {
  static const struct {
    const char *name;
    uint8_t commands[8];
    uint8_t count;
  } sessions[] = {
      {"hello", {0}, 1},         {"spec", {0, 1}, 2},
      {"output", {0, 2}, 2},     {"times", {0, 3}, 2},
      {"log", {0, 4}, 2},        {"flash_read", {0, 5}, 2},
      {"model", {0, 6}, 2},      {"invoke", {0, 7, 8, 11}, 4},
      {"invoke_error", {0, 8}, 2},
  };
  for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++) {
    static script s;
    s.n = 0;
    /* Byte 0: commands after the first HELLO in its low 3 bits; bytes
     * 1..count-1 the commands (fuzz_host_reply.c). */
    put8(&s, (uint8_t)(sessions[i].count - 1));
    put(&s, sessions[i].commands + 1, sessions[i].count - 1u);
    hello(&s);
    for (uint8_t k = 1; k < sessions[i].count; k++) {
      switch (sessions[i].commands[k]) {
        case 1: {
          xai_proto_tensor_info t[2];
          memset(t, 0, sizeof t);
          strcpy(t[0].name, "input");
          strcpy(t[1].name, "output");
          for (int j = 0; j < 2; j++) {
            t[j].dtype = 9;
            t[j].rank = 2;
            t[j].shape[0] = 1;
            t[j].shape[1] = 10;
            t[j].scale = 0.5f;
            t[j].bytes = 10;
            t[j].index = (uint16_t)j;
          }
          xai_proto_spec spec = {4096, 1, 1, t};
          uint8_t p[1024];
          size_t n = 0;
          if (xai_spec_encode(&spec, p, sizeof p, &n, NULL) != XAI_OK) abort();
          reply(&s, 0, p, n);
          break;
        }
        case 2: {
          uint8_t out[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
          reply(&s, 0, out, sizeof out);
          break;
        }
        case 3: {
          xai_proto_layer_timing l[2];
          memset(l, 0, sizeof l);
          l[0].ticks = 1234;
          strcpy(l[0].op, "XAI_conv2d");
          l[1].ticks = 99;
          strcpy(l[1].op, "SOFTMAX");
          uint8_t p[512];
          size_t n = 0;
          if (xai_timings_encode(l, 2, p, sizeof p, &n, NULL) != XAI_OK)
            abort();
          reply(&s, 0, p, n);
          break;
        }
        case 4:
          reply(&s, 0, "model loaded\ninvoke ok\n", 23);
          break;
        case 5:
          stream(&s, 8192, 0xA5);
          break;
        case 6: { /* two chunks; the last reply carries the placement */
          reply(&s, 0, NULL, 0);
          xai_proto_placement pl = {XAI_PLACE_SRAM, XAI_PLACE_SRAM,
                                    XAI_PLACE_NONE, 0, 6000, 4096, 0, 0, 0};
          uint8_t p[XAI_PLACEMENT_BYTES];
          size_t n = 0;
          if (xai_placement_encode(&pl, p, sizeof p, &n, NULL) != XAI_OK)
            abort();
          reply(&s, 0, p, n);
          break;
        }
        case 8:
          if (i == sizeof sessions / sizeof sessions[0] - 1) {
            reply(&s, XAI_PS_INFER_ERROR, "op 3 (CONV_2D) failed", 21);
            break;
          }
          reply(&s, 0, NULL, 0);
          break;
        default:
          reply(&s, 0, NULL, 0);
          break;
      }
    }
    char name[64];
    snprintf(name, sizeof name, "seed_%s", sessions[i].name);
    if (write_file(dir, name, s.b, s.n, NULL, 0)) return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && strcmp(argv[1], "xformer") == 0)
    return xformer_seeds(argv[2], argc - 3, argv + 3);
  if (argc == 3 && strcmp(argv[1], "host_reply") == 0)
    return host_reply_seeds(argv[2]);
  fprintf(stderr, "usage: fuzz_seeds xformer DIR MODEL... | host_reply DIR\n");
  return 2;
}
