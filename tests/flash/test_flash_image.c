/* Flash image: layout checked field by field against docs/protocol.md,
 * round trips with '-' entries, sector alignment, and every corruption the
 * reader must catch with an error naming the entry or field. */
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "xai/flash.h"

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}
static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* After editing the directory or header, recompute the two CRCs
 * (directory CRC at header byte 20, header CRC at 28 over bytes 0..27). */
static void refresh_crcs(uint8_t *img) {
  /* The test images have 4 entries; a bogus larger count is only used
   * where the reader must fail before reading the directory. */
  uint32_t count = le32(img + 8) < 4 ? le32(img + 8) : 4;
  put32(img + 20, xai_crc32(0, img + 32, (size_t)count * 32));
  put32(img + 28, xai_crc32(0, img, 28));
}

static uint8_t m0[5000], p0[100], m2[4096], p3[1];

static const xai_flash_blob_pair pairs[4] = {
    {m0, sizeof m0, p0, sizeof p0},
    {NULL, 0, NULL, 0},          /* "- -" */
    {m2, sizeof m2, NULL, 0},    /* model, no params */
    {NULL, 0, p3, sizeof p3},    /* params only */
};

static void build(uint8_t **img, size_t *size) {
  xai_error err = {0};
  CHECK(xai_flash_image_build(pairs, 4, img, size, &err) == XAI_OK);
}

static xai_status open_copy(const uint8_t *img, size_t size,
                            xai_flash_memory *mem, xai_flash_image *out,
                            xai_error *err) {
  mem->data = img;
  mem->size = size;
  xai_flash_reader r = xai_flash_memory_reader(mem);
  return xai_flash_image_open(out, &r, err);
}

static void test_layout(void) {
  uint8_t *img;
  size_t size;
  build(&img, &size);
  /* Layout by hand: directory ends at 32 + 4*32 = 160 -> first blob at
   * 4096. m0 5000 bytes at 4096 -> next 12288; p0 at 12288 -> 16384;
   * m2 at 16384 (4096 bytes) -> 20480; p3 at 20480 -> image 24576. */
  CHECK_EQ_INT(size, 24576);
  CHECK(memcmp(img, "XAIF", 4) == 0);
  CHECK(img[4] == 1 && img[5] == 0);   /* version 1 */
  CHECK(img[6] == 32 && img[7] == 0);  /* entry size */
  CHECK_EQ_INT(le32(img + 8), 4);      /* entry count */
  CHECK_EQ_INT(le32(img + 12), 24576); /* image bytes */
  CHECK_EQ_INT(le32(img + 16), 4096);  /* sector */
  CHECK_EQ_INT(le32(img + 20), xai_crc32(0, img + 32, 128));
  CHECK_EQ_INT(le32(img + 24), 0);
  CHECK_EQ_INT(le32(img + 28), xai_crc32(0, img, 28));
  const uint8_t *e = img + 32;
  const uint32_t expect[4][7] = {
      {4096, 5000, xai_crc32(0, m0, sizeof m0), 12288, 100,
       xai_crc32(0, p0, sizeof p0), 3},
      {0, 0, 0, 0, 0, 0, 0},
      {16384, 4096, xai_crc32(0, m2, sizeof m2), 0, 0, 0, 1},
      {0, 0, 0, 20480, 1, xai_crc32(0, p3, 1), 2},
  };
  for (int i = 0; i < 4; i++) {
    for (int f = 0; f < 7; f++) CHECK_EQ_INT(le32(e + 32 * i + 4 * f), expect[i][f]);
    CHECK_EQ_INT(le32(e + 32 * i + 28), 0);
  }
  CHECK(memcmp(img + 4096, m0, sizeof m0) == 0);
  CHECK(memcmp(img + 12288, p0, sizeof p0) == 0);
  CHECK(memcmp(img + 16384, m2, sizeof m2) == 0);
  CHECK(img[20480] == p3[0]);
  /* Gaps are erased flash (0xFF). */
  CHECK(img[160] == 0xFF && img[4095] == 0xFF);
  CHECK(img[4096 + 5000] == 0xFF && img[12287] == 0xFF);
  CHECK(img[20481] == 0xFF && img[24575] == 0xFF);
  xai_flash_image_free(img);
}

static void test_round_trip(void) {
  uint8_t *img;
  size_t size;
  build(&img, &size);
  xai_flash_memory mem;
  xai_flash_image fi;
  xai_error err = {0};
  CHECK(open_copy(img, size, &mem, &fi, &err) == XAI_OK);
  CHECK_EQ_INT(fi.entry_count, 4);
  CHECK_EQ_INT(fi.image_bytes, 24576);
  CHECK(xai_flash_image_verify(&fi, &err) == XAI_OK);
  xai_flash_entry e;
  for (uint32_t i = 0; i < 4; i++) {
    CHECK(xai_flash_image_entry(&fi, i, &e, &err) == XAI_OK);
    CHECK_EQ_INT(e.model_offset % 4096, 0);
    CHECK_EQ_INT(e.params_offset % 4096, 0);
    CHECK_EQ_INT(e.model_bytes, pairs[i].model_bytes);
    CHECK_EQ_INT(e.params_bytes, pairs[i].params_bytes);
    CHECK_EQ_INT((e.flags & XAI_FLASH_HAS_MODEL) != 0, pairs[i].model != NULL);
    CHECK_EQ_INT((e.flags & XAI_FLASH_HAS_PARAMS) != 0, pairs[i].params != NULL);
  }
  /* Params and models by (entry, offset). */
  uint8_t buf[64];
  CHECK(xai_flash_read_params(&fi, 0, 40, buf, 60, &err) == XAI_OK);
  CHECK(memcmp(buf, p0 + 40, 60) == 0);
  CHECK(xai_flash_read_model(&fi, 2, 4000, buf, 64, &err) == XAI_OK);
  CHECK(memcmp(buf, m2 + 4000, 64) == 0);
  CHECK(xai_flash_read_params(&fi, 3, 0, buf, 1, &err) == XAI_OK);
  CHECK(buf[0] == p3[0]);
  CHECK(xai_flash_read_params(&fi, 0, 0, buf, 0, &err) == XAI_OK);
  /* Past the blob, an absent blob, a missing entry. */
  xai_error_clear(&err);
  CHECK(xai_flash_read_params(&fi, 0, 41, buf, 60, &err) == XAI_ERR_RANGE);
  CHECK(strstr(err.message, "entry 0") != NULL);
  xai_error_clear(&err);
  CHECK(xai_flash_read_params(&fi, 2, 0, buf, 1, &err) == XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "no params") != NULL);
  xai_error_clear(&err);
  CHECK(xai_flash_read_model(&fi, 1, 0, buf, 1, &err) == XAI_ERR_ARGUMENT);
  xai_error_clear(&err);
  CHECK(xai_flash_read_model(&fi, 4, 0, buf, 1, &err) == XAI_ERR_RANGE);
  CHECK(xai_flash_read_params(&fi, 0, 0xFFFFFFF0u, buf, 64, NULL) == XAI_ERR_RANGE);
  xai_flash_image_free(img);

  /* No entries at all is refused; empty-but-present blobs are fine. */
  CHECK(xai_flash_image_build(NULL, 0, &img, &size, &err) ==
        XAI_ERR_ARGUMENT);
  CHECK(strstr(err.message, "no entries") != NULL);
  xai_error_clear(&err);
  xai_flash_blob_pair empty = {m0, 0, p0, 0};
  CHECK(xai_flash_image_build(&empty, 1, &img, &size, &err) == XAI_OK);
  CHECK(open_copy(img, size, &mem, &fi, &err) == XAI_OK);
  CHECK(xai_flash_image_verify(&fi, &err) == XAI_OK);
  CHECK(xai_flash_image_entry(&fi, 0, &e, &err) == XAI_OK);
  CHECK_EQ_INT(e.flags, 3);
  xai_flash_image_free(img);
}

/* Opens a corrupted copy and expects failure mentioning `needle`. */
static void expect_open_fails(const uint8_t *img, size_t size,
                              const char *needle) {
  xai_flash_memory mem;
  xai_flash_image fi;
  xai_error err = {0};
  xai_status s = open_copy(img, size, &mem, &fi, &err);
  CHECK(s != XAI_OK);
  if (s != XAI_OK && !strstr(err.message, needle)) {
    fprintf(stderr, "expected '%s' in: %s\n", needle, err.message);
    CHECK(0);
  }
}

static void test_corruption(void) {
  uint8_t *orig;
  size_t size;
  build(&orig, &size);
  uint8_t *img = malloc(size);

  memcpy(img, orig, size);
  img[0] = 'Y';
  expect_open_fails(img, size, "magic");

  memcpy(img, orig, size);
  img[9] ^= 1; /* entry count, CRC not updated */
  expect_open_fails(img, size, "header CRC");

  memcpy(img, orig, size);
  img[4] = 2;
  refresh_crcs(img);
  expect_open_fails(img, size, "version 2");

  memcpy(img, orig, size);
  img[16] = 0; img[17] = 0x20; /* sector 8192 */
  refresh_crcs(img);
  expect_open_fails(img, size, "sector size");

  memcpy(img, orig, size);
  put32(img + 8, 1000); /* more entries than the image can hold */
  refresh_crcs(img);
  expect_open_fails(img, size, "entries need");

  memcpy(img, orig, size);
  img[32 + 4] ^= 1; /* entry 0 model length; directory CRC not updated */
  expect_open_fails(img, size, "directory CRC");

  /* Geometry errors, with valid CRCs so only the geometry check can
   * catch them. */
  memcpy(img, orig, size);
  put32(img + 32 + 0, 4097);
  refresh_crcs(img);
  expect_open_fails(img, size, "entry 0: model offset 4097 is not aligned");

  memcpy(img, orig, size);
  put32(img + 32 + 64 + 0, 12288); /* entry 2's model over entry 0's params */
  refresh_crcs(img);
  expect_open_fails(img, size, "entry 2: model offset 12288 overlaps");

  memcpy(img, orig, size);
  put32(img + 32 + 0, 0); /* model on top of the header */
  refresh_crcs(img);
  expect_open_fails(img, size, "overlaps the directory");

  memcpy(img, orig, size);
  put32(img + 32 + 96 + 16, 5000); /* entry 3 params now run past the end */
  refresh_crcs(img);
  expect_open_fails(img, size, "entry 3: params (offset 20480, length 5000) runs past");

  memcpy(img, orig, size);
  put32(img + 32 + 32 + 8, 0x1234); /* absent model with a CRC */
  refresh_crcs(img);
  expect_open_fails(img, size, "entry 1: model is marked absent");

  memcpy(img, orig, size);
  put32(img + 32 + 24, 0x13);
  refresh_crcs(img);
  expect_open_fails(img, size, "entry 0: unknown flag");

  /* Issue #12, a strict reader: reserved fields, a length that is not
   * whole sectors, zero entries, trailing bytes after the image. */
  memcpy(img, orig, size);
  put32(img + 24, 1); /* header reserved */
  refresh_crcs(img);
  expect_open_fails(img, size, "header: reserved field is 0x00000001");

  memcpy(img, orig, size);
  put32(img + 32 + 28, 0x80); /* entry 0 reserved */
  refresh_crcs(img);
  expect_open_fails(img, size, "entry 0: reserved field is 0x00000080");

  memcpy(img, orig, size);
  put32(img + 12, (uint32_t)size - 100); /* length not whole sectors */
  refresh_crcs(img);
  expect_open_fails(img, size, "not a multiple of the 4096-byte sector");

  memcpy(img, orig, size);
  put32(img + 8, 0);
  refresh_crcs(img);
  expect_open_fails(img, size, "has no entries");

  {
    uint8_t *longer = calloc(1, size + 7);
    memcpy(longer, orig, size);
    xai_flash_memory mem;
    xai_flash_image fi;
    xai_error err = {0};
    CHECK(open_copy(longer, size + 7, &mem, &fi, &err) == XAI_OK);
    CHECK(xai_flash_image_check_file(&fi, size, &err) == XAI_OK);
    CHECK(xai_flash_image_check_file(&fi, size + 7, &err) == XAI_ERR_FORMAT);
    CHECK(strstr(err.message, "7 bytes follow the") != NULL);
    free(longer);
  }

  /* Truncation anywhere: header, directory, blobs. */
  const size_t cuts[] = {0, 10, 31, 32, 100, 159, 160, 4096, 9000, 24575};
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++)
    expect_open_fails(orig, cuts[i], "truncated");

  /* Blob corruption: open succeeds, verify names the entry and blob. */
  const struct { size_t at; const char *needle; } blobs[] = {
      {4096 + 4999, "entry 0: model CRC mismatch"},
      {12288 + 50, "entry 0: params CRC mismatch"},
      {16384, "entry 2: model CRC mismatch"},
      {20480, "entry 3: params CRC mismatch"},
  };
  for (size_t i = 0; i < 4; i++) {
    memcpy(img, orig, size);
    img[blobs[i].at] ^= 0x10;
    xai_flash_memory mem;
    xai_flash_image fi;
    xai_error err = {0};
    CHECK(open_copy(img, size, &mem, &fi, &err) == XAI_OK);
    CHECK(xai_flash_image_verify(&fi, &err) == XAI_ERR_FORMAT);
    CHECK(strstr(err.message, blobs[i].needle) != NULL);
  }
  /* Bytes in the padding are not covered and do not matter. */
  memcpy(img, orig, size);
  img[4096 + 5000] = 0;
  {
    xai_flash_memory mem;
    xai_flash_image fi;
    xai_error err = {0};
    CHECK(open_copy(img, size, &mem, &fi, &err) == XAI_OK);
    CHECK(xai_flash_image_verify(&fi, &err) == XAI_OK);
  }
  free(img);
  xai_flash_image_free(orig);
}

/* A reader whose device fails after `budget` bytes, and with an unknown
 * size: errors come from read() and name what was being read. */
typedef struct {
  const uint8_t *data;
  uint32_t size, budget;
} failing_flash;

static xai_status failing_read(void *user, uint32_t offset, void *dst,
                               uint32_t n) {
  failing_flash *f = user;
  if ((uint64_t)offset + n > f->size || n > f->budget) return XAI_ERR_IO;
  f->budget -= n;
  memcpy(dst, f->data + offset, n);
  return XAI_OK;
}

static void test_reader_errors(void) {
  uint8_t *img;
  size_t size;
  build(&img, &size);
  failing_flash f = {img, (uint32_t)size, 1000000};
  xai_flash_reader r = {failing_read, &f, 0};
  xai_flash_image fi;
  xai_error err = {0};
  CHECK(xai_flash_image_open(&fi, &r, &err) == XAI_OK);
  CHECK(xai_flash_image_verify(&fi, &err) == XAI_OK);
  f.budget = 100;
  xai_error_clear(&err);
  CHECK(xai_flash_image_verify(&fi, &err) == XAI_ERR_IO);
  CHECK(strstr(err.message, "flash read of model failed") != NULL);
  f.budget = 10;
  xai_error_clear(&err);
  CHECK(xai_flash_image_open(&fi, &r, &err) == XAI_ERR_IO);
  CHECK(strstr(err.message, "header") != NULL);
  /* Unknown size and a short flash: the blob read fails in read(). */
  f.budget = 1000000;
  f.size = 20480; /* ends just before entry 3's params */
  xai_error_clear(&err);
  CHECK(xai_flash_image_open(&fi, &r, &err) == XAI_OK);
  CHECK(xai_flash_image_verify(&fi, &err) == XAI_ERR_IO);
  CHECK(strstr(err.message, "params") != NULL);
  xai_flash_image_free(img);
}

int main(void) {
  uint64_t rng = 77;
  for (size_t i = 0; i < sizeof m0; i++) m0[i] = (uint8_t)xai_test_rand(&rng);
  for (size_t i = 0; i < sizeof p0; i++) p0[i] = (uint8_t)xai_test_rand(&rng);
  for (size_t i = 0; i < sizeof m2; i++) m2[i] = (uint8_t)xai_test_rand(&rng);
  p3[0] = 0x5A;
  test_layout();
  test_round_trip();
  test_corruption();
  test_reader_errors();
  return xai_test_finish("test_flash_image");
}
