/* Issue #12, atomic flash updates: an image (person_detect split into
 * model + params by the xformer) is in flash; an update to a second version
 * of the same graph with other weights is cut at 20 points spread over the
 * transfer (the writer stops sending, as when it is killed), and also in
 * the commit record itself (a torn write). After each cut the device
 * restarts on that flash, loads entry 0 and must give the host's outputs of
 * the previous version; after a complete update, those of the new one. On a
 * fresh device a cut write leaves "flash holds no complete image". */
#include <stdlib.h>
#include <string.h>

#include "aisrv_harness.h"
#include "model_util.h"
#include "testlib.h"
#include "xai/flash.h"
#include "xai/tflite.h"
#include "xai/xformer.h"

#define FLASH_BYTES (2u << 20)
#define CUTS 20u

/* The same graph with its largest constant buffer (conv weights) negated. */
static int other_weights(const test_model *m, test_model *out) {
  out->size = m->size;
  out->bytes = aligned_alloc(16, (m->size + 15) & ~(size_t)15);
  memcpy(out->bytes, m->bytes, m->size);
  xai_tfl_view v;
  if (xai_tfl_open(&v, out->bytes, out->size, NULL) != XAI_OK) return 0;
  xai_tfl_buffer best = {0};
  for (uint32_t i = 0; i < xai_tfl_buffer_count(&v); i++) {
    xai_tfl_buffer b;
    xai_tfl_get_buffer(&v, i, &b);
    if (b.data && b.size > best.size) best = b;
  }
  if (!best.data) return 0;
  int8_t *w = (int8_t *)(uintptr_t)best.data;
  for (size_t i = 0; i < best.size; i++)
    if (w[i] != -128) w[i] = (int8_t)-w[i];
  return 1;
}

/* A flash image of the model compiled with its params split off. */
static int image_of(const test_model *m, uint8_t **image, size_t *size) {
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.params_file = "unused.params";
  o.quiet = 1;
  xai_xformer_report rep;
  memset(&rep, 0, sizeof rep);
  uint8_t *model = NULL, *params = NULL;
  size_t model_n = 0, params_n = 0;
  xai_error err = {0};
  xai_status st = xai_xformer_run(m->bytes, m->size, &o, &model, &model_n,
                                  &params, &params_n, &rep, &err);
  xai_xformer_report_free(&rep);
  if (st != XAI_OK || !params) {
    fprintf(stderr, "xformer: %s\n", err.message);
    return 0;
  }
  xai_flash_blob_pair pair = {model, model_n, params, params_n};
  st = xai_flash_image_build(&pair, 1, image, size, NULL);
  free(model);
  free(params);
  return st == XAI_OK;
}

/* A device restarted on `flash`: loads entry 0 and checks one inference
 * against the host's run of `want` (NULL: the load must fail with "no
 * complete image"). */
static void boot_and_check(const uint8_t *flash, const test_model *want,
                           uint32_t cut) {
  harness h;
  harness_opts o = harness_defaults();
  o.flash_bytes = FLASH_BYTES;
  harness_init(&h, &o);
  memcpy(h.flash, flash, FLASH_BYTES);
  int st = harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                           XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 0), NULL, 0);
  if (!want) {
    CHECK_EQ_INT(st, XAI_PS_BAD_ARGUMENT);
    CHECK(strstr(harness_text(&h), "flash holds no complete image") != NULL);
    harness_free(&h);
    return;
  }
  if (st != XAI_PS_OK) {
    fprintf(stderr, "cut %u: load failed: %s\n", cut, harness_text(&h));
    CHECK_EQ_INT(st, XAI_PS_OK);
    harness_free(&h);
    return;
  }
  const uint32_t n = 96 * 96;
  uint8_t *in = malloc(n), want_out[16];
  test_fill(in, n, 1000 + cut);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_INPUT, 0, 0, 0, in, n, 4096, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0),
               XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_OUTPUT, 0, 0, 0, NULL, 0),
               XAI_PS_OK);
  const uint8_t *ins[1] = {in};
  size_t wn = test_model_run(want, ins, 0, want_out, sizeof want_out);
  if (!(h.data_len == wn && memcmp(h.data, want_out, wn) == 0))
    fprintf(stderr, "cut %u: outputs differ from the host's\n", cut);
  CHECK(h.data_len == wn && memcmp(h.data, want_out, wn) == 0);
  free(in);
  harness_free(&h);
}

/* Writes `image` to a device whose flash starts as `flash`, sending only
 * `chunks` chunks (0 = all); returns the flash afterwards in `flash`. */
static void write_cut(uint8_t *flash, const uint8_t *image, size_t size,
                      uint32_t chunks) {
  harness h;
  harness_opts o = harness_defaults();
  o.flash_bytes = FLASH_BYTES;
  harness_init(&h, &o);
  memcpy(h.flash, flash, FLASH_BYTES);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)size, 4096, chunks),
               XAI_PS_OK);
  memcpy(flash, h.flash, FLASH_BYTES);
  harness_free(&h);
}

int main(void) {
  test_model v1, v2;
  if (!test_model_load(&v1, "tflm/person_detect.tflite")) {
    printf("test_aisrv_flash_atomic: SKIP (no shared models)\n");
    return xai_test_finish("test_aisrv_flash_atomic");
  }
  CHECK(other_weights(&v1, &v2));
  uint8_t *img1 = NULL, *img2 = NULL;
  size_t n1 = 0, n2 = 0;
  CHECK(image_of(&v1, &img1, &n1));
  CHECK(image_of(&v2, &img2, &n2));
  uint8_t *fresh = malloc(FLASH_BYTES), *base = malloc(FLASH_BYTES),
          *flash = malloc(FLASH_BYTES);
  memset(fresh, 0xFF, FLASH_BYTES);
  const uint32_t chunks = (uint32_t)((n2 + 4095) / 4096);

  /* A fresh device: a cut first write leaves no image, and says so. */
  memcpy(flash, fresh, FLASH_BYTES);
  write_cut(flash, img1, n1, chunks / 2);
  boot_and_check(flash, NULL, 0);

  /* The previous image: v1, then the same flash after a complete update
   * to v2 and one back to v1 (so both slots have held an image). */
  memcpy(base, fresh, FLASH_BYTES);
  write_cut(base, img1, n1, 0);
  boot_and_check(base, &v1, 100);
  memcpy(flash, base, FLASH_BYTES);
  write_cut(flash, img2, n2, 0);
  boot_and_check(flash, &v2, 101);
  write_cut(flash, img1, n1, 0);
  boot_and_check(flash, &v1, 102);
  memcpy(base, flash, FLASH_BYTES);

  /* 20 cuts spread over the transfer of v2, from the first chunk to the
   * last but one: the device keeps v1. */
  for (uint32_t i = 0; i < CUTS; i++) {
    uint32_t k = 1 + (uint32_t)((uint64_t)i * (chunks - 2) / (CUTS - 1));
    memcpy(flash, base, FLASH_BYTES);
    write_cut(flash, img2, n2, k);
    boot_and_check(flash, &v1, k);
  }

  /* A torn commit record (power lost while programming it): v1 stays. */
  memcpy(flash, base, FLASH_BYTES);
  write_cut(flash, img2, n2, 0);
  uint32_t slot_bytes = FLASH_BYTES / 2;
  uint8_t *rec = NULL;
  for (uint32_t s = 0; s < 2; s++) {
    uint8_t *r = flash + s * slot_bytes + slot_bytes - 4096;
    if (memcmp(r, "XAIS", 4) == 0 && memcmp(base + (r - flash), r, 32) != 0)
      rec = r;
  }
  CHECK(rec != NULL);
  if (rec) {
    memset(rec + 16, 0xFF, 16);
    boot_and_check(flash, &v1, 200);
  }
  free(fresh);
  free(base);
  free(flash);
  xai_flash_image_free(img1);
  xai_flash_image_free(img2);
  test_model_free(&v1);
  free(v2.bytes);
  return xai_test_finish("test_aisrv_flash_atomic");
}
