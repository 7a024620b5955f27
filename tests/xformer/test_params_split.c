/* Params split (docs/weights.md): large constants move to a params file
 * and XAI_load_weights ops feed them back. The split model, run with its
 * params from RAM, LPDDR or a flash image, gives exactly the bits of the
 * unsplit model; a params file of another model, a truncated one, a missing
 * source and a corrupt flash image are refused with clear errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/flash.h"
#include "xai/runtime.h"
#include "xai/xcore_machine.h"
#include "xformer_internal.h"
#include "interp_heap.h"

#define ARENA_BYTES (2u * 1024u * 1024u)
static _Alignas(16) uint8_t g_arena[ARENA_BYTES];

typedef struct {
  uint8_t *model, *params;
  size_t model_size, params_size;
  uint32_t load_ops, moved, kept;
  size_t moved_bytes, kept_bytes;
  uint64_t hash;
} split_result;

static xai_status split(const uint8_t *in, size_t size, size_t threshold,
                        split_result *r, xai_error *err) {
  memset(r, 0, sizeof *r);
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, in, size, err);
  if (st) return st;
  xai_model m;
  st = xai_model_from_view(&m, &view, 1, err);
  if (st) return st;
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.params_file = "unused.params";
  o.load_externally_if_larger = threshold;
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = &m;
  x.opt = &o;
  st = xf_split_params(&x, &r->params, &r->params_size, err);
  if (!st) st = xai_model_write(&m, &r->model, &r->model_size, err);
  r->load_ops = x.params_load_ops;
  r->moved = x.params_tensors_moved;
  r->kept = x.params_tensors_kept;
  r->moved_bytes = x.params_bytes_moved;
  r->kept_bytes = x.params_bytes_kept;
  r->hash = x.params_hash;
  free(x.notes);
  xai_model_free(&m);
  return st;
}

/* Profiling hook: sums the modelled ticks of the XAI_load_weights ops
 * (an op's cost is only valid inside the hook). */
static void sum_load_ticks(void *user, const xai_op_timing *t) {
  if (t->cost && strcmp(t->op_name, "XAI_load_weights") == 0)
    *(uint64_t *)user += t->cost->ticks;
}

/* Runs model on a deterministic input; output 0 copied to out. */
static xai_status run(const uint8_t *model, size_t size,
                      const xai_params_source *src, uint8_t *out,
                      size_t out_cap, uint64_t *load_ticks, xai_error *err) {
  xai_interp_config c =
      xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  c.params = src;
  if (load_ticks) {
    *load_ticks = 0;
    c.hook = sum_load_ticks;
    c.hook_user = load_ticks;
  }
  xai_interp *ip;
  xai_status st = xai_interp_init(&ip, &c, err);
  if (st) return st;
  xai_rt_tensor *in = xai_interp_input(ip, 0);
  uint64_t seed = 12345;
  for (size_t i = 0; i < in->bytes; i++)
    ((uint8_t *)in->data)[i] = (uint8_t)xai_test_rand(&seed);
  st = xai_interp_invoke(ip, err);
  if (st) return st;
  xai_rt_tensor *o = xai_interp_output(ip, 0);
  if (o->bytes > out_cap) return xai_fail(err, XAI_ERR_RANGE, "big output");
  memcpy(out, o->data, o->bytes);
  return XAI_OK;
}

static uint8_t *read_model(const char *dir, const char *name, size_t *size) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tflm/%s", dir, name);
  uint8_t *data = NULL;
  xai_error err;
  if (xai_file_read(path, &data, size, &err)) {
    fprintf(stderr, "skip %s: %s\n", name, err.message);
    return NULL;
  }
  return data;
}

/* Sum of constant bytes in subgraph 0, for the moved + kept check. */
static size_t const_bytes(const uint8_t *model, size_t size) {
  xai_tfl_view v;
  xai_error err;
  if (xai_tfl_open(&v, model, size, &err)) return 0;
  xai_model m;
  if (xai_model_from_view(&m, &v, 1, &err)) return 0;
  size_t total = 0;
  const xai_subgraph *sg = &m.subgraphs[0];
  for (uint32_t t = 0; t < sg->tensor_count; t++) {
    uint32_t b = sg->tensors[t].buffer;
    if (b && b < m.buffer_count && m.buffers[b].data)
      total += m.buffers[b].size;
  }
  xai_model_free(&m);
  return total;
}

static void check_model(const char *dir, const char *name) {
  size_t size;
  uint8_t *orig = read_model(dir, name, &size);
  if (!orig) return;
  xai_error err;
  static uint8_t want[65536], got[65536];
  memset(want, 0, sizeof want);
  memset(got, 0, sizeof got);
  CHECK_EQ_INT(run(orig, size, NULL, want, sizeof want, NULL, &err), XAI_OK);

  split_result r;
  xai_status st = split(orig, size, 100, &r, &err);
  if (st) fprintf(stderr, "%s: split: %s\n", name, err.message);
  CHECK_EQ_INT(st, XAI_OK);
  CHECK(r.params != NULL);
  CHECK(r.load_ops > 0);
  CHECK(r.moved > 0);
  CHECK_EQ_INT(r.moved_bytes + r.kept_bytes, const_bytes(orig, size));
  if (r.moved_bytes > 4096) CHECK(r.model_size < size);
  printf("%s: %u tensors (%zu bytes) moved by %u load ops, %u (%zu bytes) "
         "stay; model %zu -> %zu bytes, params %zu bytes\n",
         name, r.moved, r.moved_bytes, r.load_ops, r.kept, r.kept_bytes, size,
         r.model_size, r.params_size);
  /* Header by the documented layout. */
  CHECK(memcmp(r.params, "XAIW", 4) == 0);
  CHECK_EQ_INT(r.params[4], 1);
  CHECK_EQ_INT(r.params[8], 32);
  uint64_t hash = 0, data_bytes = 0;
  for (int i = 7; i >= 0; i--) {
    data_bytes = data_bytes << 8 | r.params[16 + i];
    hash = hash << 8 | r.params[24 + i];
  }
  CHECK_EQ_INT(data_bytes, r.params_size - 32);
  CHECK(hash == r.hash);
  CHECK(hash == xai_params_hash(r.params + 32, r.params_size - 32));

  /* RAM source: the same bits. */
  xai_params_source ram =
      xai_params_memory(r.params, r.params_size, XAI_PARAMS_RAM);
  CHECK_EQ_INT(xai_params_verify(&ram, &err), XAI_OK);
  uint64_t ticks_ram = 0, ticks_lpddr = 0, ticks_flash = 0;
  st = run(r.model, r.model_size, &ram, got, sizeof got, &ticks_ram, &err);
  if (st) fprintf(stderr, "%s: run: %s\n", name, err.message);
  CHECK_EQ_INT(st, XAI_OK);
  CHECK(memcmp(want, got, sizeof want) == 0);

  /* LPDDR: same bits, ticks = bytes x 1e8 / 800e6 per load op. */
  xai_params_source lp =
      xai_params_memory(r.params, r.params_size, XAI_PARAMS_LPDDR);
  memset(got, 0, sizeof got);
  CHECK_EQ_INT(run(r.model, r.model_size, &lp, got, sizeof got, &ticks_lpddr,
                   &err), XAI_OK);
  CHECK(memcmp(want, got, sizeof want) == 0);
  CHECK(ticks_lpddr >= r.moved_bytes / 8);
  CHECK(ticks_lpddr <= r.moved_bytes / 8 + r.load_ops);

  /* Flash image with this model and its params; 25 MB/s configured. */
  xai_flash_blob_pair pair = {r.model, r.model_size, r.params, r.params_size};
  uint8_t *image;
  size_t image_size;
  CHECK_EQ_INT(xai_flash_image_build(&pair, 1, &image, &image_size, &err),
               XAI_OK);
  xai_flash_memory mem = {image, image_size};
  xai_flash_reader rd = xai_flash_memory_reader(&mem);
  xai_flash_image img;
  CHECK_EQ_INT(xai_flash_image_open(&img, &rd, &err), XAI_OK);
  xai_params_source fl;
  xai_params_flash_state fs;
  CHECK_EQ_INT(xai_params_flash(&fl, &fs, &img, 0,
                                XAI_XCORE_FLASH_BYTES_PER_S_LOW, &err),
               XAI_OK);
  memset(got, 0, sizeof got);
  CHECK_EQ_INT(run(r.model, r.model_size, &fl, got, sizeof got, &ticks_flash,
                   &err), XAI_OK);
  CHECK(memcmp(want, got, sizeof want) == 0);
  /* 25 MB/s: 4 ticks (40 ns) per byte, rounded up per op. */
  CHECK(ticks_flash >= r.moved_bytes * 4);
  CHECK(ticks_flash <= r.moved_bytes * 4 + r.load_ops);
  CHECK(ticks_ram < ticks_lpddr && ticks_lpddr < ticks_flash);

  /* Corrupt one params byte inside the image: the image CRC names the
   * entry and the params blob. */
  xai_flash_entry e;
  CHECK_EQ_INT(xai_flash_image_entry(&img, 0, &e, &err), XAI_OK);
  image[e.params_offset + 40] ^= 0x55;
  xai_error_clear(&err);
  st = xai_flash_image_verify_entry(&img, 0, &err);
  CHECK(st != XAI_OK);
  CHECK(strstr(err.message, "entry 0") != NULL);
  CHECK(strstr(err.message, "params") != NULL);
  image[e.params_offset + 40] ^= 0x55;
  xai_flash_image_free(image);

  /* No source: init succeeds (the report can still cost it), invoke
   * fails naming the missing params file. */
  xai_error_clear(&err);
  st = run(r.model, r.model_size, NULL, got, sizeof got, NULL, &err);
  CHECK(st != XAI_OK);
  CHECK(strstr(err.message, "no weights source") != NULL);

  /* Params of another model: same layout, different data -> hash differs. */
  uint8_t *other = malloc(r.params_size);
  memcpy(other, r.params, r.params_size);
  other[r.params_size - 1] ^= 1;
  uint64_t h2 = xai_params_hash(other + 32, r.params_size - 32);
  for (int i = 0; i < 8; i++) other[24 + i] = (uint8_t)(h2 >> (8 * i));
  xai_params_source bad =
      xai_params_memory(other, r.params_size, XAI_PARAMS_RAM);
  xai_error_clear(&err);
  st = run(r.model, r.model_size, &bad, got, sizeof got, NULL, &err);
  CHECK(st != XAI_OK);
  CHECK(strstr(err.message, "does not belong to this model") != NULL);
  /* The same file with its header hash left alone is corrupt data. */
  for (int i = 0; i < 8; i++) other[24 + i] = (uint8_t)(r.hash >> (8 * i));
  xai_error_clear(&err);
  CHECK(xai_params_verify(&bad, &err) != XAI_OK);
  CHECK(strstr(err.message, "corrupt") != NULL);
  /* Truncated and wrong magic. */
  xai_params_source cut =
      xai_params_memory(r.params, r.params_size - 16, XAI_PARAMS_RAM);
  xai_error_clear(&err);
  st = run(r.model, r.model_size, &cut, got, sizeof got, NULL, &err);
  CHECK(st != XAI_OK);
  CHECK(strstr(err.message, "truncated") != NULL);
  other[0] = 'Z';
  xai_error_clear(&err);
  st = run(r.model, r.model_size, &bad, got, sizeof got, NULL, &err);
  CHECK(st != XAI_OK);
  CHECK(strstr(err.message, "XAIW") != NULL);
  free(other);

  free(r.model);
  free(r.params);
  free(orig);
}

/* A threshold above every constant moves nothing and writes no params. */
static void check_nothing_moves(const char *dir) {
  size_t size;
  uint8_t *orig = read_model(dir, "hello_world_int8.tflite", &size);
  if (!orig) return;
  split_result r;
  xai_error err;
  CHECK_EQ_INT(split(orig, size, 1u << 30, &r, &err), XAI_OK);
  CHECK(r.params == NULL);
  CHECK_EQ_INT(r.params_size, 0);
  CHECK_EQ_INT(r.load_ops, 0);
  CHECK_EQ_INT(r.moved, 0);
  free(r.model);
  free(orig);
}

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  check_model(dir, "hello_world_int8.tflite");
  check_model(dir, "micro_speech_quantized.tflite");
  check_model(dir, "person_detect.tflite");
  check_nothing_moves(dir);
  return xai_test_finish("xformer_test_params_split");
}
