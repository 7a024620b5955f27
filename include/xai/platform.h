/* What the freestanding device library (xai_device, docs/firmware.md)
 * needs from the firmware around it: a time source and, optionally, a log
 * sink. Weights outside the model come through xai_params_source
 * (runtime.h). The library itself uses no heap, no stdio and no OS: only
 * memcpy/memset/strlen-style functions and libm, which every embedded C
 * toolchain provides. */
#ifndef XAI_PLATFORM_H
#define XAI_PLATFORM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Nanoseconds from any fixed origin, for per-layer times (on xcore.ai the
 * 100 MHz reference timer x 10). The library's default returns 0: define
 * it in the firmware to get times. */
uint64_t xai_platform_time_ns(void);

/* One line of device log (aisrv's GET_LOG also keeps it). The default
 * drops it. */
void xai_platform_log(const char *line);

/* printf-style formatting into buf (always terminated when size > 0);
 * returns the length the full text would have. Supports the flags - + 0
 * space #, width and precision (also *), the length modifiers hh h l ll z
 * j t, and the conversions d i u x X o c s p f e g %. The device library
 * formats its error messages with it instead of the C library's. */
int xai_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int xai_snprintf(char *buf, size_t size, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif
