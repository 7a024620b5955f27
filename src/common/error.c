#include "xai/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void xai_fail_record(xai_error *err, xai_status status, const char *fmt,
                     ...) {
  if (!err) return;
  char msg[XAI_ERROR_MESSAGE_BYTES];
  va_list args;
  va_start(args, fmt);
  vsnprintf(msg, sizeof msg, fmt, args);
  va_end(args);
  /* Messages quote names from untrusted files: keep them one line. */
  for (char *c = msg; *c; c++)
    if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
  memcpy(err->message, msg, sizeof msg);
  err->status = status;
}

void xai_error_clear(xai_error *err) {
  if (err) {
    err->status = XAI_OK;
    err->message[0] = '\0';
  }
}

const char *xai_status_name(xai_status status) {
  switch (status) {
    case XAI_OK: return "ok";
    case XAI_ERR_IO: return "i/o error";
    case XAI_ERR_FORMAT: return "format error";
    case XAI_ERR_UNSUPPORTED: return "unsupported";
    case XAI_ERR_ARGUMENT: return "bad argument";
    case XAI_ERR_NO_MEMORY: return "out of memory";
    case XAI_ERR_RANGE: return "out of range";
    case XAI_ERR_STATE: return "bad state";
  }
  return "unknown status";
}
