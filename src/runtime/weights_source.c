/* Weights sources (memory, flash entry) and the params file header: how
 * XAI_load_weights reaches weights the xformer moved out of the model
 * (docs/weights.md). */
#include <string.h>

#include "interp_internal.h"
#include "xai/xcore_machine.h"

static xai_status memory_read(const xai_params_source *src, uint32_t offset,
                              void *dst, uint32_t n, xai_error *err) {
  if (offset > src->size || n > src->size - offset)
    return xai_fail(err, XAI_ERR_RANGE,
                    "params read of %u bytes at %u runs past the end of the "
                    "%u-byte params file; is it truncated?", n, offset,
                    src->size);
  memcpy(dst, (const uint8_t *)src->user + offset, n);
  return XAI_OK;
}

xai_params_source xai_params_memory(const void *params, size_t size,
                                      xai_params_kind kind) {
  xai_params_source s;
  memset(&s, 0, sizeof s);
  s.read = memory_read;
  s.user = (void *)(uintptr_t)params; /* read-only through memory_read */
  s.size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
  s.kind = (uint8_t)kind;
  return s;
}

static xai_status flash_read(const xai_params_source *src, uint32_t offset,
                             void *dst, uint32_t n, xai_error *err) {
  const xai_params_flash_state *fs = src->user;
  return xai_flash_read_params(fs->image, fs->entry, offset, dst, n, err);
}

xai_status xai_params_flash(xai_params_source *src,
                             xai_params_flash_state *state,
                             const xai_flash_image *image, uint32_t entry,
                             uint64_t bytes_per_s, xai_error *err) {
  xai_flash_entry e;
  xai_status st = xai_flash_image_entry(image, entry, &e, err);
  if (st) return st;
  if (!(e.flags & XAI_FLASH_HAS_PARAMS))
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "flash entry %u has no params ('-' was given to "
                    "build_flash_file); rebuild the image with the model's "
                    "params file", entry);
  state->image = image;
  state->entry = entry;
  memset(src, 0, sizeof *src);
  src->read = flash_read;
  src->user = state;
  src->size = e.params_bytes;
  src->kind = XAI_PARAMS_FLASH;
  src->bytes_per_s = bytes_per_s;
  return XAI_OK;
}

uint64_t xai_params_bytes_per_s(const xai_params_source *src) {
  if (src && src->bytes_per_s) return src->bytes_per_s;
  switch (src ? src->kind : XAI_PARAMS_RAM) {
  case XAI_PARAMS_FLASH: return XAI_XCORE_FLASH_BYTES_PER_S_DEFAULT;
  case XAI_PARAMS_LPDDR: return XAI_XCORE_LPDDR_BYTES_PER_S;
  case XAI_PARAMS_TILES: return XAI_XCORE_INTER_TILE_BYTES_PER_S;
  default: return XAI_PARAMS_RAM_BYTES_PER_S;
  }
}

uint64_t xai_params_ticks(uint64_t bytes, uint64_t bytes_per_s) {
  if (bytes_per_s == 0) return 0;
  /* bytes * 1e8 overflows only past 184 GB: no model is that large. */
  return (bytes * XAI_XCORE_REF_TIMER_HZ + bytes_per_s - 1) / bytes_per_s;
}

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= FNV64_PRIME;
  }
  return h;
}

static void put_size(uint8_t out[8], uint64_t v) {
  for (int i = 0; i < 8; i++) out[i] = (uint8_t)(v >> (8 * i));
}

uint64_t xai_params_hash(const void *data, size_t size) {
  uint8_t sz[8];
  put_size(sz, size);
  return fnv1a(fnv1a(FNV64_OFFSET, data, size), sz, 8);
}

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p) {
  return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Reads and validates the header; *data_bytes and *hash from it. */
static xai_status read_header(const xai_params_source *src,
                              uint64_t *data_bytes, uint64_t *hash,
                              xai_error *err) {
  uint8_t h[XAI_PARAMS_HEADER_BYTES];
  if (!src || !src->read)
    return xai_fail(err, XAI_ERR_ARGUMENT, "no params source given");
  if (src->size < XAI_PARAMS_HEADER_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "params file has %u bytes, fewer than its %u-byte "
                    "header; is it truncated?", src->size,
                    XAI_PARAMS_HEADER_BYTES);
  xai_status st = src->read(src, 0, h, sizeof h, err);
  if (st) return st;
  if (memcmp(h, XAI_PARAMS_MAGIC, 4) != 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "params file does not start with \"" XAI_PARAMS_MAGIC
                    "\"; pass the file xformer wrote with "
                    "--xcore-flash-image-file");
  if (rd32(h + 4) != XAI_PARAMS_VERSION ||
      rd32(h + 8) != XAI_PARAMS_HEADER_BYTES)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "params file version %u (header %u bytes); this runtime "
                    "reads version %u", rd32(h + 4), rd32(h + 8),
                    XAI_PARAMS_VERSION);
  *data_bytes = rd64(h + 16);
  *hash = rd64(h + 24);
  if (*data_bytes != (uint64_t)src->size - XAI_PARAMS_HEADER_BYTES)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "params file header says %llu data bytes but %u follow "
                    "it; the file is truncated or padded",
                    (unsigned long long)*data_bytes,
                    src->size - XAI_PARAMS_HEADER_BYTES);
  return XAI_OK;
}

xai_status xai_params_check(const xai_params_source *src, uint64_t expected,
                            xai_error *err) {
  uint64_t n, hash;
  xai_status st = read_header(src, &n, &hash, err);
  if (st) return st;
  if (hash != expected)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "params file does not belong to this model (hash "
                    "%016llx in the params file, %016llx in the model); "
                    "pass the params file written with this model",
                    (unsigned long long)hash, (unsigned long long)expected);
  return XAI_OK;
}

xai_status xai_params_verify(const xai_params_source *src, xai_error *err) {
  uint64_t n, hash;
  xai_status st = read_header(src, &n, &hash, err);
  if (st) return st;
  uint8_t chunk[256];
  uint64_t h = FNV64_OFFSET;
  for (uint64_t done = 0; done < n;) {
    uint32_t k = (uint32_t)(n - done < sizeof chunk ? n - done : sizeof chunk);
    st = src->read(src, (uint32_t)(XAI_PARAMS_HEADER_BYTES + done), chunk, k,
                   err);
    if (st) return st;
    h = fnv1a(h, chunk, k);
    done += k;
  }
  uint8_t sz[8];
  put_size(sz, n);
  h = fnv1a(h, sz, 8);
  if (h != hash)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "params file is corrupt: its data hashes to %016llx but "
                    "its header says %016llx", (unsigned long long)h,
                    (unsigned long long)hash);
  return XAI_OK;
}

const xai_params_source *xai_op_params(const xai_op_ctx *ctx) {
  return ctx && ctx->interp ? ctx->interp->params : NULL;
}
