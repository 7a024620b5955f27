/* Emulated QSPI flash: erased (0xFF) memory, loaded from and written back
 * to an image file. Programming only clears bits, as NOR flash does, so a
 * write to unerased flash shows up as corrupt data here too. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu.h"

int emu_flash_open(emu_flash *f, const char *path, uint32_t size) {
  f->fd = -1;
  f->size = size;
  f->mem = malloc(size ? size : 1);
  if (!f->mem) {
    fprintf(stderr, "xai_device_emulator: cannot allocate %u bytes of flash\n",
            size);
    return -1;
  }
  memset(f->mem, 0xFF, size);
  if (!path) return 0;
  f->fd = open(path, O_RDWR | O_CREAT, 0644);
  if (f->fd < 0) {
    fprintf(stderr, "xai_device_emulator: cannot open flash file %s: %s\n",
            path, strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(f->fd, &st) == 0 && (uint64_t)st.st_size > size) {
    fprintf(stderr,
            "xai_device_emulator: flash file %s is %lld bytes, larger than "
            "the %u-byte flash; give a larger --flash-mib\n",
            path, (long long)st.st_size, size);
    return -1;
  }
  size_t at = 0;
  while (at < size) {
    ssize_t n = pread(f->fd, f->mem + at, size - at, (off_t)at);
    if (n <= 0) break;
    at += (size_t)n;
  }
  return 0;
}

void emu_flash_close(emu_flash *f) {
  if (f->fd >= 0) close(f->fd);
  free(f->mem);
  f->mem = NULL;
}

static xai_status writeback(emu_flash *f, uint32_t off, uint32_t n) {
  if (f->fd < 0) return XAI_OK;
  size_t at = 0;
  while (at < n) {
    ssize_t w = pwrite(f->fd, f->mem + off + at, n - at, (off_t)(off + at));
    if (w <= 0) return XAI_ERR_IO;
    at += (size_t)w;
  }
  return XAI_OK;
}

static xai_status fl_read(void *user, uint32_t off, void *dst, uint32_t n) {
  emu_flash *f = user;
  if (off > f->size || n > f->size - off) return XAI_ERR_RANGE;
  memcpy(dst, f->mem + off, n);
  return XAI_OK;
}

static xai_status fl_erase(void *user, uint32_t off, uint32_t n) {
  emu_flash *f = user;
  if (off > f->size || n > f->size - off) return XAI_ERR_RANGE;
  memset(f->mem + off, 0xFF, n);
  return writeback(f, off, n);
}

static xai_status fl_program(void *user, uint32_t off, const void *src,
                             uint32_t n) {
  emu_flash *f = user;
  if (off > f->size || n > f->size - off) return XAI_ERR_RANGE;
  const uint8_t *s = src;
  for (uint32_t i = 0; i < n; i++) f->mem[off + i] &= s[i];
  return writeback(f, off, n);
}

xai_aisrv_flash emu_flash_callbacks(emu_flash *f) {
  xai_aisrv_flash c;
  memset(&c, 0, sizeof c);
  c.read = fl_read;
  c.erase = fl_erase;
  c.program = fl_program;
  c.user = f;
  c.size = f->size;
  return c;
}
