/* The device emulator: the AI server on a local stream socket, configured
 * as an xcore.ai chip. */
#ifndef XAI_DEVICE_EMULATOR_EMU_H
#define XAI_DEVICE_EMULATOR_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/aisrv.h"

typedef struct {
  const char *socket_path;
  uint32_t tiles, sram_kib, firmware_kib, lpddr_mib, flash_mib, flash_mbps,
      clock_mhz;
  const char *flash_file;
  bool foreground;
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
