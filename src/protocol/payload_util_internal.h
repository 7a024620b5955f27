/* Helpers shared by the variable-length payload codecs. */
#ifndef XAI_PROTOCOL_PAYLOAD_UTIL_INTERNAL_H
#define XAI_PROTOCOL_PAYLOAD_UTIL_INTERNAL_H

#include <stddef.h>
#include <string.h>

#include "le_internal.h"
#include "xai/protocol.h"

/* Entries are padded to 4 bytes so the next one's words stay aligned for
 * a device that reads them in place. */
static inline size_t xai_pad4(size_t n) { return (n + 3u) & ~(size_t)3u; }

/* Names travel as a length byte and at most 63 bytes (longer ones are cut:
 * they are labels for people, not keys). */
static inline size_t xai_wire_name_len(const char *name) {
  return xai_bounded_strlen(name, XAI_PROTO_NAME_BYTES - 1);
}

/* Encode start: *written = 0, and fails unless cap holds `need` bytes
 * ("<what> needs N bytes, buffer has M"). */
xai_status xai_payload_room(const char *what, size_t need, size_t cap,
                            size_t *written, xai_error *err);

/* Decode start of a reply with a fixed header: fails when n is shorter. */
xai_status xai_payload_header(const char *reply, size_t n, size_t header,
                              xai_error *err);

/* Decode end: fails unless every byte was used (`at` == n). */
xai_status xai_payload_all_used(const char *reply, size_t at, size_t n,
                                const char *entry, xai_error *err);

/* A name's wire form at p: its length byte, then its bytes. */
void xai_wire_name_put(uint8_t *p, const char *name);

/* Decodes the name whose length byte is at entry[name_at], where the
 * entry (`avail` bytes left in the payload) is padded to 4 bytes, into
 * name (XAI_PROTO_NAME_BYTES); *entry_bytes is the padded entry size.
 * Errors name "<where> <index> <field>" (e.g. "GET_SPEC reply: tensor 2
 * name") and `at`, the entry's offset in the payload. */
xai_status xai_wire_name_get(const uint8_t *entry, size_t name_at,
                             size_t avail, char *name, size_t *entry_bytes,
                             const char *where, size_t index,
                             const char *field, size_t at, xai_error *err);

#endif
