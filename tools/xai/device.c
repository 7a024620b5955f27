/* `xai device start|stop|status`: controls the device emulator
 * (tools/xai_device_emulator) on its local socket. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "xai/protocol.h"

static void device_usage(FILE *out) {
  fprintf(out,
          "usage: xai device start|stop|status [--socket PATH] [emulator options]\n"
          "  start   run the device emulator in the background (options as\n"
          "          xai_device_emulator --help: --tiles, --sram-kib, --lpddr-mib,\n"
          "          --flash FILE, --flash-mib, --flash-mbps, --clock-mhz,\n"
          "          --idle-timeout-ms, --link, --instant)\n"
          "  stop    stop it (SIGTERM; it removes its socket and pid file)\n"
          "  status  say whether it runs and print the device facts (exit 1 if not)\n"
          "The socket is --socket, else $XAI_DEVICE_SOCKET, else\n"
          "/tmp/xai-device-$UID/device.sock. The emulator binary is\n"
          "$XAI_DEVICE_EMULATOR, else the one next to `xai`, else on PATH.\n");
}

static void socket_path(int argc, char **argv, char *out, size_t cap) {
  for (int i = 0; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--socket")) {
      snprintf(out, cap, "%s", argv[i + 1]);
      return;
    }
  const char *env = getenv("XAI_DEVICE_SOCKET");
  if (env && *env)
    snprintf(out, cap, "%s", env);
  else
    snprintf(out, cap, "/tmp/xai-device-%ld/device.sock", (long)getuid());
}

static long read_pid(const char *sock) {
  char path[PATH_MAX + 8];
  snprintf(path, sizeof path, "%s.pid", sock);
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  long pid = 0;
  if (fscanf(f, "%ld", &pid) != 1) pid = 0;
  fclose(f);
  return pid;
}

/* HELLO over the socket. Returns the reply status (0 OK, 1 BUSY) or -1
 * when nothing answers. */
/* The BUSY reply's message: who holds the device. */
static char busy_holder[128];

static int ping(const char *sock, xai_proto_hello *hello) {
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  if (strlen(sock) >= sizeof a.sun_path) return -1;
  strcpy(a.sun_path, sock);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  struct timeval tv = {2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    close(fd);
    return -1;
  }
  xai_frame_header h;
  xai_frame_header_init(&h, XAI_CMD_HELLO, 1);
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
  size_t n = 0;
  int result = -1;
  if (xai_frame_encode(&h, NULL, buf, sizeof buf, &n, NULL) == XAI_OK &&
      send(fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n) {
    static uint8_t dbuf[XAI_PROTO_MAX_FRAME_BYTES];
    xai_frame_decoder dec;
    xai_frame_decoder_init(&dec, dbuf, sizeof dbuf, NULL);
    for (;;) {
      ssize_t r = recv(fd, buf, sizeof buf, 0);
      if (r <= 0) break;
      size_t at = 0;
      while (at < (size_t)r && result < 0) {
        size_t used = 0;
        xai_decoded_frame f;
        xai_decode_event ev =
            xai_frame_decoder_feed(&dec, buf + at, (size_t)r - at, &used, &f);
        at += used;
        if (ev == XAI_DECODE_FRAME && f.header.seq == 1) {
          result = f.header.status;
          if (result == XAI_PS_BUSY)
            snprintf(busy_holder, sizeof busy_holder, "%.*s",
                     (int)(f.header.length < 127 ? f.header.length : 127),
                     (const char *)f.payload);
          if (result == XAI_PS_OK &&
              xai_hello_decode(f.payload, f.header.length, hello, NULL) != XAI_OK)
            result = -1;
        } else if (ev == XAI_DECODE_NEED_MORE && !used) {
          break;
        }
      }
      if (result >= 0) break;
    }
  }
  close(fd);
  return result;
}

static void find_emulator(char *out, size_t cap) {
  const char *env = getenv("XAI_DEVICE_EMULATOR");
  if (env && *env) {
    snprintf(out, cap, "%s", env);
    return;
  }
  char self[2048];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash) {
      *slash = 0;
      /* Installed side by side, or in the build tree's tools/ layout. */
      const char *tries[] = {"%s/xai_device_emulator",
                             "%s/../xai_device_emulator/xai_device_emulator"};
      for (size_t i = 0; i < 2; i++) {
        snprintf(out, cap, tries[i], self);
        if (access(out, X_OK) == 0) return;
      }
    }
  }
  snprintf(out, cap, "xai_device_emulator"); /* from PATH */
}

static int cmd_start(int argc, char **argv, const char *sock) {
  xai_proto_hello hello;
  if (ping(sock, &hello) >= 0) {
    printf("device emulator already running on %s (pid %ld)\n", sock,
           read_pid(sock));
    return 0;
  }
  char exe[PATH_MAX];
  find_emulator(exe, sizeof exe);
  char **args = calloc((size_t)argc + 4, sizeof *args);
  if (!args) return 1;
  int k = 0;
  args[k++] = exe;
  bool has_socket = false;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--foreground")) continue; /* start always detaches */
    if (!strcmp(argv[i], "--socket")) has_socket = true;
    args[k++] = argv[i];
  }
  char sock_copy[PATH_MAX];
  if (!has_socket) {
    snprintf(sock_copy, sizeof sock_copy, "%s", sock);
    args[k++] = "--socket";
    args[k++] = sock_copy;
  }
  args[k] = NULL;
  if (!has_socket) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", sock);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
      *slash = 0;
      mkdir(dir, 0700);
    }
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    perror("xai device start: fork");
    free(args);
    return 1;
  }
  if (pid == 0) {
    execvp(exe, args);
    fprintf(stderr,
            "xai device start: cannot run %s: %s; set XAI_DEVICE_EMULATOR to "
            "the xai_device_emulator binary\n", exe, strerror(errno));
    _exit(127);
  }
  free(args);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static int cmd_stop(const char *sock) {
  long pid = read_pid(sock);
  if (pid <= 0) {
    printf("no device emulator running on %s\n", sock);
    return 0;
  }
  if (kill((pid_t)pid, SIGTERM) != 0) {
    if (errno == ESRCH) {
      /* Killed without cleaning up (SIGKILL): remove what it left. */
      char path[PATH_MAX + 8];
      snprintf(path, sizeof path, "%s.pid", sock);
      unlink(path);
      unlink(sock);
      printf("device emulator on %s was not running (stale pid %ld removed)\n",
             sock, pid);
      return 0;
    }
    fprintf(stderr, "xai device stop: cannot signal pid %ld: %s\n", pid,
            strerror(errno));
    return 1;
  }
  for (int i = 0; i < 100; i++) {
    struct stat st;
    if (stat(sock, &st) != 0) {
      printf("stopped device emulator on %s (pid %ld)\n", sock, pid);
      return 0;
    }
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  fprintf(stderr, "xai device stop: pid %ld did not exit within 5 s\n", pid);
  return 1;
}

static int cmd_status(const char *sock) {
  xai_proto_hello h;
  memset(&h, 0, sizeof h);
  int st = ping(sock, &h);
  if (st < 0) {
    printf("no device emulator running on %s\n", sock);
    return 1;
  }
  long pid = read_pid(sock);
  if (st == XAI_PS_BUSY) {
    printf("device emulator running on %s (pid %ld), busy serving another "
           "client%s%s%s\n", sock, pid, busy_holder[0] ? " (" : "",
           busy_holder, busy_holder[0] ? ")" : "");
    return 0;
  }
  printf("device emulator running on %s (pid %ld)\n", sock, pid);
  printf("  device %s, protocol %u, %u tiles x %u KiB SRAM, %u engines\n",
         h.device, h.protocol_version, h.tiles, h.sram_bytes_per_tile / 1024,
         h.engines);
  printf("  LPDDR %u MiB, flash %u MiB, clock %u MHz, timer %u Hz\n",
         h.lpddr_bytes >> 20, h.flash_bytes >> 20, h.clock_mhz, h.timer_hz);
  return 0;
}

int xai_cmd_device(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    device_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  char sock[PATH_MAX];
  socket_path(argc - 1, argv + 1, sock, sizeof sock);
  if (!strcmp(argv[1], "start")) return cmd_start(argc - 1, argv + 1, sock);
  if (!strcmp(argv[1], "stop")) return cmd_stop(sock);
  if (!strcmp(argv[1], "status")) return cmd_status(sock);
  fprintf(stderr, "xai device: unknown action '%s'\n", argv[1]);
  device_usage(stderr);
  return 2;
}
