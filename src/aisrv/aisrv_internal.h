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

/* The params file that comes with a model being committed
 * (docs/device.md, "Models with a params file"). */
typedef struct {
  uint8_t place;          /* XAI_PLACE_NONE / SRAM / LPDDR / FLASH */
  const uint8_t *staged;  /* SRAM, LPDDR: the params file in staging */
  uint32_t bytes;
  uint32_t entry;         /* FLASH: the image entry holding them */
  xai_flash_image image;  /* FLASH: the opened image */
} aisrv_params_in;

/* One flash image slot as a reader's window (flash_slots.c). */
typedef struct {
  struct xai_aisrv *srv;
  uint32_t base, bytes;
} aisrv_flash_window;

typedef struct {
  xai_aisrv *srv;
  uint32_t index;
  uint32_t tile;          /* index mod tiles: engines may share a tile */
  xai_interp *interp;     /* NULL = no model */
  uint8_t *model;         /* in sram or lpddr */
  uint32_t model_bytes;
  uint8_t memory;         /* AISRV_IN_SRAM / AISRV_IN_LPDDR */
  /* Where in its tile's SRAM the next model would go and how much room it
   * has there (tiles.c, aisrv_tiles_update_room). */
  uint8_t *sram;
  size_t sram_bytes;
  uint8_t *lpddr;         /* this engine's LPDDR share (NULL = none) */
  size_t lpddr_bytes;
  /* Per-layer timings of the last INVOKE, in execution order. */
  uint64_t *ticks;
  const char **op_names;
  uint32_t layers;        /* recorded */
  uint32_t layers_seen;   /* executed (more than max_layers are not kept) */
  uint32_t pf_first, pf_pending; /* prefetched loads waiting for cover */
  uint64_t weight_bytes;  /* streamed weights of the last INVOKE */
  /* Inputs (bit i = input i) whose last SET_INPUT began and did not
   * complete: they hold part old, part new bytes, so INVOKE is refused
   * until a whole upload replaces them (at most XAI_AISRV_MAX_IO). */
  uint32_t inputs_partial;
  /* Where the arena and the params file are (XAI_PLACE_*), and the source
   * the interpreter's XAI_load_weights ops read the params through. */
  uint8_t arena_place;
  uint8_t params_place;
  uint32_t params_bytes;
  uint32_t params_entry;
  xai_params_source params;
  xai_flash_image flash_image;      /* params_place FLASH */
  xai_params_flash_state flash_state;
  /* The block of the tile's SRAM its model, params and arena use (what
   * the other engines and weight holdings must leave it): offset, bytes. */
  uint32_t sram_off;
  uint32_t sram_used;
  /* Params over tiles (params_place TILES, tiles.c): the parts, the
   * physical tile and offset in that tile's holding of each, and the
   * holdings this engine has on each tile. */
  xai_params_tiles_state tiles_state;
  xai_params_source tiles_inner;
  uint8_t part_tile[XAI_PARAMS_MAX_PARTS];
  uint32_t part_hold_off[XAI_PARAMS_MAX_PARTS];
  uint32_t hold_bytes[XAI_AISRV_MAX_TILES];
  uint8_t *hold_at[XAI_AISRV_MAX_TILES];
  /* Link use of the last INVOKE: per layer, while the layer runs, and per
   * serving tile. */
  uint64_t *link_ticks;
  uint32_t *link_bytes;
  uint8_t *layer_tile;    /* the tile that computed it (channel split) */
  uint64_t link_cur_ticks;
  uint32_t link_cur_bytes;
  uint64_t served_ticks[XAI_AISRV_MAX_TILES];
  uint64_t served_bytes[XAI_AISRV_MAX_TILES];
  /* Channel-split halves of the last INVOKE: all, and those another
   * tile's thread computed (the rest ran here: that tile was busy); the
   * log says so when the split changes (tile_cmds.c). */
  uint32_t halves, halves_away, halves_logged;
  /* LINK_INPUTs since the last INVOKE: the activations another engine's
   * tile sent here, counted on that tile at the next INVOKE. */
  uint64_t link_in_ticks[XAI_AISRV_MAX_TILES];
  uint64_t link_in_bytes[XAI_AISRV_MAX_TILES];
  /* INVOKE_TILES runs engines at once: each reports its own error. */
  xai_status invoke_status;
  xai_error invoke_err;
} aisrv_engine;

struct xai_aisrv {
  xai_aisrv_config cfg;
  uint32_t tiles;
  uint32_t engines;       /* engine e runs on tile e mod tiles */
  uint32_t run_mask;      /* engines of the current run (tile_cmds.c) */
  uint32_t sram_usable;
  aisrv_engine eng[XAI_AISRV_MAX_ENGINES];
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
  uint32_t flash_erased_end; /* FLASH_WRITE: slot bytes below this are erased */
  uint32_t flash_target;     /* FLASH_WRITE: the slot being written */
  /* Slot 0, slot 1 (image readers, engines keep pointers to them), and
   * FLASH_READ's window into the current slot. */
  aisrv_flash_window flash_windows[3];
  /* A params file received by SET_PARAMS, at the start of staging, waiting
   * for a SET_MODEL with XAI_SET_MODEL_WITH_PARAMS on the same engine. Any
   * other use of staging drops it. */
  struct {
    bool valid;
    uint8_t engine;
    uint8_t place; /* XAI_PLACE_SRAM / LPDDR */
    uint32_t bytes;
  } pending;
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
/* The interpreter config every engine uses (hook, clock, resolver). */
xai_interp_config aisrv_interp_config(xai_aisrv *s, aisrv_engine *e,
                                      const uint8_t *model, size_t bytes,
                                      void *arena, size_t arena_bytes);

/* commit.c: checks the model at `model` (`bytes`, inside staging) with its
 * params, places model, arena and params in the engine's memories and makes
 * it the engine's model; replies to req (with the placement on OK).
 * Returns whether the model was loaded. */
/* SET_MODEL's flag bits make sense together; else replies BAD_ARGUMENT
 * and returns false. */
bool aisrv_set_model_flags_ok(xai_aisrv *s, const xai_frame_header *h);
bool aisrv_engine_commit(xai_aisrv *s, aisrv_engine *e,
                         const xai_frame_header *req, const uint8_t *model,
                         uint32_t bytes, aisrv_memory where,
                         const aisrv_params_in *params);

/* The tile a channel-split half of an engine on `tile` runs on: the other
 * tile of its chip (itself on a one-tile device). */
static inline uint32_t aisrv_half_tile(const xai_aisrv *s, uint32_t tile) {
  uint32_t t = tile ^ 1u;
  return t < s->tiles ? t : tile;
}

/* tiles.c: params over tiles. A plan is the parts with bases in staging,
 * where each goes, and the trial source over staging. */
typedef struct {
  xai_params_tiles_state state;
  xai_params_source src;
  uint8_t tile[XAI_PARAMS_MAX_PARTS];
  uint32_t hold_off[XAI_PARAMS_MAX_PARTS];
  uint32_t hold[XAI_AISRV_MAX_TILES];
} aisrv_tiles_plan_t;
xai_status aisrv_tiles_plan(xai_aisrv *s, aisrv_engine *e,
                            const uint8_t *model, uint32_t bytes,
                            const uint8_t *staged, uint32_t pbytes,
                            aisrv_tiles_plan_t *plan);
/* The largest room on e's tile for its next model and arena, with
 * own_hold bytes of its own weights held there, and its offset. */
size_t aisrv_tile_room(const xai_aisrv *s, const aisrv_engine *e,
                       size_t own_hold, size_t *offset);
/* Every other tile has room for its part; else replies NO_MEMORY. */
bool aisrv_tiles_fit(xai_aisrv *s, aisrv_engine *e,
                     const xai_frame_header *req,
                     const aisrv_tiles_plan_t *plan);
/* After the engine was dropped: places its holdings, copies the parts
 * from staging and sets e->params. */
xai_status aisrv_tiles_commit(xai_aisrv *s, aisrv_engine *e,
                              const aisrv_tiles_plan_t *plan);
void aisrv_tiles_release(aisrv_engine *e);
/* Every engine's sram_bytes from the holdings on its tile. */
void aisrv_tiles_update_room(xai_aisrv *s);

/* tile_cmds.c */
/* Runs engine invokes (mask: bit e = engine e) on their tiles, at once
 * when the config gives tile threads; each engine's invoke_status/err. */
void aisrv_run_engines(xai_aisrv *s, uint32_t mask);
/* Runs the engines of mask (each ready, else the reply says why) and
 * replies OK or the first engine's INFER_ERROR. */
void aisrv_invoke_and_reply(xai_aisrv *s, const xai_frame_header *req,
                            uint32_t mask);
void aisrv_cmd_invoke_tiles(xai_aisrv *s, const xai_frame_header *req);
void aisrv_cmd_get_tile_timings(xai_aisrv *s, aisrv_engine *e,
                                const xai_frame_header *req);
/* LINK_INPUT: the source engine's output copied into e's input. */
void aisrv_cmd_link_input(xai_aisrv *s, aisrv_engine *e,
                          const xai_frame_header *req);

/* params.c */
/* Bandwidth, in MB/s, the load ops of params at `place` are costed at. */
uint32_t aisrv_params_mbps(const xai_aisrv *s, uint8_t place);
/* A params source over params at `base` (SRAM/LPDDR) or over in->image's
 * entry (FLASH; *image and *state must outlive the source). */
xai_status aisrv_params_source(xai_aisrv *s, const aisrv_params_in *in,
                               const uint8_t *base, xai_params_source *src,
                               xai_flash_image *image,
                               xai_params_flash_state *state);
/* SET_PARAMS: the first chunk's checks, and the end of the transfer. */
bool aisrv_params_open(xai_aisrv *s, aisrv_engine *e,
                       const xai_frame_header *h);
void aisrv_params_received(xai_aisrv *s, const xai_frame_header *h);
/* Forgets params waiting in staging (staging is about to be reused). */
void aisrv_params_forget(xai_aisrv *s, const char *why);
void aisrv_cmd_get_spec(xai_aisrv *s, aisrv_engine *e,
                        const xai_frame_header *req);
/* INVOKE's checks (model, whole inputs); replies and returns false when
 * the engine cannot run. */
bool aisrv_invoke_ready(xai_aisrv *s, aisrv_engine *e,
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
/* A flash reader over the device flash (reads past the end fail). */
xai_flash_reader aisrv_flash_reader(xai_aisrv *s);
void aisrv_set_model_from_flash(xai_aisrv *s, aisrv_engine *e,
                                const xai_frame_header *req);
void aisrv_cmd_flash_read(xai_aisrv *s, const xai_frame_header *req,
                          const uint8_t *payload);
/* flash_slots.c: two image slots, each ending in a commit record. */
uint32_t aisrv_flash_slot_bytes(const xai_aisrv *s);
/* Bytes an image may take in one slot (the slot less its record sector). */
uint32_t aisrv_flash_slot_capacity(const xai_aisrv *s);
xai_flash_reader aisrv_flash_slot_reader(xai_aisrv *s, uint32_t slot);
/* The slot holding the current complete image; false if there is none. */
bool aisrv_flash_active(xai_aisrv *s, uint32_t *slot, uint32_t *gen);
/* Picks the slot an update goes to (*target) and erases its record. */
xai_status aisrv_flash_begin_update(xai_aisrv *s, uint32_t *target);
/* Verifies the written image in target and commits it. */
xai_status aisrv_flash_commit_update(xai_aisrv *s, uint32_t target,
                                     uint32_t total);
/* FLASH_WRITE: erase as needed, then program one accepted chunk. */
xai_status aisrv_flash_program_chunk(xai_aisrv *s, const xai_frame_header *h,
                                     const uint8_t *payload);

#endif
