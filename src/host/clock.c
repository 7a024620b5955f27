/* Monotonic time for the host library's deadlines. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "transport_internal.h"

uint64_t xai_host_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint32_t xai_host_ms_left(uint64_t deadline_ms) {
  uint64_t now = xai_host_now_ms();
  if (now >= deadline_ms) return 0;
  uint64_t left = deadline_ms - now;
  return left > UINT32_MAX ? UINT32_MAX : (uint32_t)left;
}
