/* Starts HD's xai_device_emulator on a private socket for a test or bench
 * and stops it again. */
#ifndef XAI_TEST_EMULATOR_PROC_H
#define XAI_TEST_EMULATOR_PROC_H

#include <sys/types.h>

typedef struct {
  pid_t pid;
  char dir[64];
  char socket[128];
  char device[140]; /* "emu:<socket>" for xai_host_connect */
} emulator_proc;

/* Runs `exe --socket DIR/dev.sock --foreground [extra args]` and waits up to
 * 5 s for it to accept connections. Returns 0 on success. */
int emulator_start(emulator_proc *e, const char *exe, const char *const *extra);
/* SIGKILL, as if the emulator crashed. */
void emulator_kill(emulator_proc *e);
/* Stops it (if still running) and removes the socket directory. */
void emulator_stop(emulator_proc *e);

#endif
