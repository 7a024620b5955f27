/* The example on the host: the same application and device library as
 * the Cortex-M build, with the host's clock. Usage: embedded_example [N] */
#define _POSIX_C_SOURCE 199309L
#include <stdlib.h>
#include <time.h>

#include "example.h"
#include "xai/platform.h"

uint64_t xai_platform_time_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv) {
  unsigned long frames = argc > 1 ? strtoul(argv[1], NULL, 10) : 12;
  return example_run((uint32_t)frames);
}
