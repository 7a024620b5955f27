/* An op xai cannot run, or one it runs in other types, fails init with one
 * line: the op numbered as `xai inspect` numbers it, its tensors' types and
 * shapes, and what would make it run. */
#include <stdlib.h>
#include <string.h>

#include "interp_heap.h"
#include "testlib.h"
#include "xai/tflite.h"

/* One op (code) on int8 [1,4] -> [1,4]; a second, supported op before it
 * when `second` is set, so the failing op is op 1. */
static int build(int32_t code, int second, int8_t type, uint8_t **bytes,
                 size_t *size) {
  xai_model m;
  xai_error e = {0};
  if (xai_model_init(&m, &e)) return 0;
  const int32_t shape[2] = {1, 4};
  float s = 0.1f;
  int64_t z = 0;
  int32_t t[3];
  for (int k = 0; k < 3; k++) {
    t[k] = xai_model_add_tensor(&m, 0, k ? "t" : "in", type, shape, 2, 0);
    if (type == XAI_TYPE_INT8)
      xai_model_set_quant(&m, 0, (uint32_t)t[k], &s, &z, 1, 0);
  }
  int32_t relu = xai_model_opcode(&m, XAI_OP_RELU, NULL, 1);
  int32_t op = xai_model_opcode(&m, code, NULL, 1);
  int ok = relu >= 0 && op >= 0;
  if (second)
    ok = ok && xai_model_add_operator(&m, 0, -1, (uint32_t)relu, &t[0], 1,
                                      &t[1], 1, NULL, NULL, 0) >= 0;
  ok = ok && xai_model_add_operator(&m, 0, -1, (uint32_t)op, &t[second ? 1 : 0],
                                    1, &t[2], 1, NULL, NULL, 0) >= 0;
  ok = ok && xai_model_set_subgraph_io(&m, 0, &t[0], 1, &t[2], 1) == XAI_OK;
  ok = ok && xai_model_write(&m, bytes, size, &e) == XAI_OK;
  xai_model_free(&m);
  return ok;
}

static void expect(int32_t code, int second, int8_t type, const char **want,
                   int n) {
  uint8_t *bytes = NULL;
  size_t size = 0;
  CHECK(build(code, second, type, &bytes, &size));
  xai_interp_config cfg = xai_test_interp_config(bytes, size, NULL, 0);
  xai_test_heap_interp h;
  xai_error e = {0};
  xai_status st = xai_test_heap_interp_init(&h, &cfg, &e);
  CHECK_EQ_INT(st, XAI_ERR_UNSUPPORTED);
  CHECK(strchr(e.message, '\n') == NULL);
  for (int k = 0; k < n; k++) {
    if (!strstr(e.message, want[k]))
      fprintf(stderr, "message lacks '%s': %s\n", want[k], e.message);
    CHECK(strstr(e.message, want[k]) != NULL);
  }
  if (!st) xai_test_heap_interp_free(&h);
  free(bytes);
}

int main(void) {
  /* FLOOR runs on float32 only (as in TFLite Micro). */
  const char *floor_int8[] = {"op 1 FLOOR", "INT8[1,4] -> INT8[1,4]",
                              "INT8", "xai runs it with float32"};
  expect(XAI_OP_FLOOR, 1, XAI_TYPE_INT8, floor_int8, 4);
  /* TOPK_V2 (48) has no kernel. */
  const char *topk[] = {"op 0 TOPK_V2", "FLOAT32[1,4] -> FLOAT32[1,4]",
                        "no kernel", "xai ops"};
  expect(48, 0, XAI_TYPE_FLOAT32, topk, 4);
  return xai_test_finish("runtime_test_unsupported_messages");
}
