/* A constant whose shape has a zero dimension stays in the model: the
 * runtime gives it no arena bytes, so an XAI_load_weights op could not
 * replace it ("output 0 must be an arena tensor"; fuzz_xformer found a
 * model with 1,600 bytes behind an [8,67108867,0,16] shape). A normal
 * constant of the same bytes still moves. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/tflite.h"
#include "xformer_internal.h"

/* One ADD of a graph input and a constant of `shape`, 32 bytes of data. */
static uint32_t moved_load_ops(const int32_t *cshape, uint32_t crank) {
  xai_model m;
  xai_error err;
  CHECK_EQ_INT(xai_model_init(&m, &err), XAI_OK);
  static const int8_t data[32] = {1, 2, 3};
  const int32_t shape[] = {1, 32};
  int32_t in = xai_model_add_tensor(&m, 0, "in", XAI_TYPE_INT8, shape, 2, 0);
  uint32_t buf = (uint32_t)xai_model_add_buffer(&m, data, sizeof data);
  int32_t c = xai_model_add_tensor(&m, 0, "c", XAI_TYPE_INT8, cshape, crank, buf);
  int32_t out = xai_model_add_tensor(&m, 0, "out", XAI_TYPE_INT8, shape, 2, 0);
  xai_options opts;
  memset(&opts, 0, sizeof opts);
  const int32_t ins[] = {in, c};
  int32_t oc = xai_model_opcode(&m, XAI_OP_ADD, NULL, 1);
  xai_model_add_operator(&m, 0, -1, (uint32_t)oc, ins, 2, &out, 1, &opts,
                         NULL, 0);
  xai_model_set_subgraph_io(&m, 0, &in, 1, &out, 1);

  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.params_file = "unused.params";
  o.load_externally_if_larger = 16;
  xf_ctx x;
  memset(&x, 0, sizeof x);
  x.m = &m;
  x.opt = &o;
  uint8_t *params = NULL;
  size_t params_size = 0;
  CHECK_EQ_INT(xf_split_params(&x, &params, &params_size, &err), XAI_OK);
  free(params);
  free(x.notes);
  xai_model_free(&m);
  return x.params_load_ops;
}

int main(void) {
  const int32_t empty[] = {8, 67108867, 0, 16}, full[] = {1, 32};
  CHECK_EQ_INT(moved_load_ops(empty, 4), 0);
  CHECK_EQ_INT(moved_load_ops(full, 2), 1);
  return xai_test_finish("xformer_params_split_empty");
}
