/* The emulator transport: frames back to back on a Unix-domain stream
 * socket (docs/protocol.md, "Emulator"). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport_internal.h"

typedef struct {
  xai_transport base;
  int fd;
  char path[108];
} emu_transport;

/* Waits until fd is ready for `events` or the deadline passes. */
static xai_status wait_fd(int fd, short events, uint64_t deadline,
                          const char *path, const char *what,
                          xai_error *err) {
  for (;;) {
    struct pollfd p = {fd, events, 0};
    int left = (int)xai_host_ms_left(deadline);
    int r = poll(&p, 1, left);
    if (r > 0) return XAI_OK;
    if (r == 0)
      return xai_fail(err, XAI_ERR_IO,
                      "emulator %s: timed out %s (is the emulator stuck or "
                      "was it stopped? try `xai device status`)",
                      path, what);
    if (errno != EINTR)
      return xai_fail(err, XAI_ERR_IO, "emulator %s: poll: %s", path,
                      strerror(errno));
  }
}

static xai_status emu_send(xai_transport *t, const uint8_t *data, size_t n,
                           uint32_t timeout_ms, xai_error *err) {
  emu_transport *e = (emu_transport *)t;
  uint64_t deadline = xai_host_now_ms() + timeout_ms;
  size_t off = 0;
  while (off < n) {
    xai_status st =
        wait_fd(e->fd, POLLOUT, deadline, e->path, "sending a frame", err);
    if (st != XAI_OK) return st;
    /* MSG_NOSIGNAL: a peer that died must give an error, not SIGPIPE. */
    ssize_t w = send(e->fd, data + off, n - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return xai_fail(err, XAI_ERR_IO,
                      "emulator %s: connection lost while sending (%s): the "
                      "emulator exited or was killed",
                      e->path, strerror(errno));
    }
    off += (size_t)w;
  }
  return XAI_OK;
}

static xai_status emu_recv(xai_transport *t, uint8_t *buf, size_t cap,
                           size_t *got, uint32_t timeout_ms, xai_error *err) {
  emu_transport *e = (emu_transport *)t;
  uint64_t deadline = xai_host_now_ms() + timeout_ms;
  *got = 0;
  for (;;) {
    xai_status st = wait_fd(e->fd, POLLIN, deadline, e->path,
                            "waiting for the reply", err);
    if (st != XAI_OK) return st;
    ssize_t r = recv(e->fd, buf, cap, MSG_DONTWAIT);
    if (r > 0) {
      *got = (size_t)r;
      return XAI_OK;
    }
    if (r == 0)
      return xai_fail(err, XAI_ERR_IO,
                      "emulator %s: connection closed by the device before "
                      "its reply was complete (the emulator exited or was "
                      "killed)",
                      e->path);
    if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
      return xai_fail(err, XAI_ERR_IO, "emulator %s: connection lost (%s)",
                      e->path, strerror(errno));
  }
}

static void emu_close(xai_transport *t) {
  emu_transport *e = (emu_transport *)t;
  if (e->fd >= 0) close(e->fd);
  free(e);
}

xai_status xai_transport_emu_open(xai_transport **out, const char *path,
                                  uint32_t timeout_ms, xai_error *err) {
  (void)timeout_ms; /* a local connect() either succeeds or fails at once */
  *out = NULL;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "emulator socket path '%s' is longer than %zu bytes", path,
                    sizeof addr.sun_path - 1);
  strcpy(addr.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return xai_fail(err, XAI_ERR_IO, "socket(AF_UNIX): %s", strerror(errno));
  if (connect(fd, (const struct sockaddr *)&addr, sizeof addr) != 0) {
    int e = errno;
    close(fd);
    return xai_fail(err, XAI_ERR_IO,
                    "no emulator at %s: %s (start one with `xai device start`, "
                    "or give no --device to start it automatically)",
                    path, strerror(e));
  }
  emu_transport *e = calloc(1, sizeof *e);
  if (!e) {
    close(fd);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "out of memory");
  }
  e->fd = fd;
  snprintf(e->path, sizeof e->path, "%s", path);
  e->base.send = emu_send;
  e->base.recv = emu_recv;
  e->base.close = emu_close;
  snprintf(e->base.description, sizeof e->base.description,
           "xcore.ai emulator (%s)", path);
  *out = &e->base;
  return XAI_OK;
}
