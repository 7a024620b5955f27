/* A growing text buffer for the xformer's writers (report JSON and HTML,
 * --emit-c): a failed allocation sets `failed` and later appends do
 * nothing, so a writer checks once at the end. */
#include <stdarg.h>
#include <stdlib.h>

#include "xformer_internal.h"

void xf_text_put(xf_text *b, const char *fmt, ...) {
  if (b->failed) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->data ? b->data + b->len : NULL,
                      b->data ? b->cap - b->len : 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
      b->failed = 1;
      return;
    }
    if (b->data && b->len + (size_t)n < b->cap) {
      b->len += (size_t)n;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 4096;
    while (cap < b->len + (size_t)n + 1) cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
      b->failed = 1;
      return;
    }
    b->data = d;
    b->cap = cap;
  }
}

void xf_text_json_string(xf_text *b, const char *s) {
  xf_text_put(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      xf_text_put(b, "\\%c", *p);
    else if (*p < 0x20)
      xf_text_put(b, "\\u%04x", *p);
    else
      xf_text_put(b, "%c", *p);
  }
  xf_text_put(b, "\"");
}

void xf_text_html(xf_text *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
      case '<': xf_text_put(b, "&lt;"); break;
      case '>': xf_text_put(b, "&gt;"); break;
      case '&': xf_text_put(b, "&amp;"); break;
      case '"': xf_text_put(b, "&quot;"); break;
      default: xf_text_put(b, "%c", *p < 0x20 ? '?' : *p); break;
    }
  }
}

xai_status xf_text_write(xf_text *b, const char *path, const char *what,
                         xai_error *err) {
  xai_status st;
  if (b->failed)
    st = xai_fail(err, XAI_ERR_NO_MEMORY, "%s: out of memory", what);
  else
    st = xai_file_write_atomic(path, b->data ? b->data : "", b->len, err);
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  return st;
}
