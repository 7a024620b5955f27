/* Force-included into every file of the freestanding device library
 * (cmake/xai_device.cmake): formatting goes to xai_vsnprintf and the heap
 * functions to stubs that always fail, so the library links no stdio and
 * no malloc whatever the C library offers. Only host-side paths use the
 * heap (a kernel's estimate for the xformer report): on the device they
 * fail cleanly with "out of memory" and are never called by invoke. */
#ifndef XAI_FREESTANDING_LIBC_H
#define XAI_FREESTANDING_LIBC_H

#include <inttypes.h>
#include <stddef.h>

#include "xai/platform.h"

void *xai_no_heap_alloc(size_t n);
void *xai_no_heap_calloc(size_t n, size_t m);
void *xai_no_heap_realloc(void *p, size_t n);
void *xai_no_heap_aligned_alloc(size_t a, size_t n);
void xai_no_heap_free(void *p);

/* A freestanding compiler's <stdint.h> may not be the one the C library's
 * <inttypes.h> expects: give the 64-bit format macros ourselves
 * (int64_t is long long on every 32-bit target we build for). */
#ifndef PRIu64
#define PRId64 "lld"
#define PRIu64 "llu"
#define PRIx64 "llx"
#define PRIX64 "llX"
#endif

#define snprintf xai_snprintf
#define vsnprintf xai_vsnprintf
#define malloc(n) xai_no_heap_alloc(n)
#define calloc(n, m) xai_no_heap_calloc(n, m)
#define realloc(p, n) xai_no_heap_realloc(p, n)
#define aligned_alloc(a, n) xai_no_heap_aligned_alloc(a, n)
#define free(p) xai_no_heap_free(p)

#endif
