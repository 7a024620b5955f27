/* A test harness around one AI server: regions from malloc, requests built
 * with the protocol encoder and fed through the byte-stream API, replies
 * decoded and collected. No sockets. */
#ifndef XAI_TESTS_AISRV_HARNESS_H
#define XAI_TESTS_AISRV_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/aisrv.h"

#define HARNESS_MAX_REPLIES 64

typedef struct {
  xai_aisrv *srv;
  xai_aisrv_config cfg;
  void *work, *sram[2], *lpddr, *staging;
  uint8_t *flash;
  uint32_t seq;
  /* Replies to the last request. */
  xai_frame_header replies[HARNESS_MAX_REPLIES];
  uint32_t reply_count;
  uint8_t *data; /* payloads of the last request's replies, concatenated */
  size_t data_len, data_cap;
  xai_frame_decoder dec;
  uint8_t dec_buf[XAI_PROTO_MAX_FRAME_BYTES];
} harness;

typedef struct {
  uint32_t tiles, sram_bytes, firmware_bytes;
  size_t lpddr_bytes, staging_bytes;
  uint32_t flash_bytes;
} harness_opts;

/* Defaults: 2 tiles x 512 KiB, 8 MiB LPDDR, 2 MiB staging, 1 MiB flash. */
harness_opts harness_defaults(void);
void harness_init(harness *h, const harness_opts *o);
void harness_free(harness *h);

/* Sends raw bytes (fed in small pieces to exercise the decoder). */
void harness_feed(harness *h, const uint8_t *bytes, size_t n);
/* Sends one frame; returns the status of the last reply (or -1 if none). */
int harness_frame(harness *h, const xai_frame_header *hdr, const void *payload);
/* A one-frame request. */
int harness_request(harness *h, xai_proto_command cmd, uint8_t engine,
                    uint16_t tensor, uint32_t arg, const void *payload,
                    uint32_t n);
/* A chunked upload; stops at the first non-OK reply and returns its status.
 * stop_after > 0 sends only that many chunks (a broken transfer). */
int harness_upload(harness *h, xai_proto_command cmd, uint8_t engine,
                   uint16_t tensor, uint32_t arg, const void *data,
                   uint32_t total, uint32_t chunk, uint32_t stop_after);
/* The reply payload text (NUL-terminated copy) for messages. */
const char *harness_text(harness *h);
/* Returns the log (GET_LOG) as text. */
const char *harness_log(harness *h);

#endif
