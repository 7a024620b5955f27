/* Scaffolding shared by the payload codecs (payload_util_internal.h). */
#include "payload_util_internal.h"

xai_status xai_payload_room(const char *what, size_t need, size_t cap,
                            size_t *written, xai_error *err) {
  if (written) *written = 0;
  if (cap < need)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "%s needs %zu bytes, buffer has %zu", what, need, cap);
  return XAI_OK;
}

xai_status xai_payload_header(const char *reply, size_t n, size_t header,
                              xai_error *err) {
  if (n < header)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "%s: %zu bytes, shorter than its %zu-byte header", reply,
                    n, header);
  return XAI_OK;
}

xai_status xai_payload_all_used(const char *reply, size_t at, size_t n,
                                const char *entry, xai_error *err) {
  if (at != n)
    return xai_fail(err, XAI_ERR_FORMAT, "%s: %zu bytes after the last %s",
                    reply, n - at, entry);
  return XAI_OK;
}

void xai_wire_name_put(uint8_t *p, const char *name) {
  size_t len = xai_wire_name_len(name);
  p[0] = (uint8_t)len;
  memcpy(p + 1, name, len);
}

xai_status xai_wire_name_get(const uint8_t *entry, size_t name_at,
                             size_t avail, char *name, size_t *entry_bytes,
                             const char *where, size_t index,
                             const char *field, size_t at, xai_error *err) {
  size_t len = entry[name_at];
  if (len > XAI_PROTO_NAME_BYTES - 1)
    return xai_fail(err, XAI_ERR_FORMAT, "%s %zu %s of %zu bytes (max %u)",
                    where, index, field, len, XAI_PROTO_NAME_BYTES - 1);
  size_t size = xai_pad4(name_at + 1 + len);
  if (avail < size)
    return xai_fail(err, XAI_ERR_FORMAT, "%s %zu %s truncated at byte %zu",
                    where, index, field, at);
  memcpy(name, entry + name_at + 1, len);
  name[len] = '\0';
  *entry_bytes = size;
  return XAI_OK;
}
