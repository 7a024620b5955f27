/* The emulator process: raw-socket clients, a second client answered BUSY,
 * a client killed with SIGKILL mid-upload (the previous model still runs
 * for the next client), and SIGTERM removing the socket and pid file. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model_util.h"
#include "testlib.h"
#include "xai/protocol.h"

static char sock_path[108];

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static int conn_open(void) {
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  strcpy(a.sun_path, sock_path);
  for (int i = 0; i < 100; i++) {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
      struct timeval tv = {10, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      return fd;
    }
    close(fd);
    sleep_ms(20);
  }
  return -1;
}

typedef struct {
  int fd;
  uint32_t seq;
  xai_frame_decoder dec;
  uint8_t dbuf[XAI_PROTO_MAX_FRAME_BYTES];
  uint8_t data[65536];
  size_t data_len;
} conn;

static int conn_init(conn *c) {
  memset(c, 0, sizeof *c);
  c->fd = conn_open();
  c->seq = 1;
  xai_frame_decoder_init(&c->dec, c->dbuf, sizeof c->dbuf, NULL);
  return c->fd >= 0;
}

/* Sends one frame and reads replies up to the LAST one; returns its status
 * or -1 on a timeout or a closed socket. */
static int conn_frame(conn *c, const xai_frame_header *h, const void *payload) {
  uint8_t buf[XAI_PROTO_MAX_FRAME_BYTES];
  size_t n = 0;
  if (xai_frame_encode(h, payload, buf, sizeof buf, &n, NULL)) return -1;
  if (send(c->fd, buf, n, MSG_NOSIGNAL) != (ssize_t)n) return -1;
  c->data_len = 0;
  for (;;) {
    ssize_t r = recv(c->fd, buf, sizeof buf, 0);
    if (r <= 0) return -1;
    size_t at = 0;
    while (at < (size_t)r) {
      size_t used = 0;
      xai_decoded_frame f;
      xai_decode_event ev =
          xai_frame_decoder_feed(&c->dec, buf + at, (size_t)r - at, &used, &f);
      at += used;
      if (ev != XAI_DECODE_FRAME) continue;
      if (c->data_len + f.header.length <= sizeof c->data) {
        memcpy(c->data + c->data_len, f.payload, f.header.length);
        c->data_len += f.header.length;
      }
      if (f.header.flags & XAI_FRAME_LAST) return f.header.status;
    }
  }
}

static int conn_request(conn *c, xai_proto_command cmd, uint8_t engine,
                        const void *payload, uint32_t n) {
  xai_frame_header h;
  xai_frame_header_init(&h, cmd, c->seq++);
  h.engine = engine;
  h.length = h.total = n;
  return conn_frame(c, &h, payload);
}

/* Retries while the emulator still serves a client that just went away. */
static int conn_request_wait(conn *c, xai_proto_command cmd, uint8_t engine,
                             const void *payload, uint32_t n) {
  int st = -1;
  for (int i = 0; i < 100; i++) {
    st = conn_request(c, cmd, engine, payload, n);
    if (st != XAI_PS_BUSY) break;
    sleep_ms(20);
  }
  return st;
}

static int conn_upload(conn *c, uint8_t engine, const uint8_t *data,
                       uint32_t total, uint32_t max_chunks) {
  xai_frame_header base;
  xai_frame_header_init(&base, XAI_CMD_SET_MODEL, c->seq);
  base.engine = engine;
  xai_chunk_writer w;
  xai_chunk_writer_init(&w, &base, data, total, 4096, NULL);
  xai_frame_header h;
  const uint8_t *p;
  int st = -1;
  uint32_t k = 0;
  while (xai_chunk_writer_next(&w, &h, &p)) {
    st = conn_frame(c, &h, p);
    c->seq = h.seq + 1;
    if (st != XAI_PS_OK || ++k == max_chunks) break;
  }
  return st;
}

int main(void) {
  test_model hw, pd;
  if (!test_model_load(&hw, "tflm/hello_world_int8.tflite") ||
      !test_model_load(&pd, "tflm/person_detect.tflite"))
    return XAI_TEST_SKIP;
  char dir[] = "/tmp/xai-emu-test-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  snprintf(sock_path, sizeof sock_path, "%s/dev.sock", dir);
  pid_t emu = fork();
  if (emu == 0) {
    /* If this test dies (a failed sanitizer check), so does the emulator:
     * ctest would otherwise wait on it until its timeout. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execl(XAI_EMULATOR_PATH, XAI_EMULATOR_PATH, "--socket", sock_path,
          "--foreground", "--flash-mib", "1", "--lpddr-mib", "8", (char *)NULL);
    _exit(127);
  }

  /* A is served; B, connected second, gets BUSY and is never disturbed. */
  conn a, b;
  CHECK(conn_init(&a));
  CHECK_EQ_INT(conn_request(&a, XAI_CMD_HELLO, 0, NULL, 0), XAI_PS_OK);
  CHECK(conn_init(&b));
  CHECK_EQ_INT(conn_request(&b, XAI_CMD_HELLO, 0, NULL, 0), XAI_PS_BUSY);
  CHECK_EQ_INT(conn_upload(&a, 0, hw.bytes, (uint32_t)hw.size, 0), XAI_PS_OK);
  CHECK_EQ_INT(conn_request(&b, XAI_CMD_INVOKE, 0, NULL, 0), XAI_PS_BUSY);
  uint8_t in = 17;
  CHECK_EQ_INT(conn_request(&a, XAI_CMD_SET_INPUT, 0, &in, 1), XAI_PS_OK);
  CHECK_EQ_INT(conn_request(&a, XAI_CMD_INVOKE, 0, NULL, 0), XAI_PS_OK);
  CHECK_EQ_INT(conn_request(&a, XAI_CMD_GET_OUTPUT, 0, NULL, 0), XAI_PS_OK);
  uint8_t want = 0;
  const uint8_t *ins[1] = {&in};
  test_model_run(&hw, ins, 0, &want, 1);
  CHECK(a.data_len == 1 && a.data[0] == want);
  close(a.fd);
  /* B is served once A has gone. */
  CHECK_EQ_INT(conn_request_wait(&b, XAI_CMD_HELLO, 0, NULL, 0), XAI_PS_OK);
  close(b.fd);

  /* A client killed (SIGKILL) mid-upload of another model. */
  int pipefd[2];
  CHECK(pipe(pipefd) == 0);
  pid_t victim = fork();
  if (victim == 0) {
    conn c;
    if (!conn_init(&c)) _exit(1);
    int st = conn_upload(&c, 0, pd.bytes, (uint32_t)pd.size, 3);
    char ok = st == XAI_PS_OK ? 'y' : 'n';
    if (write(pipefd[1], &ok, 1) != 1) _exit(1);
    for (;;) pause();
  }
  char ok = 0;
  CHECK(read(pipefd[0], &ok, 1) == 1 && ok == 'y');
  kill(victim, SIGKILL);
  waitpid(victim, NULL, 0);
  conn d;
  CHECK(conn_init(&d));
  in = 99;
  CHECK_EQ_INT(conn_request_wait(&d, XAI_CMD_SET_INPUT, 0, &in, 1), XAI_PS_OK);
  CHECK_EQ_INT(conn_request(&d, XAI_CMD_INVOKE, 0, NULL, 0), XAI_PS_OK);
  CHECK_EQ_INT(conn_request(&d, XAI_CMD_GET_OUTPUT, 0, NULL, 0), XAI_PS_OK);
  test_model_run(&hw, ins, 0, &want, 1);
  CHECK(d.data_len == 1 && d.data[0] == want);
  CHECK_EQ_INT(conn_request(&d, XAI_CMD_GET_LOG, 0, NULL, 0), XAI_PS_OK);
  d.data[d.data_len < sizeof d.data ? d.data_len : sizeof d.data - 1] = 0;
  CHECK(strstr((char *)d.data, "dropped after 12288 of") != NULL);
  /* The new client can upload in turn. */
  CHECK_EQ_INT(conn_upload(&d, 1, pd.bytes, (uint32_t)pd.size, 0), XAI_PS_OK);
  close(d.fd);

  /* SIGTERM: a clean exit that removes the socket and the pid file. */
  char pid_path[160];
  snprintf(pid_path, sizeof pid_path, "%s.pid", sock_path);
  struct stat st;
  CHECK(stat(pid_path, &st) == 0);
  kill(emu, SIGTERM);
  int status = 0;
  waitpid(emu, &status, 0);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK(stat(sock_path, &st) != 0);
  CHECK(stat(pid_path, &st) != 0);
  rmdir(dir);
  test_model_free(&hw);
  test_model_free(&pd);
  return xai_test_finish("test_emulator");
}
