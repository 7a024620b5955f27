/* The device log that GET_LOG returns: lines since the last GET_LOG in a
 * fixed buffer. When it fills, the oldest lines go, because the newest
 * explain the failure the host is about to ask about. */
#include <stdio.h>
#include <string.h>

#include "aisrv_internal.h"
#ifdef XAI_DEVICE_LIB
#include "xai/platform.h"
#endif

void aisrv_log(xai_aisrv *s, const char *fmt, ...) {
  char line[XAI_ERROR_MESSAGE_BYTES + 64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  size_t len = (size_t)n < sizeof line - 2 ? (size_t)n : sizeof line - 2;
#ifdef XAI_DEVICE_LIB
  line[len] = '\0';
  xai_platform_log(line); /* the firmware's sink (platform.h) */
#endif
  line[len++] = '\n';
  if (len > s->log_cap) return;
  if (s->log_len + len > s->log_cap) {
    /* Drop whole lines from the front until the new one fits. */
    size_t drop = s->log_len + len - s->log_cap;
    const char *nl = memchr(s->log + drop - 1, '\n', s->log_len - drop + 1);
    size_t cut = nl ? (size_t)(nl - s->log) + 1 : s->log_len;
    memmove(s->log, s->log + cut, s->log_len - cut);
    s->log_len -= cut;
    s->log_dropped++;
  }
  memcpy(s->log + s->log_len, line, len);
  s->log_len += len;
}

void aisrv_log_clear(xai_aisrv *s) {
  s->log_len = 0;
  s->log_dropped = 0;
}
