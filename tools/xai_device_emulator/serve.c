/* The socket loop: one client is served at a time (the oldest connection);
 * every frame from any other client is answered BUSY, so a second host
 * never disturbs the first. When the served client goes, even mid-transfer,
 * the server drops its open transfer (models stay) and the next oldest
 * client is served. Single-threaded: a long INVOKE delays the BUSY replies
 * but never interleaves them with the served client's replies. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "emu.h"

#define MAX_CLIENTS 16

typedef struct {
  int fd;
  bool dead;
  xai_frame_decoder dec;
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
} client;

typedef struct {
  client *clients[MAX_CLIENTS]; /* in order of arrival; [0] is served */
  int count;
  xai_aisrv *srv;
  emu_link link; /* the served client's link timing */
} emu_state;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static void send_all(client *c, const uint8_t *p, size_t n) {
  while (n && !c->dead) {
    ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      /* Gone, or not reading for the send timeout: stop serving it. */
      c->dead = true;
      return;
    }
    p += w;
    n -= (size_t)w;
  }
}

static void write_reply(void *user, const uint8_t *frame, size_t n) {
  emu_state *st = user;
  emu_link_pace(&st->link, n, true);
  if (st->count) send_all(st->clients[0], frame, n);
}

static void reply_busy(client *c, const xai_frame_header *req) {
  uint8_t out[XAI_PROTO_FRAME_BYTES(0)];
  size_t n = xai_aisrv_encode_busy(req, out, sizeof out);
  send_all(c, out, n);
}

static void on_bytes(emu_state *st, int k, const uint8_t *data, size_t n) {
  client *c = st->clients[k];
  while (n && !c->dead) {
    size_t used = 0;
    xai_decoded_frame f;
    xai_decode_event ev = xai_frame_decoder_feed(&c->dec, data, n, &used, &f);
    data += used;
    n -= used;
    if (ev == XAI_DECODE_NEED_MORE) {
      if (!used) break;
      continue;
    }
    if (k == 0) {
      /* A whole request has crossed the wire before the device sees it. */
      if (ev == XAI_DECODE_FRAME)
        emu_link_pace(&st->link, XAI_PROTO_FRAME_BYTES(f.header.length),
                      true);
      xai_aisrv_handle_event(st->srv, ev, &f);
    } else if (ev == XAI_DECODE_FRAME || ev == XAI_DECODE_CRC ||
             ev == XAI_DECODE_TOO_LARGE || ev == XAI_DECODE_BAD_VERSION)
      reply_busy(c, &f.header);
  }
}

static void drop_client(emu_state *st, int k) {
  close(st->clients[k]->fd);
  free(st->clients[k]);
  memmove(&st->clients[k], &st->clients[k + 1],
          sizeof(client *) * (size_t)(st->count - k - 1));
  st->count--;
  if (k == 0) xai_aisrv_link_reset(st->srv);
}

static void accept_client(emu_state *st, int lfd) {
  int fd = accept(lfd, NULL, NULL);
  if (fd < 0) return;
  if (st->count == MAX_CLIENTS) {
    close(fd);
    return;
  }
  struct timeval tv = {5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  client *c = calloc(1, sizeof *c);
  if (!c) {
    close(fd);
    return;
  }
  c->fd = fd;
  xai_frame_decoder_init(&c->dec, c->buf, sizeof c->buf, NULL);
  st->clients[st->count++] = c;
}

static void *alloc_region(size_t bytes, const char *what) {
  void *p = aligned_alloc(16, (bytes + 15) / 16 * 16);
  if (!p)
    fprintf(stderr, "xai_device_emulator: cannot allocate %zu bytes for %s\n",
            bytes, what);
  return p;
}

static int listen_on(const char *path) {
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof a.sun_path) {
    fprintf(stderr, "xai_device_emulator: socket path %s is too long (max %zu)\n",
            path, sizeof a.sun_path - 1);
    return -1;
  }
  strcpy(a.sun_path, path);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
    fprintf(stderr,
            "xai_device_emulator: an emulator is already listening on %s; "
            "stop it with `xai device stop`\n", path);
    close(fd);
    return -1;
  }
  close(fd);
  unlink(path); /* a stale socket from an emulator that was killed */
  fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      listen(fd, 8) != 0) {
    fprintf(stderr, "xai_device_emulator: cannot listen on %s: %s\n", path,
            strerror(errno));
    if (fd >= 0) close(fd);
    return -1;
  }
  return fd;
}

int emu_serve(const emu_options *opt, int ready_fd) {
  int rc = 1;
  emu_flash flash = {0};
  flash.fd = -1;
  void *sram[XAI_AISRV_MAX_TILES] = {0};
  void *lpddr = NULL, *staging = NULL, *work = NULL;
  char pid_path[sizeof(((struct sockaddr_un *)0)->sun_path) + 8];
  snprintf(pid_path, sizeof pid_path, "%s.pid", opt->socket_path);
  emu_state st;
  memset(&st, 0, sizeof st);
  st.link = opt->link;

  xai_aisrv_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.tiles = opt->tiles;
  cfg.engines = opt->engines;
  cfg.clock_mhz = opt->clock_mhz;
  cfg.sram_bytes_per_tile = opt->sram_kib * 1024u;
  cfg.firmware_bytes = opt->firmware_kib * 1024u;
  cfg.flash_mbps = opt->flash_mbps;
  cfg.device_name = "xcore.ai-emu";
  cfg.write = write_reply;
  cfg.write_user = &st;
  /* One allocation per memory region, sized like the chip, at start. */
  for (uint32_t t = 0; t < opt->tiles; t++) {
    if (!(sram[t] = alloc_region(cfg.sram_bytes_per_tile, "tile SRAM"))) goto out;
    cfg.sram[t].base = sram[t];
    cfg.sram[t].bytes = cfg.sram_bytes_per_tile;
  }
  size_t lpddr_bytes = (size_t)opt->lpddr_mib << 20;
  if (lpddr_bytes) {
    if (!(lpddr = alloc_region(lpddr_bytes, "LPDDR"))) goto out;
    cfg.lpddr.base = lpddr;
    cfg.lpddr.bytes = lpddr_bytes;
  }
  /* Staging holds the largest model an engine can take plus room to check
   * its arena: on a board this is LPDDR (docs/device.md). */
  /* It also holds a params file spread over all tiles until SET_MODEL
   * places its parts (docs/multitile.md). */
  size_t share = lpddr_bytes / (opt->engines ? opt->engines : opt->tiles);
  size_t all_sram = (size_t)cfg.sram_bytes_per_tile * opt->tiles;
  size_t staging_bytes = (share > all_sram ? share : all_sram) +
                         cfg.sram_bytes_per_tile;
  if (!(staging = alloc_region(staging_bytes, "model staging"))) goto out;
  cfg.staging.base = staging;
  cfg.staging.bytes = staging_bytes;
  if (emu_flash_open(&flash, opt->flash_file, opt->flash_mib << 20) != 0)
    goto out;
  cfg.flash = emu_flash_callbacks(&flash);
  if (emu_tiles_start(opt->tiles, &cfg) != 0) goto out;
  size_t wb = xai_aisrv_work_bytes(&cfg);
  if (!(work = alloc_region(wb, "server work"))) goto out;
  xai_error err = {0};
  if (xai_aisrv_init(&st.srv, &cfg, work, wb, &err) != XAI_OK) {
    fprintf(stderr, "xai_device_emulator: %s\n", err.message);
    goto out;
  }

  int lfd = listen_on(opt->socket_path);
  if (lfd < 0) goto out;
  FILE *pf = fopen(pid_path, "w");
  if (pf) {
    fprintf(pf, "%ld\n", (long)getpid());
    fclose(pf);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  printf("xai device emulator listening on %s\n", opt->socket_path);
  fflush(stdout);
  if (ready_fd >= 0) {
    char ok = 0;
    if (write(ready_fd, &ok, 1) < 0) { /* the parent is gone; serve anyway */ }
    close(ready_fd);
  }

  static uint8_t rbuf[65536];
  while (!stop_requested) {
    struct pollfd pfd[MAX_CLIENTS + 1];
    pfd[0].fd = lfd;
    pfd[0].events = POLLIN;
    for (int i = 0; i < st.count; i++) {
      pfd[i + 1].fd = st.clients[i]->fd;
      pfd[i + 1].events = POLLIN;
    }
    int n = poll(pfd, (nfds_t)st.count + 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    /* Clients first, in order, so the served one's bytes go before a
     * newcomer is counted. Dead clients are dropped after the pass. */
    int count = st.count;
    for (int i = 0; i < count; i++) {
      if (!(pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      client *c = st.clients[i];
      ssize_t r = recv(c->fd, rbuf, sizeof rbuf, 0);
      if (r <= 0) {
        if (r < 0 && errno == EINTR) continue;
        c->dead = true;
        continue;
      }
      on_bytes(&st, i, rbuf, (size_t)r);
    }
    for (int i = st.count - 1; i >= 0; i--)
      if (st.clients[i]->dead) drop_client(&st, i);
    if (pfd[0].revents & POLLIN) accept_client(&st, lfd);
  }
  while (st.count) drop_client(&st, st.count - 1);
  close(lfd);
  unlink(opt->socket_path);
  unlink(pid_path);
  rc = 0;
out:
  emu_tiles_stop();
  emu_flash_close(&flash);
  for (uint32_t t = 0; t < XAI_AISRV_MAX_TILES; t++) free(sram[t]);
  free(lpddr);
  free(staging);
  free(work);
  return rc;
}
