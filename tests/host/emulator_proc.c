/* See emulator_proc.h. */
#define _POSIX_C_SOURCE 200809L
#include "emulator_proc.h"
#include "testlib.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int can_connect(const char *path) {
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  if (snprintf(a.sun_path, sizeof a.sun_path, "%s", path) >=
      (int)sizeof a.sun_path) {
    close(fd);
    return 0;
  }
  int ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
  close(fd);
  return ok;
}

int emulator_start(emulator_proc *e, const char *exe,
                   const char *const *extra) {
  memset(e, 0, sizeof *e);
  snprintf(e->dir, sizeof e->dir, "/tmp/xai-emu-test-XXXXXX");
  if (!mkdtemp(e->dir)) return -1;
  snprintf(e->socket, sizeof e->socket, "%s/dev.sock", e->dir);
  snprintf(e->device, sizeof e->device, "emu:%s", e->socket);
  const char *argv[32] = {exe, "--socket", e->socket, "--foreground"};
  int argc = 4;
  for (int i = 0; extra && extra[i] && argc < 31; i++) argv[argc++] = extra[i];
  argv[argc] = NULL;
  e->pid = fork();
  if (e->pid < 0) return -1;
  if (e->pid == 0) {
    char log[160];
    snprintf(log, sizeof log, "%s/emulator.log", e->dir);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execv(exe, (char *const *)argv);
    _exit(127);
  }
  for (int i = 0; i < 500; i++) {
    if (can_connect(e->socket)) return 0;
    int status;
    if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
      e->pid = 0;
      return -1;
    }
    struct timespec ts = {0, 10 * 1000000L};
    nanosleep(&ts, NULL);
  }
  return -1;
}

void emulator_kill(emulator_proc *e) {
  if (e->pid > 0) {
    kill(e->pid, SIGKILL);
    waitpid(e->pid, NULL, 0);
    e->pid = 0;
  }
}

/* An emulator that ignores SIGTERM is a failure of its own, reported in
 * 10 s, not a test that hangs until ctest's timeout. */
void emulator_stop(emulator_proc *e) {
  if (e->pid > 0) {
    kill(e->pid, SIGTERM);
    int i = 0;
    for (; i < 1000 && waitpid(e->pid, NULL, WNOHANG) != e->pid; i++) {
      struct timespec ts = {0, 10 * 1000000L};
      nanosleep(&ts, NULL);
    }
    if (i == 1000) {
      fprintf(stderr, "FAIL: the emulator did not stop within 10 s of "
              "SIGTERM\n");
      xai_test_failures++;
      emulator_kill(e);
    }
    e->pid = 0;
  }
  char path[200];
  const char *names[] = {"dev.sock", "dev.sock.pid", "dev.sock.log",
                         "emulator.log"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", e->dir, names[i]);
    unlink(path);
  }
  rmdir(e->dir);
}
