/* The xformer's pass interface. Passes edit an xai_model in place
 * (include/xai/tflite.h). Lowerings are listed per op family in X-macro
 * files (lower_conv.def, lower_misc.def) so families develop separately.
 *
 * Contract for a lowering (docs/xcore_ops.md describes every XAI_* op):
 *  - it sees op `op` of subgraph 0 whose builtin code it registered for;
 *  - if it can compute exactly the same bits as the reference kernel with
 *    an xcore kernel, it replaces the op IN PLACE (same index) with an
 *    XAI_* custom op through xf_replace_custom(), adding new constant
 *    tensors (packed weights) with xf_add_const(); old tensors that become
 *    unused are removed by the driver afterwards;
 *  - otherwise it leaves the model untouched and calls xf_keep() with the
 *    reason (shown in the report), and returns XAI_OK;
 *  - it returns an error only for real failures (allocation, corrupt
 *    model), which abort the compile. */
#ifndef XAI_XFORMER_INTERNAL_H
#define XAI_XFORMER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xai/common.h"
#include "xai/flexbuf.h"
#include "xai/runtime.h"
#include "xai/tflite.h"
#include "xai/xformer.h"
#include "xai/xcore_machine.h"

typedef struct {
  uint32_t op;     /* operator index at the time of the note */
  char text[160];
} xf_note;

/* ---- Placement (placement*.c, docs/weights.md) --------------------------
 * Which memory holds the model, the arena and the params on the device. */
/* XF_MEM_TILES: params only, spread over the tiles' SRAM (partition.c). */
typedef enum { XF_MEM_SRAM = 0, XF_MEM_LPDDR, XF_MEM_FLASH, XF_MEM_TILES } xf_mem;
typedef struct {
  uint8_t model, arena, params; /* xf_mem each; params == model when the
                                   weights stay inside the model */
  bool split;                   /* weights go to a params file */
  size_t sram_bytes, lpddr_bytes, flash_bytes; /* used in each memory */
} xf_placement;

/* The device: --target-config FILE (key=value or flat JSON: sram_kib,
 * firmware_kib, lpddr_mib, flash_mib, flash_mbps, clock_mhz and, for
 * --xcore-memory=custom, model_memory/arena_memory/params_memory =
 * sram|lpddr|flash). */
typedef struct {
  uint32_t sram_kib, firmware_kib, lpddr_mib, flash_mib, flash_mbps,
      clock_mhz;
  uint32_t tiles, chips;  /* 0 = unset (docs/multitile.md) */
  uint32_t tile_link_mbps, chip_link_mbps; /* inter-tile, xLINK */
  int8_t model_memory, arena_memory, params_memory; /* xf_mem, -1 unset */
} xf_target;

/* SRAM the firmware keeps for itself on the model's tile: the device
 * server's number (xcore_machine.h), so the xformer and the device agree
 * on what fits. */
#define XF_FIRMWARE_KIB_DEFAULT (XAI_XCORE_FIRMWARE_BYTES_PER_TILE / 1024u)

void xf_target_default(xf_target *t);
/* Parses a target description from text (NUL-terminated); `where` names
 * the file in messages. */
xai_status xf_target_parse(xf_target *t, const char *text, const char *where,
                           xai_error *err);
xai_status xf_target_load(xf_target *t, const char *path, xai_error *err);

/* Sizes the placement needs: the model with every weight inside, the
 * bytes a params split would move out, and the arena. */
typedef struct {
  size_t model_bytes, movable_bytes, arena_bytes;
  bool params_file; /* a params file was asked for (a split is possible) */
} xf_sizes;

/* Picks the placement for `want` (auto: the fastest that fits, by the
 * speed of the memory the weights stream from, then of the arena). When
 * nothing fits the error gives the bytes missing and an option that would
 * make it fit. */
xai_status xf_placement_choose(const xf_target *t, xai_xf_memory want,
                               const xf_sizes *s, xf_placement *out,
                               xai_error *err);
const char *xf_mem_name(int mem); /* "sram", "lpddr", "flash", "tiles" */
/* Bytes the model, arena and params may use in memory `mem` of t. */
uint64_t xf_target_budget(const xf_target *t, int mem);
/* xai_interp_arena_needed for cfg, but refused (naming `what`, the bytes
 * needed and the device's) before allocating when the arena needs more
 * than the memory the placement can put it in (arena_limit.c). */
xai_status xf_arena_needed(const xai_xformer_options *o,
                           const xai_interp_config *cfg, const char *what,
                           size_t *need, xai_error *err);

/* ---- Multi-tile (partition*.c, docs/multitile.md) -------------------------
 * A model whose weights do not fit its tile keeps model and arena on tile 0
 * (the computing tile) and its params file spread over the SRAM of tiles
 * 0..used-1, each part streamed to tile 0 over its link. */
typedef struct {
  uint32_t tiles, chips;        /* the target's */
  uint32_t used;                /* tiles holding part of the params */
  uint32_t part_count;
  xai_params_tiles_state parts; /* bases NULL until a params blob is given */
} xf_tile_plan;

/* Tiles and chips of the target after the options (tiles default to 1, or
 * 2 per chip when chips are given); fails when tiles exceed 2 per chip. */
xai_status xf_target_tiles(const xai_xformer_options *o, xf_target *t,
                           xai_error *err);
/* Link to tile `tile` (relative to the computing tile 0): bandwidth in
 * bytes/s and latency in 100 MHz ticks. */
void xf_tile_link(const xf_target *t, uint32_t tile, uint64_t *bytes_per_s,
                  uint32_t *latency_ticks);


typedef struct {
  xai_model *m;                 /* the model being compiled */
  const xai_xformer_options *opt;
  xf_note *notes;               /* why ops stayed builtins (malloc'd) */
  uint32_t note_count, note_cap;
  /* Filled by xf_split_params for the report (params_split.c). */
  size_t params_bytes_moved;   /* constant bytes moved to the params file */
  uint32_t params_tensors_moved;
  size_t params_bytes_kept;    /* constant bytes that stayed in the model */
  uint32_t params_tensors_kept;
  uint32_t params_load_ops;    /* XAI_load_weights ops inserted */
  uint64_t params_hash;        /* xai_params_hash of the params data */
  /* Filled by xf_prefetch_params (params_prefetch.c). */
  uint32_t params_loads_prefetched; /* loads hoisted and marked "pf" */
  /* Set by xf_place (placement_pass.c) before the split; the split's load
   * ops stream from placement.params. */
  bool placed;
  xf_placement placement;
  xf_tile_plan tiles;          /* placement.params == XF_MEM_TILES */
  /* Filled by xf_canonicalise for the report (canon*.c). */
  uint32_t canon_pads_folded;  /* PAD/PADV2 folded into a conv's padding */
  uint32_t canon_acts_fused;   /* RELU/RELU6/RELU_N1_TO_1 fused */
  uint32_t canon_ops_dropped;  /* no-op RESHAPE/QUANTIZE removed */
  uint32_t weights_sliced_ops; /* ops split into weight slices */
  /* Channel split over tiles (tile_split.c): the halves given to tile 1,
   * by output tensor name, with their link ticks. */
  char **par_names;
  uint32_t *par_link_ticks;
  uint32_t *par_link_bytes;
  uint32_t par_count;
} xf_ctx;

typedef xai_status (*xf_lower_fn)(xf_ctx *x, uint32_t op, bool *done,
                                  xai_error *err);

/* ---- Model queries (subgraph 0) ----------------------------------------- */
xai_tensor *xf_tensor(xf_ctx *x, int32_t index);     /* NULL for -1 */
xai_operator *xf_op(xf_ctx *x, uint32_t op);
int32_t xf_op_builtin(xf_ctx *x, uint32_t op);        /* builtin code */
/* Constant data of a tensor (its buffer), or NULL if it has none. */
const uint8_t *xf_const_data(xf_ctx *x, int32_t tensor, size_t *size);
/* Number of operators reading tensor t, and whether it is a subgraph
 * output (then it must keep its name and index). */
uint32_t xf_consumer_count(xf_ctx *x, int32_t t);
bool xf_is_graph_output(xf_ctx *x, int32_t t);
/* Scale and zero point of channel 0 (per-tensor); false if unquantized. */
bool xf_quant(xf_ctx *x, int32_t t, float *scale, int32_t *zero_point);

/* ---- Editing -------------------------------------------------------------- */
/* A new constant tensor with its own buffer holding a copy of data;
 * returns the tensor index or -1 (allocation failure). */
int32_t xf_add_const(xf_ctx *x, const char *name, int8_t type,
                     const int32_t *shape, uint32_t rank, const void *data,
                     size_t size);
/* Replaces operator `op` by the custom op `code` (e.g. "XAI_conv2d") with
 * the given tensors and flexbuffer options, at the same index. */
xai_status xf_replace_custom(xf_ctx *x, uint32_t op, const char *code,
                             const int32_t *inputs, uint32_t input_count,
                             const int32_t *outputs, uint32_t output_count,
                             const uint8_t *options, size_t options_size,
                             xai_error *err);
/* Records why op stays as it is (printf-style, one line). */
void xf_keep(xf_ctx *x, uint32_t op, const char *fmt, ...) XAI_PRINTF(3, 4);

/* Removes tensors no operator, subgraph io or signature uses, then unused
 * buffers. */
xai_status xf_remove_dead_tensors(xf_ctx *x, xai_error *err);

/* ---- Passes (the driver, xformer.c, runs them in this order) ---------- */
/* Checks the model has a subgraph (xf_check.c). */
xai_status xf_check_model(xf_ctx *x, xai_error *err);
/* True (and a report note naming the quantization settings) when op has a
 * float32 input or output: it stays a builtin. */
bool xf_keep_if_float(xf_ctx *x, uint32_t op);
/* True for the Larq Compute Engine custom ops (lower_lce.c), which the
 * xformer keeps: their weights are already 1 bit a parameter. */
bool xf_lce_op_name(const char *custom_code);
/* Report note of an LceBconv2d layer: its MACs are binary ones, measured
 * against the 1-bit peak (256 a bundle, VLMACCR1) instead of int8's. */
/* Whether input k of an LCE op is read only in eval, so it may move to the
 * params file: LceBconv2d's bitpacked filter and thresholds (its float
 * multiplier and bias are fused in prepare and stay). */
bool xf_lce_input_movable(const char *custom_code, uint32_t k);
void xf_lce_layer_note(const xai_op_cost *cost, char *note, size_t size);
/* LceBconv2d (and the LceBMaxPool2d reading it, where fusable) ->
 * XAI_bconv2d (lower_bconv.c), LceQuantize -> XAI_bquantize (lower_lce.c);
 * other custom ops are left alone. */
xai_status xf_lower_lce(xf_ctx *x, uint32_t op, xai_error *err);
xai_status xf_lower_lce_bconv(xf_ctx *x, uint32_t op, xai_error *err);
/* Ops whose MACs are binary ones (LceBconv2d, XAI_bconv2d). */
bool xf_lce_binary_op(const char *op_name);
/* Notes a TFLM signal library op (Signal*) as kept (lower_signal.c). */
void xf_keep_if_signal(xf_ctx *x, uint32_t op);
/* Folds pads, fuses activations, drops no-op RESHAPE/QUANTIZE (canon*.c). */
xai_status xf_canonicalise(xf_ctx *x, xai_error *err);
/* With a params file: splits CONV_2D / FULLY_CONNECTED ops whose weights
 * exceed the load budget by output channels, joined by a CONCATENATION
 * (slice_weights.c). */
xai_status xf_slice_weights(xf_ctx *x, xai_error *err);
/* slice_weights.c, for tile_split.c: whether op is a CONV_2D or
 * FULLY_CONNECTED that can be split by output channels, and the split
 * into `slices` ops of `per` channels + a CONCATENATION. */
bool xf_sliceable(xf_ctx *x, uint32_t op, uint32_t *channels,
                  size_t *weight_bytes);
xai_status xf_split_output_channels(xf_ctx *x, uint32_t op, uint32_t channels,
                                    uint32_t per, uint32_t slices,
                                    xai_error *err);
/* tile_split.c (docs/multitile.md, "Channel split"): with 2 or more tiles
 * and the weights in the model, wide ops the cost model says gain are
 * split in two, the first half for tile 1 (before lowering); after the
 * last pass that moves ops, the halves are recorded in `xai_par`. */
xai_status xf_tile_split(xf_ctx *x, xai_error *err);
xai_status xf_tile_split_finish(xf_ctx *x, xai_error *err);
void xf_tile_split_free(xf_ctx *x);
/* partition_pipeline.c: the layer pipeline plan (mode b) into rep, and
 * its lines in the printed report. */
void xf_pipeline_report(xf_ctx *x, xai_xformer_report *rep);
void xf_pipeline_print(const xai_xformer_report *r, FILE *f);
/* Tries every registered lowering on each op (lower.c). */
xai_status xf_lower_all(xf_ctx *x, xai_error *err);
/* Plans the arena and writes OfflineMemoryAllocation metadata (plan*.c). */
xai_status xf_plan_memory(xf_ctx *x, xai_error *err);
/* Moves constants larger than opt->load_externally_if_larger bytes to a
 * params blob (*params malloc'd, NULL/0 when nothing moves or no params
 * file was asked for), replacing them with load ops (params_split.c). */
xai_status xf_split_params(xf_ctx *x, uint8_t **params, size_t *params_size,
                           xai_error *err);
/* After the split: hoists each load one compute op earlier and marks it
 * "pf" (its transfer runs under that op) while the runtime's arena for the
 * hoisted order still fits the placement's arena memory, which also holds
 * the model and params placed there (params_size: the params file). Off
 * with opt->no_prefetch (params_prefetch.c, docs/weights.md). */
xai_status xf_prefetch_params(xf_ctx *x, size_t params_size, xai_error *err);
/* Last: drops tensor names but the graph io's (unless opt->keep_names)
 * and stores identical constant buffers once (model_shrink.c). */
xai_status xf_shrink_model(xf_ctx *x, xai_error *err);
/* Bytes xf_split_params would move (the same selection), without moving. */
size_t xf_params_movable_bytes(xf_ctx *x);
/* Chooses the placement (opt->memory, opt->target_config) for the model as
 * it is now (after planning, before the split) and records it in x and in
 * the `xai_placement` metadata (placement_pass.c). */
xai_status xf_place(xf_ctx *x, xai_error *err);

/* Placement for a target with more than one tile when one tile is not
 * enough or slower: compares the single-tile placements with params over
 * the tiles by the time streaming weights costs per inference. */
xai_status xf_partition_choose(xf_ctx *x, const xf_target *t,
                               const xf_sizes *s, xf_placement *out,
                               xai_error *err);
/* After the split and the prefetch: splits the params file of params_size
 * bytes over the tiles (tile 0 first, with what model + arena leave) and
 * records the parts in the `xai_tiles` metadata. */
xai_status xf_partition_assign(xf_ctx *x, size_t params_size, xai_error *err);
/* Fills rep's per-tile table and partition line (partition_report.c). */
void xf_partition_report(const xf_ctx *x, xai_xformer_report *rep);
void xf_partition_print(const xai_xformer_report *r, FILE *f);

/* ---- Report (xf_report.c) ---------------------------------------------- */
/* A note tied to the op by its first output tensor's name, which survives
 * passes that renumber or reorder ops. */
typedef struct {
  char tensor[128];
  char text[160];
} xf_layer_note;

/* Costs every op of the optimised model[0..size) in the runtime (the ops'
 * estimate callbacks, else one run on zero inputs) and fills rep; params
 * (NULL if none) feeds its XAI_load_weights ops, so their streaming time is
 * in the totals. The caller sets model_bytes and params_bytes. */
xai_status xf_report_build(const uint8_t *model, size_t size,
                           const xai_params_source *params,
                           const xai_xformer_options *o,
                           const xf_layer_note *notes, uint32_t note_count,
                           xai_xformer_report *rep, xai_error *err);

/* ---- Running the model in the runtime (plan_measure.c) ----------------- */
/* A runtime config for model[0..size) at clock_mhz, all else zero: the
 * all-ops resolver and the auto planner, as the device will run it. */
xai_interp_config xf_interp_config(const uint8_t *model, size_t size,
                                   uint32_t clock_mhz);

/* Initialises *ip on a zeroed heap arena of `need` bytes (rounded up to
 * 16), set into cfg; *arena is the caller's to free, NULL on failure.
 * `what` names the caller in the out-of-memory message. */
xai_status xf_interp_on_heap(xai_interp_config *cfg, size_t need,
                             void **arena, xai_interp **ip, const char *what,
                             xai_error *err);

/* ---- Text output (xf_text.c) ---------------------------------------- */
typedef struct {
  char *data;
  size_t len, cap;
  int failed;
} xf_text;
void xf_text_put(xf_text *b, const char *fmt, ...) XAI_PRINTF(2, 3);
void xf_text_json_string(xf_text *b, const char *s); /* quoted, escaped */
/* partition_report.c: the tiles and pipeline in the report JSON. */
void xf_partition_json(const xai_xformer_report *r, xf_text *b);
void xf_text_html(xf_text *b, const char *s);        /* HTML-escaped */
/* Writes b to path atomically and frees it; "WHAT: out of memory" if an
 * append failed. */
xai_status xf_text_write(xf_text *b, const char *path, const char *what,
                         xai_error *err);

/* ---- --emit-c (emit_c.c) ------------------------------------------------
 * The check runs before compiling (a bad directory or name fails fast);
 * the emit writes DIR/NAME.h and DIR/NAME.c for the compiled model. */
xai_status xai_xf_emit_c_check(const xai_xformer_options *o, xai_error *err);
xai_status xai_xf_emit_c(const xai_xformer_options *o, const char *in_desc,
                         const uint8_t *model, size_t model_size,
                         const uint8_t *params, size_t params_size,
                         const xai_xformer_report *rep, xai_error *err);

#endif
