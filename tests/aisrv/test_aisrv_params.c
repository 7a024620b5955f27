/* Models with a params file through the server: person_detect compiled by
 * the xformer with its weights split off, loaded with the params in flash
 * (SET_MODEL from a flash entry), in LPDDR and in SRAM (SET_PARAMS then
 * SET_MODEL with the params flag). Outputs must equal a direct runtime run
 * of the original, unsplit model; params of another model are refused and
 * the previous model kept; params larger than LPDDR are NO_MEMORY. */
#include <stdlib.h>
#include <string.h>

#include "aisrv_harness.h"
#include "model_util.h"
#include "testlib.h"
#include "xai/flash.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

typedef struct {
  uint8_t *model, *params;
  size_t model_size, params_size;
} split_model;

static int compile_split(const test_model *m, split_model *out) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.thread_count = 5;
  o.params_file = "unused.params"; /* only asks for the split */
  o.quiet = 1;
  xai_xformer_report rep;
  memset(&rep, 0, sizeof rep);
  xai_error err = {0};
  memset(out, 0, sizeof *out);
  xai_status st = xai_xformer_run(m->bytes, m->size, &o, &out->model,
                                  &out->model_size, &out->params,
                                  &out->params_size, &rep, &err);
  xai_xformer_report_free(&rep);
  if (st != XAI_OK) fprintf(stderr, "xformer: %s\n", err.message);
  return st == XAI_OK && out->params && out->params_size;
}

static void split_free(split_model *s) {
  free(s->model);
  free(s->params);
}

/* Runs input 0 (seeded) on the engine; compares output 0 with the direct
 * run of `ref`. Returns the sum of XAI_load_weights ticks. */
static uint64_t check_run(harness *h, uint8_t engine, const test_model *ref,
                          uint32_t in_bytes, uint64_t seed) {
  uint8_t *in = malloc(in_bytes), want[64];
  test_fill(in, in_bytes, seed);
  CHECK_EQ_INT(harness_upload(h, XAI_CMD_SET_INPUT, engine, 0, 0, in,
                              in_bytes, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(h, XAI_CMD_INVOKE, engine, 0, 0, NULL, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(h, XAI_CMD_GET_OUTPUT, engine, 0, 0, NULL, 0),
               XAI_PS_OK);
  uint8_t got[64];
  size_t got_n = h->data_len < sizeof got ? h->data_len : sizeof got;
  memcpy(got, h->data, got_n);
  const uint8_t *ins[1] = {in};
  size_t n = test_model_run(ref, ins, 0, want, sizeof want);
  CHECK_EQ_INT(got_n, n);
  CHECK(got_n == n && memcmp(got, want, n) == 0);
  free(in);
  CHECK_EQ_INT(harness_request(h, XAI_CMD_GET_TIMINGS, engine, 0, 0, NULL, 0),
               XAI_PS_OK);
  static xai_proto_layer_timing layers[512];
  uint32_t count = 0;
  xai_error err = {0};
  CHECK(xai_timings_decode(h->data, h->data_len, layers, 512, &count,
                           &err) == XAI_OK);
  uint64_t load = 0;
  for (uint32_t i = 0; i < count; i++)
    if (strcmp(layers[i].op, "XAI_load_weights") == 0) load += layers[i].ticks;
  return load;
}

static xai_proto_placement placement_of(const harness *h) {
  xai_proto_placement p;
  memset(&p, 0xEE, sizeof p);
  xai_error err = {0};
  CHECK(xai_placement_decode(h->data, h->data_len, &p, &err) == XAI_OK);
  return p;
}

static void test_params(const test_model *pd, const test_model *hw,
                        const split_model *sp, const split_model *other) {
  const uint32_t in_bytes = 96 * 96;
  harness h;
  harness_opts o = harness_defaults();
  o.flash_bytes = 2u << 20;
  harness_init(&h, &o);

  /* 1. Params in flash: image of (split model, params), programmed through
   * the link, model loaded from entry 0. */
  xai_flash_blob_pair pair = {sp->model, sp->model_size, sp->params,
                              sp->params_size};
  uint8_t *image = NULL;
  size_t image_size = 0;
  CHECK(xai_flash_image_build(&pair, 1, &image, &image_size, NULL) == XAI_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)image_size, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 0),
                               NULL, 0), XAI_PS_OK);
  xai_proto_placement pl = placement_of(&h);
  CHECK_EQ_INT(pl.params, XAI_PLACE_FLASH);
  CHECK_EQ_INT(pl.params_bytes, sp->params_size);
  CHECK_EQ_INT(pl.params_mbps, 50);
  CHECK_EQ_INT(pl.model, XAI_PLACE_SRAM);
  CHECK(strstr(harness_log(&h), "stream from flash entry 0 at 50 MB/s"));
  uint64_t flash_load = check_run(&h, 0, pd, in_bytes, 1);
  check_run(&h, 0, pd, in_bytes, 2);
  xai_flash_image_free(image);

  /* 2. Everything in LPDDR, on engine 1 (engine 0 keeps its model). */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_PARAMS, 1, 0,
                              XAI_MODEL_TO_LPDDR, sp->params,
                              (uint32_t)sp->params_size, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_LPDDR, 0) |
                                  XAI_SET_MODEL_WITH_PARAMS,
                              sp->model, (uint32_t)sp->model_size, 4096, 0),
               XAI_PS_OK);
  pl = placement_of(&h);
  CHECK_EQ_INT(pl.model, XAI_PLACE_LPDDR);
  CHECK_EQ_INT(pl.params, XAI_PLACE_LPDDR);
  CHECK_EQ_INT(pl.params_mbps, 800);
  uint64_t lpddr_load = check_run(&h, 1, pd, in_bytes, 3);
  check_run(&h, 0, pd, in_bytes, 4);
  fprintf(stderr, "  load ticks: flash %llu, LPDDR %llu\n",
          (unsigned long long)flash_load, (unsigned long long)lpddr_load);
  CHECK(lpddr_load > 0);
  CHECK(flash_load > lpddr_load);
  /* The params were used up: a second SET_MODEL with the flag has none. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_LPDDR, 0) |
                                  XAI_SET_MODEL_WITH_PARAMS,
                              sp->model, (uint32_t)sp->model_size, 4096, 0),
               XAI_PS_BAD_ARGUMENT);
  /* A split model sent without its params is refused. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_LPDDR, 0),
                              sp->model, (uint32_t)sp->model_size, 4096, 0),
               XAI_PS_MODEL_ERROR);
  CHECK(strstr(harness_text(&h), "did not come with it"));
  check_run(&h, 1, pd, in_bytes, 5);

  /* 3. Everything in SRAM: person_detect's compiled model, params and arena
   * fit one tile (the xformer's packed weights are smaller than the
   * original's), and so do hello_world's. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_PARAMS, 1, 0, XAI_MODEL_TO_SRAM,
                              sp->params, (uint32_t)sp->params_size, 4096, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0) |
                                  XAI_SET_MODEL_WITH_PARAMS,
                              sp->model, (uint32_t)sp->model_size, 4096, 0),
               XAI_PS_OK);
  check_run(&h, 1, pd, in_bytes, 6);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_PARAMS, 0, 0, XAI_MODEL_TO_SRAM,
                              other->params, (uint32_t)other->params_size,
                              4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0) |
                                  XAI_SET_MODEL_WITH_PARAMS,
                              other->model, (uint32_t)other->model_size, 4096,
                              0), XAI_PS_OK);
  pl = placement_of(&h);
  CHECK_EQ_INT(pl.model, XAI_PLACE_SRAM);
  CHECK_EQ_INT(pl.arena, XAI_PLACE_SRAM);
  CHECK_EQ_INT(pl.params, XAI_PLACE_SRAM);
  check_run(&h, 0, hw, 1, 9);

  /* 4. Params of another model in the flash entry: refused, engine 0 keeps
   * the model it had. */
  xai_flash_blob_pair wrong = {sp->model, sp->model_size, other->params,
                               other->params_size};
  CHECK(xai_flash_image_build(&wrong, 1, &image, &image_size, NULL) ==
        XAI_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)image_size, 4096, 0), XAI_PS_OK);
  xai_flash_image_free(image);
  /* Engine 0's params are in SRAM now: rewriting the flash leaves it. */
  CHECK(strstr(harness_log(&h), "model dropped") == NULL);
  check_run(&h, 0, hw, 1, 10);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 0),
                               NULL, 0), XAI_PS_MODEL_ERROR);
  CHECK(strstr(harness_log(&h),
               "params in flash entry 0 do not belong to this model"));
  check_run(&h, 0, hw, 1, 11); /* the previous model is intact */
  {
    /* Issue #12: each refusal names its own entry and hashes (the error
     * record used to keep the first, so entry 0 was refused with entry
     * 1's hashes). Two entries with their params swapped. */
    xai_flash_blob_pair crossed[2] = {
        {sp->model, sp->model_size, other->params, other->params_size},
        {other->model, other->model_size, sp->params, sp->params_size}};
    CHECK(xai_flash_image_build(crossed, 2, &image, &image_size, NULL) ==
          XAI_OK);
    CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                                (uint32_t)image_size, 4096, 0), XAI_PS_OK);
    xai_flash_image_free(image);
    uint64_t hs = 0, ho = 0, nb = 0;
    CHECK(xai_params_expected(sp->model, sp->model_size, &hs, &nb));
    CHECK(xai_params_expected(other->model, other->model_size, &ho, &nb));
    char want[2][96];
    snprintf(want[0], sizeof want[0], "hash %016llx in the params file, "
             "%016llx in the model", (unsigned long long)ho,
             (unsigned long long)hs);
    snprintf(want[1], sizeof want[1], "hash %016llx in the params file, "
             "%016llx in the model", (unsigned long long)hs,
             (unsigned long long)ho);
    for (int k = 1; k >= 0; k--) {
      CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                                   XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH,
                                                     (uint32_t)k),
                                   NULL, 0), XAI_PS_MODEL_ERROR);
      const char *t = harness_text(&h);
      CHECK(strstr(t, k ? "flash entry 1" : "flash entry 0") != NULL);
      CHECK(strstr(t, k ? "flash entry 0" : "flash entry 1") == NULL);
      if (!strstr(t, want[k])) {
        fprintf(stderr, "entry %d refused with: %s\n", k, t);
        CHECK(0);
      }
    }
    check_run(&h, 0, hw, 1, 11);
  }
  check_run(&h, 1, pd, in_bytes, 7);
  /* Same through SET_PARAMS. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_PARAMS, 1, 0,
                              XAI_MODEL_TO_LPDDR, other->params,
                              (uint32_t)other->params_size, 4096, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_LPDDR, 0) |
                                  XAI_SET_MODEL_WITH_PARAMS,
                              sp->model, (uint32_t)sp->model_size, 4096, 0),
               XAI_PS_MODEL_ERROR);
  CHECK(strstr(harness_text(&h), "do not belong to this model"));
  check_run(&h, 1, pd, in_bytes, 8);

  /* An update goes to the other image slot: a model streaming its params
   * from the current image keeps running. The update after that rewrites
   * its slot, and drops it rather than let it run with other weights. */
  CHECK(xai_flash_image_build(&pair, 1, &image, &image_size, NULL) == XAI_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)image_size, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 1, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 0),
                               NULL, 0), XAI_PS_OK);
  check_run(&h, 1, pd, in_bytes, 12);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)image_size, 4096, 0), XAI_PS_OK);
  CHECK(strstr(harness_log(&h), "model dropped") == NULL);
  check_run(&h, 1, pd, in_bytes, 14);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)image_size, 4096, 0), XAI_PS_OK);
  xai_flash_image_free(image);
  CHECK(strstr(harness_log(&h), "engine 1: model dropped"));
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 1, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  check_run(&h, 0, hw, 1, 13);
  harness_free(&h);

  /* 5. Params larger than the engine's LPDDR: NO_MEMORY at the first
   * chunk, with the bytes in the log. */
  o = harness_defaults();
  o.lpddr_bytes = 128 * 1024; /* 64 KiB per engine */
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_PARAMS, 0, 0,
                              XAI_MODEL_TO_LPDDR, sp->params,
                              (uint32_t)sp->params_size, 4096, 0),
               XAI_PS_NO_MEMORY);
  CHECK_EQ_INT(h.replies[0].offset, 0);
  char want[160];
  snprintf(want, sizeof want, "params of %zu bytes do not fit the engine's "
           "65536 bytes of LPDDR", sp->params_size);
  CHECK(strstr(harness_log(&h), want));
  /* SET_MODEL with the params flag and nothing sent before. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0) |
                                  XAI_SET_MODEL_WITH_PARAMS,
                              sp->model, (uint32_t)sp->model_size, 4096, 0),
               XAI_PS_BAD_ARGUMENT);
  harness_free(&h);
}

int main(void) {
  test_model pd, hw;
  if (!test_model_load(&pd, "tflm/person_detect.tflite") ||
      !test_model_load(&hw, "tflm/hello_world_int8.tflite"))
    return XAI_TEST_SKIP;
  split_model sp, other;
  CHECK(compile_split(&pd, &sp));
  CHECK(compile_split(&hw, &other));
  if (sp.params && other.params) test_params(&pd, &hw, &sp, &other);
  split_free(&sp);
  split_free(&other);
  test_model_free(&pd);
  test_model_free(&hw);
  return xai_test_finish("test_aisrv_params");
}
