/* Programming one entry of the device's flash image and keeping the
 * others: the image is read back over the link (header, directory and
 * each kept blob), rebuilt with the entry replaced and written. */
#include <stdlib.h>
#include <string.h>

#include "device_internal.h"
#include "xai/flash.h"
#include "xai/host_placement.h"

typedef struct {
  xai_host_device *dev;
  xai_error *err;
} device_flash;

static xai_status read_device(void *user, uint32_t offset, void *dst,
                              uint32_t n) {
  device_flash *f = user;
  return xai_host_flash_read(f->dev, offset, dst, n, NULL, NULL, f->err);
}

typedef struct {
  xai_flash_blob_pair *pairs;
  uint8_t **blobs; /* what was read back, freed after the write */
  uint32_t count;
} kept_image;

static void kept_free(kept_image *k) {
  for (uint32_t i = 0; k->blobs && i < 2 * k->count; i++) free(k->blobs[i]);
  free(k->blobs);
  free(k->pairs);
  memset(k, 0, sizeof *k);
}

static xai_status read_blob(const xai_flash_image *img, uint32_t index,
                            bool params, uint32_t bytes, uint8_t **out,
                            xai_error *err) {
  *out = malloc(bytes ? bytes : 1);
  if (!*out) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  if (!bytes) return XAI_OK;
  return params ? xai_flash_read_params(img, index, 0, *out, bytes, err)
                : xai_flash_read_model(img, index, 0, *out, bytes, err);
}

/* Reads every entry of the device's image into k (count 0: no image). */
static xai_status read_image(xai_host_device *dev, kept_image *k,
                             xai_error *err) {
  memset(k, 0, sizeof *k);
  uint8_t head[4];
  xai_status st = xai_host_flash_read(dev, 0, head, sizeof head, NULL, NULL,
                                      err);
  if (st) return st;
  if (memcmp(head, XAI_FLASH_MAGIC_BYTES, 4) != 0) return XAI_OK;
  device_flash f = {dev, err};
  xai_flash_reader reader = {read_device, &f, dev->hello.flash_bytes};
  xai_flash_image img;
  xai_error open_err;
  xai_error_clear(&open_err);
  if (xai_flash_image_open(&img, &reader, &open_err) != XAI_OK)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the device's flash image is damaged (%s), so its other "
                    "entries cannot be kept; write a whole new image with "
                    "build_flash_file and xmos_flash",
                    open_err.message);
  k->count = img.entry_count;
  k->pairs = calloc(k->count ? k->count : 1, sizeof *k->pairs);
  k->blobs = calloc(2 * (size_t)(k->count ? k->count : 1), sizeof *k->blobs);
  if (!k->pairs || !k->blobs) {
    kept_free(k);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  for (uint32_t i = 0; i < k->count && !st; i++) {
    xai_flash_entry e;
    st = xai_flash_image_entry(&img, i, &e, err);
    if (!st && (e.flags & XAI_FLASH_HAS_MODEL)) {
      st = read_blob(&img, i, false, e.model_bytes, &k->blobs[2 * i], err);
      k->pairs[i].model = k->blobs[2 * i];
      k->pairs[i].model_bytes = e.model_bytes;
    }
    if (!st && (e.flags & XAI_FLASH_HAS_PARAMS)) {
      st = read_blob(&img, i, true, e.params_bytes, &k->blobs[2 * i + 1],
                     err);
      k->pairs[i].params = k->blobs[2 * i + 1];
      k->pairs[i].params_bytes = e.params_bytes;
    }
  }
  if (st) kept_free(k);
  return st;
}

xai_status xai_host_flash_program_entry(xai_host_device *dev, uint32_t entry,
                                        const void *model, size_t model_size,
                                        const void *params, size_t params_size,
                                        xai_host_progress_fn progress,
                                        void *progress_user, xai_error *err) {
  xai_error_clear(err);
  if (!dev->hello.flash_bytes)
    return xai_fail(err, XAI_ERR_ARGUMENT, "the device has no flash");
  kept_image k;
  xai_status st = read_image(dev, &k, err);
  if (st) return st;
  if (entry > k.count) {
    uint32_t count = k.count;
    kept_free(&k);
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "flash entry %u: the device's flash holds %u entr%s, so "
                    "the next new entry is %u (xformer --xcore-flash-entry)",
                    entry, count, count == 1 ? "y" : "ies", count);
  }
  uint32_t n = entry == k.count ? k.count + 1 : k.count;
  xai_flash_blob_pair *pairs = calloc(n, sizeof *pairs);
  if (!pairs) {
    kept_free(&k);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  if (k.count) memcpy(pairs, k.pairs, k.count * sizeof *pairs);
  pairs[entry].model = model;
  pairs[entry].model_bytes = model ? model_size : 0;
  pairs[entry].params = params;
  pairs[entry].params_bytes = params ? params_size : 0;
  uint8_t *image = NULL;
  size_t image_size = 0;
  st = xai_flash_image_build(pairs, n, &image, &image_size, err);
  free(pairs);
  if (!st && image_size > dev->hello.flash_bytes)
    st = xai_fail(err, XAI_ERR_NO_MEMORY,
                  "the flash image with entry %u is %zu bytes; the device's "
                  "flash holds %u, %zu bytes short",
                  entry, image_size, dev->hello.flash_bytes,
                  image_size - dev->hello.flash_bytes);
  if (!st)
    st = xai_host_flash_write(dev, 0, image, image_size, progress,
                              progress_user, err);
  xai_flash_image_free(image);
  kept_free(&k);
  return st;
}

xai_status xai_host_flash_entry_placement(xai_host_device *dev,
                                          uint32_t entry,
                                          xai_host_model_placement *out,
                                          xai_error *err) {
  xai_error_clear(err);
  memset(out, 0, sizeof *out);
  device_flash f = {dev, err};
  xai_flash_reader reader = {read_device, &f, dev->hello.flash_bytes};
  xai_flash_image img;
  xai_flash_entry e;
  xai_status st = xai_flash_image_open(&img, &reader, err);
  if (!st) st = xai_flash_image_entry(&img, entry, &e, err);
  if (st || !(e.flags & XAI_FLASH_HAS_MODEL)) return st;
  /* The model blob is small next to its params; the runtime's reader
   * wants it 16-byte aligned. */
  uint8_t *model = aligned_alloc(16, ((size_t)e.model_bytes + 15) & ~(size_t)15);
  if (!model) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  st = xai_flash_read_model(&img, entry, 0, model, e.model_bytes, err);
  if (!st) st = xai_host_read_placement(model, e.model_bytes, out, err);
  free(model);
  return st;
}
