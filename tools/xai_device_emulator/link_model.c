/* The emulated link's speed (docs/device.md, "Link timing"): bytes cross
 * the socket no faster than they would cross the board's link, so
 * transfer times and progress bars are what a board shows.
 *
 * USB 2.0 high speed, bulk endpoints: 512-byte packets, at most 13 per
 * 125 us microframe (480 Mbit/s less framing: 53.2 MB/s), a zero-length
 * packet after a frame that fills its last packet, and one microframe of
 * turnaround before each reply (the device answers on the next IN poll).
 * SPI: 8 clocks per byte at the configured clock plus 10 us per frame for
 * chip select and the host's turnaround. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "emu.h"

#define USB_PACKET 512u
#define USB_MICROFRAME_NS 125000ull
#define USB_PACKETS_PER_MICROFRAME 13ull
#define SPI_FRAME_NS 10000ull

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t emu_link_ns(const emu_link *l, size_t bytes, bool frame_start) {
  switch (l->kind) {
    case EMU_LINK_USB: {
      uint64_t packets = (bytes + USB_PACKET - 1) / USB_PACKET;
      if (frame_start && bytes % USB_PACKET == 0) packets++; /* ZLP */
      return packets * USB_MICROFRAME_NS / USB_PACKETS_PER_MICROFRAME +
             (frame_start ? USB_MICROFRAME_NS : 0);
    }
    case EMU_LINK_SPI:
      return (uint64_t)bytes * 8ull * 1000000ull / l->spi_khz +
             (frame_start ? SPI_FRAME_NS : 0);
    default:
      return 0;
  }
}

void emu_link_pace(emu_link *l, size_t bytes, bool frame_start) {
  uint64_t cost = emu_link_ns(l, bytes, frame_start);
  if (!cost) return;
  uint64_t now = now_ns();
  /* The wire is busy from whichever is later: now or the last transfer's
   * end; idle time is not banked. */
  uint64_t start = l->busy_until > now ? l->busy_until : now;
  l->busy_until = start + cost;
  if (l->busy_until <= now) return;
  uint64_t wait = l->busy_until - now;
  struct timespec ts = {(time_t)(wait / 1000000000ull),
                        (long)(wait % 1000000000ull)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}
