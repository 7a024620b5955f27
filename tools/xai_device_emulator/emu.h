/* The device emulator: the AI server on a local stream socket, configured
 * as an xcore.ai chip. */
#ifndef XAI_DEVICE_EMULATOR_EMU_H
#define XAI_DEVICE_EMULATOR_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/aisrv.h"

/* The link the emulator paces its bytes to (link_model.c). */
typedef enum { EMU_LINK_USB = 0, EMU_LINK_SPI, EMU_LINK_INSTANT } emu_link_kind;
typedef struct {
  emu_link_kind kind;
  uint32_t spi_khz;    /* SPI clock */
  uint64_t busy_until; /* CLOCK_MONOTONIC ns the wire is busy until */
} emu_link;
/* Wire time of `bytes` (frame_start: the first bytes of a frame, which
 * pay the per-frame cost), and a sleep until the wire would be free. */
uint64_t emu_link_ns(const emu_link *l, size_t bytes, bool frame_start);
void emu_link_pace(emu_link *l, size_t bytes, bool frame_start);

typedef struct {
  const char *socket_path;
  uint32_t tiles, sram_kib, firmware_kib, lpddr_mib, flash_mib, flash_mbps,
      clock_mhz;
  /* A connection that sends no frame for this long is dropped when
   * another client waits for the device (docs/device.md section 3). */
  uint32_t idle_timeout_ms;
  const char *flash_file;
  bool foreground;
  emu_link link;
} emu_options;

/* Device flash in memory, mirrored to a file when one is given, so what
 * FLASH_WRITE programs survives a restart. */
typedef struct {
  uint8_t *mem;
  uint32_t size;
  int fd; /* -1 = memory only */
} emu_flash;

int emu_flash_open(emu_flash *f, const char *path, uint32_t size);
void emu_flash_close(emu_flash *f);
xai_aisrv_flash emu_flash_callbacks(emu_flash *f);

/* Listens on opt->socket_path and serves until SIGTERM/SIGINT. ready_fd,
 * if >= 0, receives one byte once the socket listens (for the parent of a
 * daemonised emulator). Returns the exit code. */
int emu_serve(const emu_options *opt, int ready_fd);

#endif
