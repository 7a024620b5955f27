/* Models through the server: chunked SET_MODEL, GET_SPEC against the
 * model as the runtime reads it, outputs against a direct runtime run,
 * per-layer timings, two engines, broken transfers, memory limits and
 * tensor size checks. */
#include <stdlib.h>
#include <string.h>

#include "aisrv_harness.h"
#include "model_util.h"
#include "testlib.h"
#include "interp_heap.h"

#define PERSON "tflm/person_detect.tflite"
#define HELLO_WORLD "tflm/hello_world_int8.tflite"

static xai_proto_tensor_info spec_tensors[XAI_AISRV_MAX_IO];

static int get_spec(harness *h, uint8_t engine, xai_proto_spec *spec) {
  int st = harness_request(h, XAI_CMD_GET_SPEC, engine, 0, 0, NULL, 0);
  if (st != XAI_PS_OK) return st;
  xai_error err = {0};
  if (xai_spec_decode(h->data, h->data_len, spec, spec_tensors,
                      XAI_AISRV_MAX_IO, &err) != XAI_OK) {
    fprintf(stderr, "spec: %s\n", err.message);
    return -1;
  }
  return XAI_PS_OK;
}

/* SET_INPUT of input 0 with seeded bytes, INVOKE, GET_OUTPUT 0, compared
 * with a direct run of the same model. */
static void check_inference(harness *h, uint8_t engine, const test_model *m,
                            uint64_t seed) {
  xai_proto_spec spec;
  CHECK_EQ_INT(get_spec(h, engine, &spec), XAI_PS_OK);
  CHECK_EQ_INT(spec.input_count, 1);
  uint32_t in_bytes = spec.tensors[0].bytes;
  uint32_t out_bytes = spec.tensors[spec.input_count].bytes;
  uint8_t *in = malloc(in_bytes), *want = malloc(out_bytes + 1);
  test_fill(in, in_bytes, seed);
  CHECK_EQ_INT(harness_upload(h, XAI_CMD_SET_INPUT, engine, 0, 0, in, in_bytes,
                              1000, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(h, XAI_CMD_INVOKE, engine, 0, 0, NULL, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(h, XAI_CMD_GET_OUTPUT, engine, 0, 0, NULL, 0),
               XAI_PS_OK);
  const uint8_t *ins[1] = {in};
  size_t n = test_model_run(m, ins, 0, want, out_bytes + 1);
  CHECK_EQ_INT(h->data_len, n);
  CHECK(h->data_len == n && memcmp(h->data, want, n) == 0);
  free(in);
  free(want);
}

static void test_person_detect(const test_model *pd) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_SRAM, 0),
                              pd->bytes, (uint32_t)pd->size, 4096, 0),
               XAI_PS_OK);
  /* One OK reply per chunk; the last one is the SET_MODEL result. */
  CHECK_EQ_INT(h.replies[0].flags & XAI_FRAME_LAST, XAI_FRAME_LAST);
  CHECK(strstr(harness_log(&h), "loaded in SRAM (tile 0)") != NULL);

  /* GET_SPEC against the model as the runtime sees it. */
  xai_interp_config c = xai_test_interp_config(pd->bytes, pd->size, NULL, 0);
  xai_test_heap_interp run;
  CHECK(xai_test_heap_interp_init(&run, &c, NULL) == XAI_OK);
  xai_interp *ip = run.ip;
  xai_proto_spec spec;
  CHECK_EQ_INT(get_spec(&h, 0, &spec), XAI_PS_OK);
  CHECK_EQ_INT(spec.arena_bytes_used, xai_interp_arena_used(ip));
  CHECK_EQ_INT(spec.input_count, xai_interp_input_count(ip));
  CHECK_EQ_INT(spec.output_count, xai_interp_output_count(ip));
  for (uint32_t i = 0; i < spec.input_count + spec.output_count; i++) {
    const xai_proto_tensor_info *ti = &spec.tensors[i];
    xai_rt_tensor *t = i < spec.input_count
                           ? xai_interp_input(ip, i)
                           : xai_interp_output(ip, i - spec.input_count);
    CHECK(!strcmp(ti->name, xai_interp_tensor_name(ip, t)));
    CHECK_EQ_INT(ti->dtype, t->type);
    CHECK_EQ_INT(ti->rank, t->rank);
    for (uint32_t d = 0; d < t->rank; d++) CHECK_EQ_INT(ti->shape[d], t->dims[d]);
    CHECK(ti->scale == t->scale);
    CHECK_EQ_INT(ti->zero_point, t->zero_point);
    CHECK_EQ_INT(ti->bytes, t->bytes);
  }
  /* person_detect: 1x96x96x1 int8 in, 1x2 int8 out (the TFLM example). */
  CHECK_EQ_INT(spec.tensors[0].dtype, 9);
  CHECK_EQ_INT(spec.tensors[0].bytes, 96 * 96);
  CHECK_EQ_INT(spec.tensors[1].bytes, 2);
  uint32_t ops = xai_interp_op_count(ip);
  xai_test_heap_interp_free(&run);

  check_inference(&h, 0, pd, 1);
  check_inference(&h, 0, pd, 2);

  /* GET_TIMINGS: one entry per op, each with modelled ticks. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_TIMINGS, 0, 0, 0, NULL, 0),
               XAI_PS_OK);
  static xai_proto_layer_timing layers[512];
  uint32_t count = 0;
  CHECK(xai_timings_decode(h.data, h.data_len, layers, 512, &count, NULL) ==
        XAI_OK);
  CHECK_EQ_INT(count, ops);
  for (uint32_t i = 0; i < count; i++) {
    CHECK(layers[i].ticks > 0);
    CHECK(layers[i].op[0] != 0);
  }
  CHECK(!strcmp(layers[0].op, "CONV_2D") || !strcmp(layers[0].op, "DEPTHWISE_CONV_2D"));

  /* Wrong input size: BAD_ARGUMENT, the log names tensor and both sizes. */
  uint8_t small[100] = {0};
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_INPUT, 0, 0, 0, small, 100),
               XAI_PS_BAD_ARGUMENT);
  const char *log = harness_log(&h);
  CHECK(strstr(log, "input 0") && strstr(log, "9216 bytes") &&
        strstr(log, "100 bytes"));
  /* Missing tensors. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_INPUT, 0, 1, 0, small, 100),
               XAI_PS_BAD_ARGUMENT);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_OUTPUT, 0, 1, 0, NULL, 0),
               XAI_PS_BAD_ARGUMENT);
  /* The model survives all that. */
  check_inference(&h, 0, pd, 3);
  harness_free(&h);
}

static void test_two_engines(const test_model *pd, const test_model *hw) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes,
                              (uint32_t)pd->size, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0, 0, hw->bytes,
                              (uint32_t)hw->size, 512, 0), XAI_PS_OK);
  check_inference(&h, 1, hw, 10);
  check_inference(&h, 0, pd, 11);
  check_inference(&h, 1, hw, 12);
  xai_proto_spec spec;
  CHECK_EQ_INT(get_spec(&h, 1, &spec), XAI_PS_OK);
  CHECK_EQ_INT(spec.tensors[0].bytes, 1); /* hello_world: one int8 in */
  /* RESET drops both. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_RESET, 0, 0, 0, NULL, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 1, 0, 0, NULL, 0),
               XAI_PS_NO_MODEL);
  harness_free(&h);
}

static void test_broken_transfers(const test_model *pd, const test_model *hw) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, hw->bytes,
                              (uint32_t)hw->size, 1024, 0), XAI_PS_OK);
  /* 1: truncated (the host stops after 3 chunks), then another command. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes,
                              (uint32_t)pd->size, 4096, 3), XAI_PS_OK);
  check_inference(&h, 0, hw, 20);
  CHECK(strstr(harness_log(&h), "dropped after 12288 of") != NULL);
  /* 2: truncated, then a new FIRST (a new upload) which also breaks. */
  harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes, (uint32_t)pd->size,
                 4096, 5);
  harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes, (uint32_t)pd->size,
                 4096, 2);
  /* 3: a chunk skipped: the next one is refused. */
  harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes, (uint32_t)pd->size,
                 4096, 2);
  xai_frame_header hdr;
  xai_frame_header_init(&hdr, XAI_CMD_SET_MODEL, h.seq + 1);
  hdr.flags = 0;
  hdr.offset = 3 * 4096;
  hdr.length = 4096;
  hdr.total = (uint32_t)pd->size;
  CHECK_EQ_INT(harness_frame(&h, &hdr, pd->bytes + hdr.offset),
               XAI_PS_BAD_ARGUMENT);
  /* 4: the link drops mid-transfer. */
  harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes, (uint32_t)pd->size,
                 4096, 4);
  xai_aisrv_link_reset(h.srv);
  check_inference(&h, 0, hw, 21);
  /* 5: complete but corrupt: refused by the model check, old model kept. */
  uint8_t *bad = malloc(pd->size);
  memcpy(bad, pd->bytes, pd->size);
  memset(bad + 4, 0xEE, 64);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, bad,
                              (uint32_t)pd->size, 4096, 0),
               XAI_PS_MODEL_ERROR);
  free(bad);
  check_inference(&h, 0, hw, 22);
  /* 6: a good upload after all that replaces it. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes,
                              (uint32_t)pd->size, 4096, 0), XAI_PS_OK);
  check_inference(&h, 0, pd, 23);
  harness_free(&h);
}

static void test_memory_limits(const test_model *pd, const test_model *hw) {
  harness h;
  harness_opts o = harness_defaults();
  /* 320 KiB per tile: person_detect's 300568 bytes fit, its arena does not. */
  o.sram_bytes = 384 * 1024;
  o.lpddr_bytes = 0;
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0, 0, hw->bytes,
                              (uint32_t)hw->size, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0, 0, pd->bytes,
                              (uint32_t)pd->size, 4096, 0),
               XAI_PS_NO_MEMORY);
  const char *log = harness_log(&h);
  CHECK(strstr(log, "bytes needed in SRAM; tile 1 has 327680 bytes available"));
  check_inference(&h, 1, hw, 30);
  /* No LPDDR on this device. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 1, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_LPDDR, 0),
                              pd->bytes, (uint32_t)pd->size, 4096, 0),
               XAI_PS_NO_MEMORY);
  harness_free(&h);

  /* 256 KiB per tile: refused at the first chunk, before any data. */
  o = harness_defaults();
  o.sram_bytes = 256 * 1024;
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes,
                              (uint32_t)pd->size, 4096, 0),
               XAI_PS_NO_MEMORY);
  CHECK_EQ_INT(h.replies[0].offset, 0);
  CHECK(strstr(harness_log(&h), "tile 0 has 196608 bytes available"));
  /* ... but it runs with the model in LPDDR and the arena in SRAM. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0,
                              XAI_SET_MODEL_ARG(XAI_MODEL_TO_LPDDR, 0),
                              pd->bytes, (uint32_t)pd->size, 4096, 0),
               XAI_PS_OK);
  CHECK(strstr(harness_log(&h), "loaded in LPDDR"));
  check_inference(&h, 0, pd, 31);
  harness_free(&h);

  /* A staging area smaller than the model: TOO_LARGE at the first chunk. */
  o = harness_defaults();
  o.staging_bytes = 64 * 1024;
  harness_init(&h, &o);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 0, pd->bytes,
                              (uint32_t)pd->size, 4096, 0),
               XAI_PS_TOO_LARGE);
  CHECK_EQ_INT(h.replies[0].flags & XAI_FRAME_FIRST, XAI_FRAME_FIRST);
  /* Unknown memory kind. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_MODEL, 0, 0, 7, hw->bytes,
                              (uint32_t)hw->size, 4096, 0),
               XAI_PS_BAD_ARGUMENT);
  harness_free(&h);
}

int main(void) {
  test_model pd, hw;
  if (!test_model_load(&pd, PERSON) || !test_model_load(&hw, HELLO_WORLD))
    return XAI_TEST_SKIP;
  test_person_detect(&pd);
  test_two_engines(&pd, &hw);
  test_broken_transfers(&pd, &hw);
  test_memory_limits(&pd, &hw);
  test_model_free(&pd);
  test_model_free(&hw);
  return xai_test_finish("test_aisrv_model");
}
