/* The device library's side of platform.h: the runtime's clock and log
 * hooks go to the firmware's functions (weak defaults here), and the heap
 * stubs of freestanding_libc.h. */
#include <stddef.h>
#include <stdint.h>

#include "xai/platform.h"

uint64_t xai_rt_now_ns(void);
void *xai_no_heap_alloc(size_t n);
void *xai_no_heap_calloc(size_t n, size_t m);
void *xai_no_heap_realloc(void *p, size_t n);
void *xai_no_heap_aligned_alloc(size_t a, size_t n);
void xai_no_heap_free(void *p);

__attribute__((weak)) uint64_t xai_platform_time_ns(void) { return 0; }
__attribute__((weak)) void xai_platform_log(const char *line) { (void)line; }

uint64_t xai_rt_now_ns(void) { return xai_platform_time_ns(); }

void *xai_no_heap_alloc(size_t n) {
  (void)n;
  return NULL;
}
void *xai_no_heap_calloc(size_t n, size_t m) {
  (void)n, (void)m;
  return NULL;
}
void *xai_no_heap_realloc(void *p, size_t n) {
  (void)p, (void)n;
  return NULL;
}
void *xai_no_heap_aligned_alloc(size_t a, size_t n) {
  (void)a, (void)n;
  return NULL;
}
void xai_no_heap_free(void *p) { (void)p; }
