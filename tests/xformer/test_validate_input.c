/* Issue #12: the xformer runs the runtime's model checks on its input, so
 * a model the device would refuse (here: conv weights with a non-zero
 * zero point, which TFLite requires to be symmetric) is refused with the
 * runtime's reason instead of being compiled into one that fails later. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/tflite.h"
#include "xai/xformer.h"

#ifndef XAI_SRC_DIR
#define XAI_SRC_DIR "."
#endif

int main(void) {
  uint8_t *bytes = NULL;
  size_t size = 0;
  xai_error err = {0};
  CHECK(xai_file_read(XAI_SRC_DIR "/examples/models/hello_conv_int8.tflite",
                      &bytes, &size, &err) == XAI_OK);
  xai_tfl_view v;
  CHECK(xai_tfl_open(&v, bytes, size, &err) == XAI_OK);
  xai_model m;
  CHECK(xai_model_from_view(&m, &v, 0, &err) == XAI_OK);
  xai_subgraph *sg = &m.subgraphs[0];
  xai_tensor *w = &sg->tensors[sg->operators[0].inputs[1]];
  CHECK(w->quant.zero_point_count > 0);
  for (uint32_t i = 0; i < w->quant.zero_point_count; i++)
    w->quant.zero_point[i] = 300; /* not even an int8 */
  uint8_t *bad = NULL;
  size_t bad_size = 0;
  CHECK(xai_model_write(&m, &bad, &bad_size, &err) == XAI_OK);
  xai_model_free(&m);

  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  uint8_t *out = NULL;
  size_t out_size = 0;
  xai_error_clear(&err);
  xai_status st = xai_xformer_run(bad, bad_size, &o, &out, &out_size, NULL,
                                  NULL, NULL, &err);
  CHECK(st != XAI_OK);
  CHECK(out == NULL);
  CHECK(strstr(err.message, "fails the runtime's checks") != NULL);
  printf("refused: %s\n", err.message);
  free(out);
  free(bad);
  /* The unmodified model still compiles. */
  xai_error_clear(&err);
  CHECK(xai_xformer_run(bytes, size, &o, &out, &out_size, NULL, NULL, NULL,
                        &err) == XAI_OK);
  free(out);
  xai_file_free(bytes);
  return xai_test_finish("test_validate_input");
}
