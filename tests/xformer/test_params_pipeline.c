/* The whole xformer with a params file: person_detect and mobilenet_v2,
 * compiled with weights inside (run with them in SRAM or, as bytes, in
 * LPDDR) and with weights split off (run from a flash image and from an
 * LPDDR blob), give the same output bits for the same input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_seeded.h"
#include "testlib.h"
#include "xai/flash.h"
#include "xai/runtime.h"
#include "xai/xformer.h"

static xai_status run(const uint8_t *model, size_t size,
                      const xai_params_source *src, uint8_t **out,
                      size_t *out_bytes, xai_error *err) {
  xai_interp_config c = xai_test_interp_config(model, size, NULL, 0);
  c.params = src;
  return xai_test_run_seeded(&c, 99, out, out_bytes, err);
}

static void check(const char *dir, const char *name) {
  char path[1024];
  snprintf(path, sizeof path, "%s/tflm/%s", dir, name);
  uint8_t *model;
  size_t size;
  xai_error err;
  xai_error_clear(&err);
  if (xai_file_read(path, &model, &size, &err)) {
    printf("skip %s: %s\n", name, err.message);
    return;
  }
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  uint8_t *whole, *split, *params;
  size_t whole_size, split_size, params_size;
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &whole, &whole_size, NULL,
                               NULL, NULL, &err), XAI_OK);
  o.params_file = "test.params";
  CHECK_EQ_INT(xai_xformer_run(model, size, &o, &split, &split_size, &params,
                               &params_size, NULL, &err), XAI_OK);
  if (err.status) {
    fprintf(stderr, "%s: %s\n", name, err.message);
    free(model);
    return;
  }
  CHECK(params_size > 0);
  uint8_t *a = NULL, *b = NULL, *c = NULL;
  size_t na = 0, nb = 0, nc = 0;
  CHECK_EQ_INT(run(whole, whole_size, NULL, &a, &na, &err), XAI_OK);

  xai_flash_blob_pair pair = {split, split_size, params, params_size};
  uint8_t *image;
  size_t image_size;
  CHECK_EQ_INT(xai_flash_image_build(&pair, 1, &image, &image_size, &err),
               XAI_OK);
  xai_flash_memory mem = {image, image_size};
  xai_flash_reader rd = xai_flash_memory_reader(&mem);
  xai_flash_image img;
  xai_params_source fl;
  xai_params_flash_state fs;
  CHECK_EQ_INT(xai_flash_image_open(&img, &rd, &err), XAI_OK);
  CHECK_EQ_INT(xai_params_flash(&fl, &fs, &img, 0, 0, &err), XAI_OK);
  CHECK_EQ_INT(run(split, split_size, &fl, &b, &nb, &err), XAI_OK);
  xai_params_source lp =
      xai_params_memory(params, params_size, XAI_PARAMS_LPDDR);
  CHECK_EQ_INT(run(split, split_size, &lp, &c, &nc, &err), XAI_OK);
  if (err.status) fprintf(stderr, "%s: %s\n", name, err.message);
  CHECK(na > 0 && na == nb && na == nc);
  CHECK(a && b && c && memcmp(a, b, na) == 0 && memcmp(a, c, na) == 0);
  printf("%s: %zu output bytes equal with weights inside, from flash and "
         "from LPDDR (params %zu bytes)\n", name, na, params_size);
  xai_flash_image_free(image);
  free(a);
  free(b);
  free(c);
  free(whole);
  free(split);
  free(params);
  free(model);
}

int main(void) {
  const char *dir = xai_test_models_dir();
  if (!dir) return XAI_TEST_SKIP;
  check(dir, "person_detect.tflite");
  check(dir, "mobilenet_v2_quantized_1x3x224x224.tflite");
  return xai_test_finish("xformer_test_params_pipeline");
}
