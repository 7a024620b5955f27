/* Status codes and the error context shared by every xai module. */
#ifndef XAI_COMMON_H
#define XAI_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  XAI_OK = 0,
  XAI_ERR_IO,          /* file could not be read or written */
  XAI_ERR_FORMAT,      /* malformed input: bad flatbuffer, bad image, bad frame */
  XAI_ERR_UNSUPPORTED, /* valid input we do not handle: op, type, option */
  XAI_ERR_ARGUMENT,    /* caller passed something inconsistent */
  XAI_ERR_NO_MEMORY,   /* a caller-given region or the heap is too small */
  XAI_ERR_RANGE,       /* index or size out of range */
  XAI_ERR_STATE,       /* call not valid in the current state */
} xai_status;

#define XAI_ERROR_MESSAGE_BYTES 512

/* Carries a failure's message up the stack; callees fill it, callers add
 * context and print it. Clear it before each independent operation. */
typedef struct {
  xai_status status;
  char message[XAI_ERROR_MESSAGE_BYTES];
} xai_error;

#if defined(__GNUC__)
#define XAI_PRINTF(fmt_index, first_arg) \
  __attribute__((format(printf, fmt_index, first_arg)))
#else
#define XAI_PRINTF(fmt_index, first_arg)
#endif

/* Records status and a formatted message in err (if err is not NULL),
 * replacing whatever it held: an error record describes the latest failure
 * only, never an older one. The message may quote err->message (it is
 * formatted into a copy first), which is how a caller adds context to its
 * callee's cause. */
void xai_fail_record(xai_error *err, xai_status status, const char *fmt, ...)
    XAI_PRINTF(3, 4);
/* xai_fail_record, then evaluates to status, so a failing path can
 * `return xai_fail(err, ...)`. A macro so the compiler sees the returned
 * status (no maybe-uninitialized warnings on the callers' outputs). */
#define xai_fail(err, status, ...) \
  (xai_fail_record((err), (status), __VA_ARGS__), xai_failed_with(status))
/* A call rather than the bare value, so `xai_fail(...);` as a statement
 * draws no unused-value warning; inlined to the value itself. */
static inline xai_status xai_failed_with(xai_status status) { return status; }

void xai_error_clear(xai_error *err);
/* err's message, or "" for a NULL err: for adding context to a cause. */
static inline const char *xai_error_text(const xai_error *err) {
  return err ? err->message : "";
}

const char *xai_status_name(xai_status status);

/* Reads a whole file into a malloc'd buffer aligned to 16 bytes (flatbuffer
 * data is 16-byte aligned within the file). Free with xai_file_free. */
xai_status xai_file_read(const char *path, uint8_t **data, size_t *size,
                         xai_error *err);
void xai_file_free(uint8_t *data);

/* Writes to a temporary file beside path and renames it into place, so a
 * failure never leaves a partial output file. */
xai_status xai_file_write_atomic(const char *path, const void *data,
                                 size_t size, xai_error *err);

/* Standard CRC-32 (IEEE 802.3, zlib's crc32): reflected, polynomial
 * 0xEDB88320, init and final xor 0xFFFFFFFF. Start with crc = 0 and pass
 * the previous result to continue over more data:
 *   c = xai_crc32(0, a, na); c = xai_crc32(c, b, nb);  == CRC of a then b.
 * xai_crc32(0, "123456789", 9) == 0xCBF43926. */
uint32_t xai_crc32(uint32_t crc, const void *data, size_t n);

#ifdef __cplusplus
}
#endif

#endif
