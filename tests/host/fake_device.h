/* A scripted stand-in for the device on a Unix socket, run in a thread:
 * the tests of the host library's timeouts, error mapping and streaming
 * use it so they do not depend on the real emulator. */
#ifndef XAI_TEST_FAKE_DEVICE_H
#define XAI_TEST_FAKE_DEVICE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  FAKE_NORMAL = 0,         /* answers every command (see fake_device.c) */
  FAKE_SILENT_AFTER_HELLO, /* answers HELLO, then reads and never replies */
  FAKE_CLOSE_MID_OUTPUT,   /* GET_OUTPUT: first chunk of the reply, then close */
  FAKE_CLOSE_MID_DOWNLOAD, /* SET_MODEL: acks 2 chunks, then closes */
  FAKE_BUSY_THEN_OK,       /* replies BUSY to the first 3 HELLOs */
  FAKE_GARBAGE_FIRST,      /* writes noise before every reply */
} fake_mode;

/* The fake device's model: an output of FAKE_OUTPUT_BYTES bytes where
 * byte i = (i * 7 + input[0]) & 0xFF (so a test can predict it). */
#define FAKE_OUTPUT_BYTES 10000u
#define FAKE_INPUT_BYTES 12u
#define FAKE_FLASH_BYTES (256u * 1024u)

typedef struct {
  fake_mode mode;
  char path[108];
  int listen_fd;
  pthread_t thread;
  /* What the device saw (read after fake_device_stop). */
  uint32_t model_bytes;
  uint32_t model_crc;
  unsigned busy_replies;
  unsigned frames;
} fake_device;

/* Listens on a fresh socket in a temp dir and serves one client. */
int fake_device_start(fake_device *d, fake_mode mode);
/* Joins the thread (the client must have disconnected) and cleans up. */
void fake_device_stop(fake_device *d);

#endif
