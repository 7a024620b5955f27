/* Opening a device: parse the device name, open its transport, say HELLO.
 * With no name, connect to the default emulator socket and, when nothing
 * answers there, start the emulator (like adb starts its server). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "device_internal.h"

#define EMULATOR_NAME "xai_device_emulator"
/* How long a freshly started emulator gets to open its socket. */
#define AUTOSTART_WAIT_MS 3000u

static void default_socket(char *out, size_t cap) {
  const char *env = getenv("XAI_DEVICE_SOCKET");
  if (env && *env)
    snprintf(out, cap, "%s", env);
  else
    snprintf(out, cap, "/tmp/xai-device-%u/device.sock", (unsigned)getuid());
}

static int is_executable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
         access(path, X_OK) == 0;
}

/* $XAI_DEVICE_EMULATOR, beside this executable, where the build tree puts
 * it relative to tools/, tests/ and bench/, or on PATH. */
static int find_emulator(char *out, size_t cap) {
  const char *env = getenv("XAI_DEVICE_EMULATOR");
  if (env && *env) {
    snprintf(out, cap, "%s", env);
    return is_executable(out);
  }
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash) *slash = '\0';
    static const char *const rel[] = {
        "", "../xai_device_emulator/", "../tools/xai_device_emulator/",
        "../../tools/xai_device_emulator/",
        "../../../tools/xai_device_emulator/"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
      int w = snprintf(out, cap, "%s/%s%s", self, rel[i], EMULATOR_NAME);
      if (w > 0 && (size_t)w < cap && is_executable(out)) return 1;
    }
  }
  const char *path = getenv("PATH");
  while (path && *path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    if (len > 0 && len < cap) {
      int w = snprintf(out, cap, "%.*s/%s", (int)len, path, EMULATOR_NAME);
      if (w > 0 && (size_t)w < cap && is_executable(out)) return 1;
    }
    path = end ? end + 1 : NULL;
  }
  return 0;
}

/* Starts the emulator detached from us (its own session, stdio on
 * /dev/null), so it outlives this process and serves later commands. */
static xai_status spawn_emulator(const char *exe, const char *socket_path,
                                 xai_error *err) {
  char dir[PATH_MAX];
  if (snprintf(dir, sizeof dir, "%s", socket_path) >= (int)sizeof dir)
    return xai_fail(err, XAI_ERR_ARGUMENT, "socket path too long");
  char *slash = strrchr(dir, '/');
  if (slash && slash != dir) {
    *slash = '\0';
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
      return xai_fail(err, XAI_ERR_IO, "cannot create %s for the emulator: %s",
                      dir, strerror(errno));
  }
  pid_t child = fork();
  if (child < 0)
    return xai_fail(err, XAI_ERR_IO, "cannot start %s: fork: %s", exe,
                    strerror(errno));
  if (child == 0) {
    setsid();
    pid_t grandchild = fork();
    if (grandchild != 0) _exit(grandchild < 0 ? 1 : 0);
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
      if (null > 2) close(null);
    }
    /* Without --foreground it detaches once listening and logs to
     * SOCKET.log, which is where a user looks when it misbehaves. */
    execl(exe, exe, "--socket", socket_path, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return XAI_OK;
}

static xai_status open_default_emulator(xai_transport **t, uint32_t timeout_ms,
                                        xai_error *err) {
  char path[PATH_MAX];
  default_socket(path, sizeof path);
  xai_error first;
  xai_error_clear(&first);
  if (xai_transport_emu_open(t, path, timeout_ms, &first) == XAI_OK)
    return XAI_OK;
  char exe[PATH_MAX];
  if (!find_emulator(exe, sizeof exe))
    return xai_fail(err, XAI_ERR_IO,
                    "no device given and no emulator answers at %s; "
                    EMULATOR_NAME " was not found to start one (set "
                    "XAI_DEVICE_EMULATOR, put it on PATH, or name a device "
                    "with --device usb / spi:/dev/spidev0.0)",
                    path);
  xai_status st = spawn_emulator(exe, path, err);
  if (st != XAI_OK) return st;
  uint64_t deadline = xai_host_now_ms() + AUTOSTART_WAIT_MS;
  for (;;) {
    if (xai_transport_emu_open(t, path, timeout_ms, err) == XAI_OK)
      return XAI_OK;
    if (xai_host_ms_left(deadline) == 0)
      return xai_fail(err, XAI_ERR_IO,
                      "started %s but it did not open %s within %u ms (run "
                      "`xai device start` to see its error)",
                      exe, path, AUTOSTART_WAIT_MS);
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
  }
}

static xai_status open_transport(xai_transport **t, const char *device,
                                 uint32_t timeout_ms, xai_error *err) {
  if (!device || !*device) return open_default_emulator(t, timeout_ms, err);
  if (strncmp(device, "emu:", 4) == 0)
    return xai_transport_emu_open(t, device + 4, timeout_ms, err);
  if (strcmp(device, "emu") == 0) {
    char path[PATH_MAX];
    default_socket(path, sizeof path);
    return xai_transport_emu_open(t, path, timeout_ms, err);
  }
  if (strncmp(device, "usb", 3) == 0 && (device[3] == '\0' || device[3] == ':'))
    return xai_transport_usb_open(t, device, timeout_ms, err);
  if (strncmp(device, "spi:", 4) == 0)
    return xai_transport_spi_open(t, device + 4, timeout_ms, err);
  return xai_fail(err, XAI_ERR_ARGUMENT,
                  "unknown device '%s': use emu:PATH, usb, usb:BUS:ADDR or "
                  "spi:/dev/spidevB.C (or no device for the emulator)",
                  device);
}

xai_status xai_host_connect(xai_host_device **out, const char *device,
                            uint32_t timeout_ms, xai_error *err) {
  *out = NULL;
  xai_error_clear(err);
  xai_host_device *dev = calloc(1, sizeof *dev);
  if (!dev) return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  xai_host_set_timeout(dev, timeout_ms);
  /* Any start value works; a varying one keeps replies meant for an
   * earlier host process on the same link from matching. */
  dev->seq = (uint32_t)time(NULL) * 2654435761u;
  xai_status st =
      xai_frame_decoder_init(&dev->dec, dev->dec_buf, sizeof dev->dec_buf, err);
  if (st == XAI_OK) st = open_transport(&dev->t, device, dev->timeout_ms, err);
  if (st == XAI_OK) st = xai_host_hello(dev, NULL, err);
  if (st != XAI_OK) {
    xai_host_close(dev);
    return st;
  }
  *out = dev;
  return XAI_OK;
}

void xai_host_close(xai_host_device *dev) {
  if (!dev) return;
  if (dev->t) dev->t->close(dev->t);
  free(dev);
}
