/* Private state of the AI server, shared by its source files. */
#ifndef XAI_AISRV_INTERNAL_H
#define XAI_AISRV_INTERNAL_H

#include <stdarg.h>

#include "xai/aisrv.h"

/* Where an engine's model bytes live. */
typedef enum {
  AISRV_IN_SRAM = XAI_MODEL_TO_SRAM,
  AISRV_IN_LPDDR = XAI_MODEL_TO_LPDDR,
  AISRV_IN_AUTO = 0xFF, /* from flash: SRAM if it fits, else LPDDR */
} aisrv_memory;

typedef struct {
  xai_aisrv *srv;
  uint32_t index;
  xai_interp *interp;     /* NULL = no model */
  uint8_t *model;         /* in sram or lpddr */
  uint32_t model_bytes;
  uint8_t memory;         /* AISRV_IN_SRAM / AISRV_IN_LPDDR */
  uint8_t *sram;          /* the tile's usable SRAM */
  size_t sram_bytes;
  uint8_t *lpddr;         /* this engine's LPDDR share (NULL = none) */
  size_t lpddr_bytes;
  /* Per-layer timings of the last INVOKE, in execution order. */
  uint64_t *ticks;
  const char **op_names;
  uint32_t layers;        /* recorded */
  uint32_t layers_seen;   /* executed (more than max_layers are not kept) */
  uint64_t weight_bytes;  /* streamed weights of the last INVOKE */
} aisrv_engine;

struct xai_aisrv {
  xai_aisrv_config cfg;
  uint32_t engines;
  uint32_t sram_usable;
  aisrv_engine eng[XAI_AISRV_MAX_TILES];
  xai_frame_decoder dec;
  uint8_t *frame;          /* one reply frame, XAI_PROTO_MAX_FRAME_BYTES */
  uint8_t *payload;        /* scratch payload, XAI_PROTO_MAX_PAYLOAD */
  uint8_t *big;            /* GET_SPEC / GET_TIMINGS encoding */
  size_t big_bytes;
  xai_proto_tensor_info *tensors; /* XAI_AISRV_MAX_IO */
  xai_proto_layer_timing *layer_batch;
  char *log;
  size_t log_len, log_cap;
  uint32_t log_dropped;
  /* The open host->device transfer (SET_MODEL, SET_INPUT, FLASH_WRITE). */
  xai_chunk_reassembler rx;
  uint32_t flash_erased_end; /* FLASH_WRITE: sectors below this are erased */
  xai_error err;
};

#define AISRV_TIMING_BATCH 16u

/* strnlen is POSIX, not C11. */
static inline size_t aisrv_strnlen(const char *p, size_t max) {
  size_t n = 0;
  while (n < max && p[n]) n++;
  return n;
}

static inline size_t aisrv_align16(size_t n) { return (n + 15u) & ~(size_t)15u; }

/* log.c */
void aisrv_log(xai_aisrv *s, const char *fmt, ...) XAI_PRINTF(2, 3);
void aisrv_log_clear(xai_aisrv *s);

/* reply.c */
void aisrv_reply(xai_aisrv *s, const xai_frame_header *req,
                 xai_proto_status st, const void *payload, uint32_t n);
/* Replies with status st and the message as payload, and logs it. */
void aisrv_reply_error(xai_aisrv *s, const xai_frame_header *req,
                       xai_proto_status st, const char *fmt, ...)
    XAI_PRINTF(4, 5);
/* A streamed OK reply of `total` bytes produced by `read` chunk by chunk. */
typedef xai_status (*aisrv_source_fn)(void *ctx, uint32_t offset, void *dst,
                                      uint32_t n);
void aisrv_reply_stream(xai_aisrv *s, const xai_frame_header *req,
                        uint32_t total, aisrv_source_fn read, void *ctx);
void aisrv_reply_memory(xai_aisrv *s, const xai_frame_header *req,
                        const void *data, uint32_t total);

/* engine.c */
void aisrv_engine_drop(aisrv_engine *e);
/* Checks the model in `bytes` of staging and makes it the engine's model;
 * replies to req. */
void aisrv_engine_commit(xai_aisrv *s, aisrv_engine *e,
                         const xai_frame_header *req, uint32_t bytes,
                         aisrv_memory where);
void aisrv_cmd_get_spec(xai_aisrv *s, aisrv_engine *e,
                        const xai_frame_header *req);
void aisrv_cmd_invoke(xai_aisrv *s, aisrv_engine *e,
                      const xai_frame_header *req);
void aisrv_cmd_get_output(xai_aisrv *s, aisrv_engine *e,
                          const xai_frame_header *req);
void aisrv_cmd_get_timings(xai_aisrv *s, aisrv_engine *e,
                           const xai_frame_header *req);

/* transfer.c: host->device streamed commands */
void aisrv_transfer_frame(xai_aisrv *s, const xai_frame_header *h,
                          const uint8_t *payload);
void aisrv_transfer_abort(xai_aisrv *s, const char *why);

/* flash_cmds.c */
void aisrv_set_model_from_flash(xai_aisrv *s, aisrv_engine *e,
                                const xai_frame_header *req);
void aisrv_cmd_flash_read(xai_aisrv *s, const xai_frame_header *req,
                          const uint8_t *payload);
/* FLASH_WRITE: erase as needed, then program one accepted chunk. */
xai_status aisrv_flash_program_chunk(xai_aisrv *s, const xai_frame_header *h,
                                     const uint8_t *payload);

#endif
