/* Runs a model emitted by `xformer --emit-c` through its generated API:
 * deterministic input -> IN, output -> OUT. Built once per emitted model
 * (MODEL, MODEL_UP, MODEL_HEADER name it). Usage: runner IN OUT [PARAMS] */
#include <stdio.h>
#include <stdlib.h>

#include MODEL_HEADER

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define F(suffix) CAT(MODEL, suffix)
#define M(suffix) CAT(MODEL_UP, suffix)

static _Alignas(16) uint8_t arena[M(_ARENA_SIZE)];

static int write_bytes(const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(p, 1, n, f) != n) {
    if (f) fclose(f);
    return -1;
  }
  return fclose(f);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s IN OUT [PARAMS]\n", argv[0]);
    return 2;
  }
  xai_params_source src, *params = NULL;
  static uint8_t blob[M(_PARAMS_SIZE) + 1];
  if (argc > 3) {
    FILE *f = fopen(argv[3], "rb");
    size_t n = f ? fread(blob, 1, sizeof blob, f) : 0;
    if (f) fclose(f);
    if (n != M(_PARAMS_SIZE)) {
      fprintf(stderr, "params: read %zu bytes, expected %u\n", n,
              (unsigned)M(_PARAMS_SIZE));
      return 1;
    }
    src = xai_params_memory(blob, n, XAI_PARAMS_RAM);
    params = &src;
  }
  if (F(_init)(arena, sizeof arena, params) != XAI_OK) {
    fprintf(stderr, "init: %s\n", F(_error)());
    return 1;
  }
  uint64_t x = 0x9e3779b97f4a7c15ull;
  uint8_t *in = (uint8_t *)F(_input0)();
  for (size_t i = 0; i < M(_INPUT0_BYTES); i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    in[i] = (uint8_t)(x >> 56);
  }
  /* the arena may reuse the input's bytes during invoke: save it first */
  if (write_bytes(argv[1], in, M(_INPUT0_BYTES))) {
    perror("write");
    return 1;
  }
  if (F(_invoke)() != XAI_OK) {
    fprintf(stderr, "invoke: %s\n", F(_error)());
    return 1;
  }
  uint64_t ticks = 0, est = 0;
  for (uint32_t i = 0; i < M(_LAYER_COUNT); i++) {
    ticks += F(_layer_ticks)(i);
    est += F(_layer_est_ticks)[i];
  }
  printf("layers %u, modelled ticks %llu (xformer estimate %llu)\n",
         (unsigned)M(_LAYER_COUNT), (unsigned long long)ticks,
         (unsigned long long)est);
  if (write_bytes(argv[2], F(_output0)(), M(_OUTPUT0_BYTES))) {
    perror("write");
    return 1;
  }
  return 0;
}
