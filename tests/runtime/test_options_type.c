/* An op whose builtin options are of another op's type is refused at load
 * with a message naming both: the union is decoded by the type the file
 * names, so FULLY_CONNECTED read SoftmaxOptions' float as its bools
 * (fuzz_aisrv: "load of value 12, which is not a valid value for type
 * 'bool'" under UBSan). */
#include <stdlib.h>
#include <string.h>

#include "../interp_heap.h"
#include "rt_models.h"
#include "testlib.h"

static _Alignas(16) uint8_t g_arena[64 * 1024];

static uint8_t *fc_model(uint8_t options_type, size_t *size) {
  xai_model m;
  xai_error err;
  CHECK_EQ_INT(xai_model_init(&m, &err), XAI_OK);
  const int32_t in_shape[] = {1, 4}, w_shape[] = {2, 4}, out_shape[] = {1, 2};
  static const int8_t weights[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  int32_t in = rt_tensor(&m, 0, "in", XAI_TYPE_INT8, in_shape, 2, NULL, 0);
  int32_t w = rt_tensor(&m, 0, "w", XAI_TYPE_INT8, w_shape, 2, weights, 8);
  int32_t out = rt_tensor(&m, 0, "out", XAI_TYPE_INT8, out_shape, 2, NULL, 0);
  rt_quant(&m, 0, in, 0.5f, 0);
  rt_quant(&m, 0, w, 0.25f, 0);
  rt_quant(&m, 0, out, 1.0f, 0);
  xai_options opts;
  memset(&opts, 0, sizeof opts);
  opts.type = options_type;
  /* Bytes 00 00 0C 3F: byte 2, FC's keep_num_dims, is 12. */
  if (options_type == XAI_OPTS_SOFTMAX) opts.u.softmax.beta = 0.546875f;
  const int32_t ins[] = {in, w, -1};
  rt_op(&m, 0, XAI_OP_FULLY_CONNECTED, NULL, ins, 3, &out, 1, &opts);
  xai_model_set_subgraph_io(&m, 0, &in, 1, &out, 1);
  uint8_t *model = NULL;
  CHECK(rt_write(&m, &model, size));
  xai_model_free(&m);
  return model;
}

int main(void) {
  size_t size = 0;
  uint8_t *model = fc_model(XAI_OPTS_SOFTMAX, &size);
  xai_interp_config c = xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  xai_interp *ip;
  xai_error err;
  CHECK_EQ_INT(xai_interp_init(&ip, &c, &err), XAI_ERR_FORMAT);
  CHECK(strstr(err.message, "SoftmaxOptions") &&
        strstr(err.message, "FullyConnectedOptions"));
  free(model);

  /* The right options type (and none at all) still load. */
  model = fc_model(XAI_OPTS_FULLY_CONNECTED, &size);
  c = xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  CHECK_EQ_INT(xai_interp_init(&ip, &c, &err), XAI_OK);
  free(model);
  model = fc_model(XAI_OPTS_NONE, &size);
  c = xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  CHECK_EQ_INT(xai_interp_init(&ip, &c, &err), XAI_OK);
  free(model);
  return xai_test_finish("runtime_options_type");
}
