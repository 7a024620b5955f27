/* The socket loop: one client is served at a time (the oldest connection);
 * every frame from any other client is answered BUSY, naming the client
 * that holds the device, so a second host never disturbs the first. When
 * the served client goes, even mid-transfer, the server drops its open
 * transfer (models stay) and the next oldest client is served.
 *
 * No client can hold the device: one that sends no whole frame for the
 * idle timeout while another waits, or does not take a reply within it, is
 * dropped with a last notice frame saying why. Single-threaded: a long
 * INVOKE delays the BUSY replies but never interleaves them with the
 * served client's replies. */
#define _GNU_SOURCE /* SO_PEERCRED, ppoll */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define MAX_CLIENTS 16
/* Replies a client has not read yet are bounded by its socket buffer. */
#define CLIENT_SEND_BUFFER (32 * 1024)
/* The notice a dropped client gets in place of a reply (docs/protocol.md
 * section 4): command NONE, seq 0xFFFFFFFF, status BUSY. */
#define NOTICE_SEQ 0xFFFFFFFFu
#define NOTICE_MAX 256

typedef struct {
  int fd;
  bool dead;
  bool waiting;        /* answered BUSY since it connected */
  uint32_t id;         /* #1, #2, ... in order of connection */
  long pid;            /* the peer process, 0 when unknown */
  uint64_t last_frame; /* CLOCK_MONOTONIC ns of its last whole frame */
  uint64_t stalled_since; /* served, its socket full since (0: not) */
  char why[120];       /* why it is being dropped, for its notice */
  xai_frame_decoder dec;
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
} client;

typedef struct {
  client *clients[MAX_CLIENTS]; /* in order of arrival; [0] is served */
  int count;
  uint32_t next_id;
  uint64_t idle_ns;
  int listen_fd;
  xai_aisrv *srv;
  emu_link link; /* the served client's link timing */
} emu_state;

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) {
  (void)sig;
  stop_requested = 1;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double seconds(uint64_t ns) { return (double)ns / 1e9; }

/* "client #3 (pid 812)" */
static void client_name(const client *c, char *out, size_t cap) {
  if (c->pid)
    snprintf(out, cap, "client #%u (pid %ld)", c->id, c->pid);
  else
    snprintf(out, cap, "client #%u", c->id);
}

/* One try for a client that is not served (BUSY replies, notices): one
 * that does not take a frame at once is not reading them. */
static void send_now(client *c, const uint8_t *p, size_t n) {
  ssize_t w;
  do w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
  while (w < 0 && errno == EINTR);
  if (w == (ssize_t)n) return;
  c->dead = true;
  if (w >= 0 || errno == EAGAIN || errno == EWOULDBLOCK)
    snprintf(c->why, sizeof c->why, "it did not read its BUSY replies");
}

static const client *first_waiting(const emu_state *st);
static void on_bytes(emu_state *st, int k, const uint8_t *data, size_t n);
static void accept_client(emu_state *st);

/* While the served client's socket is full: waits up to 50 ms for it,
 * answering the other clients (BUSY) and newcomers meanwhile. */
static void wait_answering_others(emu_state *st) {
  static uint8_t buf[16384];
  struct pollfd pfd[MAX_CLIENTS + 1];
  int count = st->count;
  pfd[0].fd = st->clients[0]->fd;
  pfd[0].events = POLLOUT;
  pfd[1].fd = st->listen_fd;
  pfd[1].events = POLLIN;
  for (int i = 1; i < count; i++) {
    pfd[i + 1].fd = st->clients[i]->fd;
    pfd[i + 1].events = POLLIN;
  }
  if (poll(pfd, (nfds_t)count + 1, 50) <= 0) return;
  for (int i = 1; i < count; i++) {
    client *c = st->clients[i];
    if (c->dead || !(pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
      continue;
    ssize_t r = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r > 0)
      on_bytes(st, i, buf, (size_t)r);
    else if (r == 0 || (errno != EINTR && errno != EAGAIN))
      c->dead = true;
  }
  if (pfd[1].revents & POLLIN) accept_client(st);
}

/* A reply to the served client. Once another client waits, a holder that
 * has not taken a reply for the idle timeout is dropped: it is not reading
 * (its unread replies are bounded by its socket buffer). */
static void send_served(emu_state *st, const uint8_t *p, size_t n) {
  client *c = st->clients[0];
  while (n && !c->dead) {
    ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      p += w;
      n -= (size_t)w;
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
      c->dead = true;
      break;
    }
    const uint64_t now = now_ns();
    if (!c->stalled_since) c->stalled_since = now;
    const client *waiter = first_waiting(st);
    if (waiter && now - c->stalled_since >= st->idle_ns) {
      char name[48];
      client_name(waiter, name, sizeof name);
      snprintf(c->why, sizeof c->why,
               "it did not read its replies for %.1f s while %s waited",
               seconds(now - c->stalled_since), name);
      c->dead = true;
    } else if (stop_requested) {
      c->dead = true;
    } else {
      wait_answering_others(st);
    }
  }
  c->stalled_since = 0;
}

static void write_reply(void *user, const uint8_t *frame, size_t n) {
  emu_state *st = user;
  emu_link_pace(&st->link, n, true);
  if (st->count) send_served(st, frame, n);
}

static void reply_busy(emu_state *st, client *c, const xai_frame_header *req) {
  char holder[48], msg[120];
  client_name(st->clients[0], holder, sizeof holder);
  const client *h0 = st->clients[0];
  const uint64_t now = now_ns();
  int len = h0->stalled_since
                ? snprintf(msg, sizeof msg, "held by %s, not reading its "
                           "replies for %.1f s", holder,
                           seconds(now - h0->stalled_since))
                : snprintf(msg, sizeof msg, "held by %s, idle %.1f s", holder,
                           seconds(now - h0->last_frame));
  xai_frame_header h;
  xai_frame_header_init(&h, (xai_proto_command)req->command, req->seq);
  h.status = XAI_PS_BUSY;
  h.engine = req->engine;
  h.tensor = req->tensor;
  h.arg = req->arg;
  h.flags |= XAI_FRAME_REPLY;
  h.length = h.total = (uint32_t)len;
  uint8_t out[XAI_PROTO_FRAME_BYTES(sizeof msg)];
  size_t n = 0;
  if (xai_frame_encode(&h, msg, out, sizeof out, &n, NULL) != XAI_OK) return;
  send_now(c, out, n);
  c->waiting = true;
}

/* The last frame a dropped client gets: why, in place of a reply. */
static void send_notice(client *c, const char *msg) {
  xai_frame_header h;
  xai_frame_header_init(&h, XAI_CMD_NONE, NOTICE_SEQ);
  h.status = XAI_PS_BUSY;
  h.flags |= XAI_FRAME_REPLY;
  h.length = h.total = (uint32_t)strlen(msg);
  uint8_t out[XAI_PROTO_FRAME_BYTES(NOTICE_MAX)];
  size_t n = 0;
  if (h.length > NOTICE_MAX ||
      xai_frame_encode(&h, msg, out, sizeof out, &n, NULL) != XAI_OK)
    return;
  if (send(c->fd, out, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
    /* a client that does not read misses it; it is going anyway */
  }
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
               ev == XAI_DECODE_TOO_LARGE || ev == XAI_DECODE_BAD_VERSION) {
      reply_busy(st, c, &f.header);
    }
    /* Only whole frames count as activity: garbage holds nothing. */
    if (ev == XAI_DECODE_FRAME) c->last_frame = now_ns();
  }
}

static void drop_client(emu_state *st, int k) {
  client *c = st->clients[k];
  if (c->why[0]) {
    char name[48], msg[NOTICE_MAX];
    client_name(c, name, sizeof name);
    snprintf(msg, sizeof msg,
             "the device dropped this connection: %s (its idle timeout is "
             "%.1f s)", c->why, seconds(st->idle_ns));
    send_notice(c, msg);
    printf("xai_device_emulator: dropped %s: %s\n", name, c->why);
    fflush(stdout);
  }
  close(c->fd);
  free(c);
  memmove(&st->clients[k], &st->clients[k + 1],
          sizeof(client *) * (size_t)(st->count - k - 1));
  st->count--;
  if (k == 0) {
    xai_aisrv_link_reset(st->srv);
    if (st->count) st->clients[0]->waiting = false;
  }
}

/* The first client waiting for the device, or NULL. */
static const client *first_waiting(const emu_state *st) {
  for (int i = 1; i < st->count; i++)
    if (st->clients[i]->waiting && !st->clients[i]->dead)
      return st->clients[i];
  return NULL;
}

/* Marks the clients idle past the timeout: the served one only while
 * another waits, a waiting one always (it holds a connection slot).
 * Returns the ms until the next one could expire (-1: none). */
static int expire_idle(emu_state *st) {
  const uint64_t now = now_ns();
  const client *waiter = first_waiting(st);
  uint64_t next = UINT64_MAX;
  for (int i = 0; i < st->count; i++) {
    client *c = st->clients[i];
    if (c->dead || (i == 0 && !waiter)) continue;
    uint64_t idle = now - c->last_frame;
    if (idle < st->idle_ns) {
      if (st->idle_ns - idle < next) next = st->idle_ns - idle;
      continue;
    }
    if (i == 0) {
      char name[48];
      client_name(waiter, name, sizeof name);
      snprintf(c->why, sizeof c->why, "it sent nothing for %.1f s while %s "
               "waited", seconds(idle), name);
    } else {
      snprintf(c->why, sizeof c->why, "it sent nothing for %.1f s while "
               "waiting for the device", seconds(idle));
    }
    c->dead = true;
  }
  return next == UINT64_MAX ? -1 : (int)(next / 1000000u) + 1;
}

static void accept_client(emu_state *st) {
  int fd = accept(st->listen_fd, NULL, NULL);
  if (fd < 0) return;
  client *c = st->count < MAX_CLIENTS ? calloc(1, sizeof *c) : NULL;
  if (!c) {
    client full = {.fd = fd};
    send_notice(&full, "the device already serves the most clients it "
                "takes (16 connections); try again later");
    close(fd);
    return;
  }
  int sndbuf = CLIENT_SEND_BUFFER;
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  c->fd = fd;
  c->id = ++st->next_id;
  c->last_frame = now_ns();
#ifdef SO_PEERCRED
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0)
    c->pid = (long)cred.pid;
#endif
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
  /* Bound and listening under a temporary name, then renamed: a client
   * that sees the path can connect at once. */
  struct sockaddr_un t = a;
  bool renamed = strlen(path) + 4 < sizeof t.sun_path;
  if (renamed) {
    snprintf(t.sun_path, sizeof t.sun_path, "%s.new", path);
    unlink(t.sun_path);
  }
  fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&t, sizeof t) != 0 ||
      listen(fd, 8) != 0 || (renamed && rename(t.sun_path, path) != 0)) {
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
  st.idle_ns = (uint64_t)opt->idle_timeout_ms * 1000000u;

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
  st.listen_fd = lfd;
  /* Newcomers are also accepted while a reply waits (send_served), so a
   * ready listener may be empty by the time the main loop gets to it. */
  fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
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
  /* A stop signal that lands between the loop's check and its wait (say
   * while a hung-up client is dropped) would leave poll() waiting forever:
   * the signals stay blocked except inside ppoll(), which wakes on them. */
  sigset_t stop_signals, wait_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask);
  sigdelset(&wait_mask, SIGTERM);
  sigdelset(&wait_mask, SIGINT);
  printf("xai device emulator listening on %s\n", opt->socket_path);
  fflush(stdout);
  if (ready_fd >= 0) {
    char ok = 0;
    if (write(ready_fd, &ok, 1) < 0) { /* the parent is gone; serve anyway */ }
    close(ready_fd);
  }

  static uint8_t rbuf[65536];
  while (!stop_requested) {
    /* Dropping the served client can make the next one subject to the
     * idle rule, so expire until nothing changes. */
    int wait;
    for (bool dropped = true; dropped;) {
      wait = expire_idle(&st);
      dropped = false;
      for (int i = st.count - 1; i >= 0; i--)
        if (st.clients[i]->dead) {
          drop_client(&st, i);
          dropped = true;
        }
    }
    struct pollfd pfd[MAX_CLIENTS + 1];
    pfd[0].fd = lfd;
    pfd[0].events = POLLIN;
    for (int i = 0; i < st.count; i++) {
      pfd[i + 1].fd = st.clients[i]->fd;
      pfd[i + 1].events = POLLIN;
    }
    struct timespec ts = {wait / 1000, (long)(wait % 1000) * 1000000L};
    int n = ppoll(pfd, (nfds_t)st.count + 1, wait < 0 ? NULL : &ts,
                  &wait_mask);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    /* Clients first, in order, so the served one's bytes go before a
     * newcomer is counted. Dead clients are dropped at the top. */
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
    if (pfd[0].revents & POLLIN) accept_client(&st);
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
