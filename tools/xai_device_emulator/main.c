/* xai_device_emulator: the xcore.ai device on a local socket. Options in
 * docs/device.md; `xai device start|stop|status` drives it. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emu.h"

static void usage(FILE *out) {
  fprintf(out,
          "usage: xai_device_emulator [options]\n"
          "  --socket PATH     socket (default $XAI_DEVICE_SOCKET, else\n"
          "                    /tmp/xai-device-$UID/device.sock)\n"
          "  --tiles N         tiles = engines (2)\n"
          "  --sram-kib N      SRAM per tile, KiB (512)\n"
          "  --firmware-kib N  SRAM per tile kept for the firmware, KiB (112)\n"
          "  --lpddr-mib N     LPDDR, MiB; 0 = none (64)\n"
          "  --flash FILE      flash image file backing the flash (default:\n"
          "                    an erased flash in memory)\n"
          "  --flash-mib N     flash size, MiB (16)\n"
          "  --flash-mbps N    bandwidth of params streamed from flash, MB/s\n"
          "                    (50; QSPI parts give 25..50, 66 at most)\n"
          "  --clock-mhz N     core clock (800)\n"
          "  --link usb|spi    pace bytes to the board's link (usb: 2.0 high\n"
          "                    speed bulk, the default; spi: --spi-khz)\n"
          "  --spi-khz N       SPI clock for --link spi, kHz (20000)\n"
          "  --instant         no link pacing (tests)\n"
          "  --idle-timeout-ms N  drop a client that sends nothing (or does\n"
          "                    not read its replies) for N ms while another\n"
          "                    client waits (3000)\n"
          "  --foreground      stay in the foreground (default: detach once\n"
          "                    listening; the log goes to SOCKET.log)\n");
}

static int parse_u32(const char *name, const char *s, uint32_t lo, uint32_t hi,
                     uint32_t *out) {
  char *end = NULL;
  errno = 0;
  unsigned long v = s ? strtoul(s, &end, 10) : 0;
  if (!s || !isdigit((unsigned char)s[0]) || errno || !end || *end || v < lo ||
      v > hi) {
    fprintf(stderr, "xai_device_emulator: %s needs a number in %u..%u (got %s)\n",
            name, lo, hi, s ? s : "nothing");
    return -1;
  }
  *out = (uint32_t)v;
  return 0;
}

static char default_socket[256];

static const char *socket_default(void) {
  const char *env = getenv("XAI_DEVICE_SOCKET");
  if (env && *env) return env;
  char dir[128];
  snprintf(dir, sizeof dir, "/tmp/xai-device-%ld", (long)getuid());
  mkdir(dir, 0700);
  snprintf(default_socket, sizeof default_socket, "%s/device.sock", dir);
  return default_socket;
}

static int parse(int argc, char **argv, emu_options *o) {
  memset(o, 0, sizeof *o);
  o->tiles = 2;
  o->sram_kib = 512;
  o->firmware_kib = XAI_XCORE_FIRMWARE_BYTES_PER_TILE / 1024u;
  o->lpddr_mib = 64;
  o->flash_mib = 16;
  o->flash_mbps = 50;
  o->clock_mhz = 800;
  o->idle_timeout_ms = 3000;
  o->link.kind = EMU_LINK_USB;
  o->link.spi_khz = 20000;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    int r = 0;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      exit(0);
    } else if (!strcmp(a, "--foreground")) {
      o->foreground = true;
      continue;
    } else if (!strcmp(a, "--instant")) {
      o->link.kind = EMU_LINK_INSTANT;
      continue;
    } else if (!strcmp(a, "--link") && v) {
      if (!strcmp(v, "usb")) o->link.kind = EMU_LINK_USB;
      else if (!strcmp(v, "spi")) o->link.kind = EMU_LINK_SPI;
      else if (!strcmp(v, "instant")) o->link.kind = EMU_LINK_INSTANT;
      else {
        fprintf(stderr, "xai_device_emulator: --link must be usb, spi or "
                "instant\n");
        return -1;
      }
    } else if (!strcmp(a, "--spi-khz")) {
      r = parse_u32(a, v, 100, 100000, &o->link.spi_khz);
    } else if (!strcmp(a, "--socket") && v) {
      o->socket_path = v;
    } else if (!strcmp(a, "--flash") && v) {
      o->flash_file = v;
    } else if (!strcmp(a, "--tiles")) {
      r = parse_u32(a, v, 1, XAI_AISRV_MAX_TILES, &o->tiles);
    } else if (!strcmp(a, "--sram-kib")) {
      r = parse_u32(a, v, 64, 1u << 20, &o->sram_kib);
    } else if (!strcmp(a, "--firmware-kib")) {
      r = parse_u32(a, v, 1, 1u << 20, &o->firmware_kib);
    } else if (!strcmp(a, "--lpddr-mib")) {
      r = parse_u32(a, v, 0, 2048, &o->lpddr_mib);
    } else if (!strcmp(a, "--flash-mib")) {
      r = parse_u32(a, v, 1, 2048, &o->flash_mib);
    } else if (!strcmp(a, "--flash-mbps")) {
      /* Above the QSPI ceiling (133 MHz x 4 bits = 66 MB/s) is no real
       * part (SYSTEM.md section 4). */
      r = parse_u32(a, v, 1, 66, &o->flash_mbps);
    } else if (!strcmp(a, "--idle-timeout-ms")) {
      r = parse_u32(a, v, 50, 3600000, &o->idle_timeout_ms);
    } else if (!strcmp(a, "--clock-mhz")) {
      r = parse_u32(a, v, 100, 2000, &o->clock_mhz);
    } else {
      fprintf(stderr, "xai_device_emulator: unknown option or missing value: %s\n", a);
      usage(stderr);
      return -1;
    }
    if (r) return -1;
    i++;
  }
  if (o->firmware_kib >= o->sram_kib) {
    fprintf(stderr, "xai_device_emulator: --firmware-kib %u leaves no SRAM of "
            "the %u KiB per tile\n", o->firmware_kib, o->sram_kib);
    return -1;
  }
  if (!o->socket_path) o->socket_path = socket_default();
  return 0;
}

int main(int argc, char **argv) {
  emu_options o;
  if (parse(argc, argv, &o)) return 2;
  if (o.foreground) return emu_serve(&o, -1);

  /* Detach: the child serves; the parent waits until it listens (or fails)
   * so a caller that gets exit 0 can connect at once. */
  int pipefd[2];
  if (pipe(pipefd)) {
    perror("xai_device_emulator: pipe");
    return 1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("xai_device_emulator: fork");
    return 1;
  }
  if (pid == 0) {
    close(pipefd[0]);
    setsid();
    char log_path[512];
    snprintf(log_path, sizeof log_path, "%s.log", o.socket_path);
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    if (null > 2) close(null);
    if (chdir("/")) { /* nothing holds a directory busy either way */ }
    _exit(emu_serve(&o, pipefd[1]));
  }
  close(pipefd[1]);
  char ok;
  ssize_t n;
  do n = read(pipefd[0], &ok, 1); while (n < 0 && errno == EINTR);
  close(pipefd[0]);
  if (n == 1) {
    printf("xai device emulator listening on %s (pid %ld)\n", o.socket_path,
           (long)pid);
    return 0;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  char log_path[512];
  snprintf(log_path, sizeof log_path, "%s.log", o.socket_path);
  FILE *f = fopen(log_path, "r");
  if (f) {
    char line[512];
    while (fgets(line, sizeof line, f)) fputs(line, stderr);
    fclose(f);
  }
  return 1;
}
