/* Flash over the link: FLASH_WRITE then FLASH_READ gives the same bytes
 * (sectors erased as the write reaches them), and SET_MODEL from a flash
 * image entry built with the flash builder. */
#include <stdlib.h>
#include <string.h>

#include "aisrv_harness.h"
#include "model_util.h"
#include "testlib.h"
#include "xai/flash.h"

static int flash_read(harness *h, uint32_t addr, uint32_t n) {
  uint8_t p[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16),
                  (uint8_t)(n >> 24)};
  return harness_request(h, XAI_CMD_FLASH_READ, 0, 0, addr, p, 4);
}

static void test_round_trip(void) {
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  /* Dirty the flash first: a write must erase before programming, or the
   * AND-only programming of NOR flash would corrupt the data. */
  memset(h.flash, 0x00, o.flash_bytes);
  /* An image of one 2-sector "model" blob: 3 sectors with the header. */
  uint32_t blob_n = 2 * 4096 + 123;
  uint8_t *blob = malloc(blob_n);
  test_fill(blob, blob_n, 77);
  xai_flash_blob_pair pair = {blob, blob_n, NULL, 0};
  uint8_t *data = NULL;
  size_t image_n = 0;
  CHECK(xai_flash_image_build(&pair, 1, &data, &image_n, NULL) == XAI_OK);
  uint32_t n = (uint32_t)image_n;
  /* No image yet: the image space reads as erased flash, not as the
   * dirty bytes underneath. */
  CHECK_EQ_INT(flash_read(&h, 0, 16), XAI_PS_OK);
  CHECK(h.data_len == 16 && h.data[0] == 0xFF && h.data[15] == 0xFF);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, data, n,
                              1000, 0), XAI_PS_OK);
  CHECK_EQ_INT(flash_read(&h, 0, n), XAI_PS_OK);
  CHECK_EQ_INT(h.data_len, n);
  CHECK(h.data_len == n && !memcmp(h.data, data, n));
  CHECK_EQ_INT(h.reply_count, 4); /* streamed in 4096-byte chunks */
  CHECK_EQ_INT(h.replies[3].flags & XAI_FRAME_LAST, XAI_FRAME_LAST);
  CHECK_EQ_INT(h.replies[1].seq, h.replies[0].seq + 1);
  /* The first image goes to slot 0; beyond it, the slot is untouched. */
  CHECK(!memcmp(h.flash, data, n));
  CHECK_EQ_INT(h.flash[n + 4096], 0x00);
  /* Not at address 0, larger than a slot, bytes that are no image, reads
   * past the slot. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 4096, data, n,
                              1000, 0), XAI_PS_BAD_ARGUMENT);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, data,
                              o.flash_bytes / 2, 4096, 0),
               XAI_PS_TOO_LARGE);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, blob, blob_n,
                              4096, 0), XAI_PS_BAD_ARGUMENT);
  CHECK(strstr(harness_text(&h), "not a complete flash image") != NULL);
  CHECK_EQ_INT(flash_read(&h, 0, n), XAI_PS_OK); /* still the first image */
  CHECK(h.data_len == n && !memcmp(h.data, data, n));
  CHECK_EQ_INT(flash_read(&h, o.flash_bytes / 2 - 10, 11), XAI_PS_BAD_ARGUMENT);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_FLASH_READ, 0, 0, 0, data, 3),
               XAI_PS_BAD_ARGUMENT);
  xai_flash_image_free(data);
  free(blob);
  harness_free(&h);
}

static void test_model_from_flash(void) {
  test_model pd, hw;
  if (!test_model_load(&pd, "tflm/person_detect.tflite") ||
      !test_model_load(&hw, "tflm/hello_world_int8.tflite"))
    return;
  xai_flash_blob_pair pairs[2] = {
      {hw.bytes, hw.size, NULL, 0},
      {pd.bytes, pd.size, "params", 6},
  };
  uint8_t *image = NULL;
  size_t size = 0;
  CHECK(xai_flash_image_build(pairs, 2, &image, &size, NULL) == XAI_OK);
  harness h;
  harness_opts o = harness_defaults();
  harness_init(&h, &o);
  /* Program the image through the link, then load both entries. */
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_FLASH_WRITE, 0, 0, 0, image,
                              (uint32_t)size, 4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 1, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 1),
                               NULL, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 0),
                               NULL, 0), XAI_PS_OK);
  CHECK(strstr(harness_log(&h), "read from flash entry 1"));
  /* Both run as if uploaded directly. */
  static uint8_t in[96 * 96], want[2];
  test_fill(in, sizeof in, 5);
  CHECK_EQ_INT(harness_upload(&h, XAI_CMD_SET_INPUT, 1, 0, 0, in, sizeof in,
                              4096, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 1, 0, 0, NULL, 0), XAI_PS_OK);
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_GET_OUTPUT, 1, 0, 0, NULL, 0),
               XAI_PS_OK);
  const uint8_t *ins[1] = {in};
  test_model_run(&pd, ins, 0, want, 2);
  CHECK(h.data_len == 2 && !memcmp(h.data, want, 2));
  /* Missing entry; entry without a model; corrupt model blob. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 2),
                               NULL, 0), XAI_PS_BAD_ARGUMENT);
  xai_flash_image img;
  xai_flash_memory mem = {h.flash, o.flash_bytes};
  xai_flash_reader rd = xai_flash_memory_reader(&mem);
  xai_flash_entry e0;
  CHECK(xai_flash_image_open(&img, &rd, NULL) == XAI_OK);
  CHECK(xai_flash_image_entry(&img, 0, &e0, NULL) == XAI_OK);
  h.flash[e0.model_offset + 8] ^= 0xFF;
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_SET_MODEL, 0, 0,
                               XAI_SET_MODEL_ARG(XAI_MODEL_FROM_FLASH, 0),
                               NULL, 0), XAI_PS_MODEL_ERROR);
  CHECK(strstr(harness_text(&h), "fails its CRC"));
  /* Engine 0 still has the model loaded before. */
  CHECK_EQ_INT(harness_request(&h, XAI_CMD_INVOKE, 0, 0, 0, NULL, 0), XAI_PS_OK);
  xai_flash_image_free(image);
  harness_free(&h);
  test_model_free(&pd);
  test_model_free(&hw);
}

int main(void) {
  test_round_trip();
  test_model_from_flash();
  return xai_test_finish("test_aisrv_flash");
}
