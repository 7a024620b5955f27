/* The xai interpreter: runs a TFLite model from memory with every byte of
 * working memory taken from a caller-given arena. Shared by the host tools
 * and the device server (SYSTEM.md section 2).
 *
 * Arena layout: the planned head (activations and scratch, offsets from the
 * planner) grows from the start; the persistent tail (interpreter state,
 * runtime tensors, per-op data) grows from the end. Nothing is allocated
 * from the heap, at init or after. */
#ifndef XAI_RUNTIME_H
#define XAI_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/flash.h"
#include "xai/tflite.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XAI_MAX_DIMS 8

/* Where a tensor's bytes live. */
typedef enum {
  XAI_MEM_NONE = 0,   /* no data (optional input absent, zero-size) */
  XAI_MEM_CONST,      /* constant: points into the model buffer (copied
                         to the tail only if the model leaves it
                         misaligned for its element type) */
  XAI_MEM_ARENA,      /* planned activation in the arena head */
  XAI_MEM_PERSISTENT, /* variable tensor: lives across invokes, in the tail */
} xai_mem_kind;

/* One tensor at run time: 32 bytes on a 64-bit host, one per tensor of
 * the model in the arena tail, so everything the model itself holds
 * (shape, name, per-channel scales) is pointed to or read from the model
 * rather than copied (TFLite Micro's TfLiteEvalTensor keeps 12 bytes on a
 * 32-bit MCU the same way). Limits checked at init: under 4 GiB a tensor,
 * zero points in int16 range, at most 65535 per-channel scales. */
typedef struct {
  void *data;
  /* rank entries in the model's shape vector (read-only: shapes are
   * static); entries past rank are not there to read. */
  const int32_t *dims;
  uint32_t bytes;
  /* Quantization: scale/zero_point of channel 0 (or per-tensor);
   * xai_op_tensor_scales() gives all quant_count scales (per-channel
   * zero points are not kept: the ops take symmetric per-channel weights
   * only). quant_count 0 = none. */
  float scale;
  int16_t zero_point; /* TFLite's are int8/uint8 range, or 0 for int16 */
  uint16_t quant_count;
  int8_t type;       /* xai_tensor_type */
  uint8_t mem;       /* xai_mem_kind */
  uint8_t rank;      /* <= XAI_MAX_DIMS */
  int8_t quant_dim;  /* per-channel axis */
} xai_rt_tensor;

/* Elements in the tensor (product of dims; 1 for rank 0). */
size_t xai_rt_tensor_elements(const xai_rt_tensor *t);

typedef struct xai_interp xai_interp;
/* The model's name for t, one of ip's tensors ("" if it has none or t is
 * not ip's): read from the model, for messages and tools. */
const char *xai_interp_tensor_name(const xai_interp *ip,
                                   const xai_rt_tensor *t);

/* ---- Op author interface (TFLite Micro's prepare-once / eval-fast) ------ */

/* Modelled xcore.ai cost of one op (SYSTEM.md section 4): what the device
 * emulator reports per layer and the xformer report prints. XAI_* ops fill
 * it from their threads' VPU bundle counts; ops that leave ticks at 0 get
 * the runtime's scalar estimate (xai_op_default_cost). */
typedef struct {
  uint64_t macs;          /* multiply-accumulates (0 for data movement) */
  uint64_t ticks;         /* 100 MHz reference ticks at the clock */
  uint64_t cycles;        /* core cycles */
  uint64_t bundles_max;   /* largest per-thread bundle count */
  uint32_t threads;       /* threads the op ran on (1 for builtins) */
  uint64_t weight_bytes;  /* constant bytes the op reads */
  double utilisation;     /* macs / (32 x total bundles), 0 if none */
  const char *kernel;     /* kernel chosen, e.g. "conv2d_direct"; NULL = ref */
  /* Of `ticks`, the part that may run under the next op's compute: a
   * prefetched XAI_load_weights ("pf": 1) streams while the following op
   * computes, so it sets this to its whole transfer; 0 for every other op.
   * Consumers of timings subtract the hidden part with
   * xai_params_overlap_ticks (docs/weights.md, "Prefetch"). */
  uint64_t overlap_ticks;
} xai_op_cost;

/* An op's view of itself during prepare and eval. The interpreter loads
 * each op into a context on its own stack (not in the arena) before calling
 * it, so an op must not keep the ctx pointer past the call (its `data` is
 * what persists). */
typedef struct {
  xai_interp *interp;
  uint32_t subgraph, index;    /* op index within the subgraph */
  int32_t builtin_code;        /* XAI_OP_CUSTOM for custom ops */
  uint32_t clock_mhz;          /* device core clock the cost is for */
  const char *op_name;         /* "CONV_2D" or the custom code */
  const xai_options *options;  /* decoded builtin options */
  const uint8_t *custom_options;
  uint32_t custom_options_size;
  uint32_t input_count, output_count;
  const int32_t *inputs, *outputs; /* tensor indices; -1 = absent */
  void *data;                  /* the op's persistent data, set in prepare */
  xai_error *err;
  /* eval/estimate fill it; zeroed before eval. It lives with the context
   * (not 64 bytes per op in the tail): read it in the hook or right after
   * estimate. */
  xai_op_cost *cost;
} xai_op_ctx;

/* Input or output i; NULL if absent (-1) or i is out of range. */
xai_rt_tensor *xai_op_input(const xai_op_ctx *ctx, uint32_t i);
xai_rt_tensor *xai_op_output(const xai_op_ctx *ctx, uint32_t i);

/* The quant_count per-channel scales of tensor t (one the op reaches
 * through xai_op_input/xai_op_output), read from the model; NULL if t is
 * not quantized. Prepare-time use: it reads the model each call. */
const float *xai_op_tensor_scales(const xai_op_ctx *ctx,
                                  const xai_rt_tensor *t);

/* xai_interp_tensor_name for the op's interpreter: for messages. */
const char *xai_op_tensor_name(const xai_op_ctx *ctx, const xai_rt_tensor *t);

/* Prepare only: memory from the arena tail that lives as long as the
 * interpreter. NULL when the arena is full (the op fails; the interpreter
 * reports the bytes needed). */
void *xai_op_alloc_persistent(xai_op_ctx *ctx, size_t bytes);
/* Ends the current invoke after this op, as TFLite Micro's kTfLiteAbort
 * does (CIRCULAR_BUFFER between its strides): the ops after it do not run
 * and their outputs keep what they held. The invoke still succeeds;
 * xai_interp_ended_early() tells the caller. */
void xai_op_end_invoke(xai_op_ctx *ctx);
bool xai_interp_ended_early(const xai_interp *ip);

/* Resource variables (VAR_HANDLE, ASSIGN_VARIABLE, READ_VARIABLE), one set
 * per interpreter that lives as long as it does, as TFLite Micro's
 * MicroResourceVariables: an id per (container, shared_name) (an empty
 * container matches any), a buffer allocated once in prepare and filled
 * with `fill`, never reset between invokes. Prepare only, except _data. */
/* VAR_HANDLE's prepare: the id, also bound to the op's output tensor. */
int32_t xai_op_resource_id(xai_op_ctx *ctx, const char *container,
                           const char *shared_name);
/* The id bound to input i (a VAR_HANDLE output in the same subgraph). */
int32_t xai_op_resource_of_input(xai_op_ctx *ctx, uint32_t i);
xai_status xai_op_resource_allocate(xai_op_ctx *ctx, int32_t id,
                                    size_t bytes, uint8_t fill);
/* The variable's buffer and size (NULL when it was never allocated). */
void *xai_op_resource_data(xai_op_ctx *ctx, int32_t id, size_t *bytes);
/* Prepare only: asks for `bytes` of scratch valid during this op's eval;
 * the planner overlaps scratch with dead activations. */
xai_status xai_op_request_scratch(xai_op_ctx *ctx, size_t bytes,
                                  int32_t *index);
/* Eval only: the scratch buffer requested in prepare. */
void *xai_op_scratch(const xai_op_ctx *ctx, int32_t index);

/* Fails the op with a message prefixed "op <index> <OP_NAME>: ". */
xai_status xai_op_fail(const xai_op_ctx *ctx, xai_status status,
                       const char *fmt, ...) XAI_PRINTF(3, 4);

/* Control flow (IF, WHILE, CALL_ONCE): runs subgraph sg; its inputs and
 * outputs are reached with xai_interp_subgraph_tensor(). */
xai_status xai_op_invoke_subgraph(const xai_op_ctx *ctx, uint32_t sg);

typedef struct {
  int32_t builtin_code;    /* XAI_OP_CUSTOM for custom ops */
  const char *custom_name; /* custom code, e.g. "XAI_conv2d_v2" */
  xai_status (*prepare)(xai_op_ctx *ctx); /* may be NULL */
  xai_status (*eval)(xai_op_ctx *ctx);
  /* Optional: fills ctx->cost without running (after prepare), for the
   * xformer report; ops without it are costed by running them once. */
  xai_status (*estimate)(xai_op_ctx *ctx);
} xai_op_registration;

typedef struct {
  const xai_op_registration *const *ops;
  size_t count;
} xai_op_resolver;

/* All reference kernels (bit-exact with TFLite's reference kernels). */
const xai_op_resolver *xai_ref_resolver(void);
/* Reference kernels plus the XAI_* custom ops the xformer emits (the
 * default when a config gives no resolver). */
const xai_op_resolver *xai_all_ops_resolver(void);

/* Scalar cost estimate for an op with no VPU kernel (builtins on the
 * device): fills ctx->cost from its tensor sizes and a per-op table of
 * scalar XS3 rates (op_default_cost.c; docs/vpu.md "Builtin ops"). */
void xai_op_default_cost(xai_op_ctx *ctx);

/* A tensor shape for xai_op_builtin_macs; rank -1 = tensor absent. */
typedef struct {
  const int32_t *dims;
  int32_t rank;
} xai_op_dims;
/* Multiply-accumulates of a builtin op (CONV_2D, DEPTHWISE_CONV_2D,
 * FULLY_CONNECTED, TRANSPOSE_CONV, BATCH_MATMUL, UNIDIRECTIONAL_SEQUENCE_LSTM,
 * SVDF; 0 for others) from its input and output shapes. */
uint64_t xai_op_builtin_macs(int32_t code, const xai_op_dims *in,
                             uint32_t n_in, const xai_op_dims *out,
                             uint32_t n_out);
const xai_op_registration *xai_resolver_find(const xai_op_resolver *r,
                                             int32_t builtin_code,
                                             const char *custom_name);

/* Whether the op (builtin code; custom_name for XAI_OP_CUSTOM) may write
 * its output over an input of the same byte size that is not used after it
 * (in-place execution). An OfflineMemoryAllocation plan may give such an
 * output its input's offset; the plan check accepts that pair only. */
bool xai_op_inplace_safe(int32_t builtin_code, const char *custom_name);

/* Whether the op's output 0 is its input 0's bytes under another shape
 * (RESHAPE, SQUEEZE, EXPAND_DIMS): the planner gives the output no buffer
 * of its own but the input's, and the op copies nothing. */
bool xai_op_is_view(int32_t builtin_code, const char *custom_name);

/* ---- Interpreter ---------------------------------------------------------- */

typedef struct {
  uint32_t subgraph, index;
  const char *op_name;
  uint64_t ns; /* host wall time of the op's eval */
  const xai_op_cost *cost; /* modelled device cost of this eval */
} xai_op_timing;

/* Called after every op's eval when set (per-op profiling hook). */
typedef void (*xai_op_hook)(void *user, const xai_op_timing *timing);

typedef enum {
  XAI_PLANNER_AUTO = 0, /* offline plan from metadata if present, else greedy */
  XAI_PLANNER_GREEDY,   /* greedy by size, as TFLite Micro */
  XAI_PLANNER_OFFLINE,  /* OfflineMemoryAllocation metadata (error if absent) */
} xai_planner_kind;

/* ---- Weights kept outside the model (docs/weights.md) -------------------
 * `xformer --xcore-flash-image-file=F` moves large constants to a params
 * file F and feeds them through XAI_load_weights ops; at run time the
 * interpreter reads them through this source. Params file layout: a
 * 32-byte header (magic "XAIW", u32 version, u32 header bytes, u32 0,
 * u64 data bytes, u64 hash) then the data; the hash (FNV-1a 64 over the
 * data, then its size as 8 little-endian bytes) is also stored in the
 * model, so a params file from another model is refused. */
#define XAI_PARAMS_MAGIC "XAIW"
#define XAI_PARAMS_VERSION 1u
#define XAI_PARAMS_HEADER_BYTES 32u
#define XAI_PARAMS_ALIGN 16u /* every tensor's offset in the file */

/* Where the weights stream from; sets the bandwidth of the cost model. */
typedef enum {
  XAI_PARAMS_RAM = 0, /* a params blob in memory (host, or device SRAM) */
  XAI_PARAMS_FLASH,   /* params of a flash image entry (QSPI) */
  XAI_PARAMS_LPDDR,   /* params in external LPDDR */
  XAI_PARAMS_TILES,   /* spread over tiles' SRAM, served over the links */
} xai_params_kind;

/* Copying SRAM to SRAM on one thread: a 32-byte VPU load and store take 2
 * bundles, one bundle per 5 cycles, so 32 B / 10 cycles = 2.56 GB/s at
 * 800 MHz (ESTIMATE from the issue model of SYSTEM.md section 4). */
#define XAI_PARAMS_RAM_BYTES_PER_S 2560000000ull

typedef struct xai_params_source xai_params_source;
struct xai_params_source {
  /* Copies n bytes at `offset` of the params file into dst. */
  xai_status (*read)(const xai_params_source *src, uint32_t offset,
                     void *dst, uint32_t n, xai_error *err);
  void *user;
  uint32_t size;        /* bytes of the params file */
  uint8_t kind;         /* xai_params_kind */
  uint64_t bytes_per_s; /* streaming bandwidth; 0 = the kind's default */
  /* Optional: 100 MHz ticks to stream n bytes at `offset` when the cost
   * depends on where they are (params over several tiles); NULL = bytes /
   * xai_params_bytes_per_s. */
  uint64_t (*ticks)(const xai_params_source *src, uint32_t offset,
                    uint32_t n);
};

/* Params spread over tiles (docs/multitile.md): part i holds bytes
 * [offset, offset + bytes) of the params file at `base`, on a tile reached
 * at bytes_per_s with latency_ticks per transfer (the computing tile's own
 * part: the SRAM copy rate, latency 0). Parts are in file order, contiguous,
 * and cover the file; a read spanning parts costs each piece. *state must
 * outlive the source. */
#define XAI_PARAMS_MAX_PARTS 8u
typedef struct {
  const uint8_t *base;
  uint32_t offset, bytes;
  uint64_t bytes_per_s;
  uint32_t latency_ticks;
  uint8_t tile; /* index relative to the computing tile (0 = itself) */
} xai_params_part;
typedef struct {
  uint32_t count;
  xai_params_part part[XAI_PARAMS_MAX_PARTS];
} xai_params_tiles_state;
xai_status xai_params_tiles(xai_params_source *src,
                            const xai_params_tiles_state *state,
                            xai_error *err);
/* The parts the xformer recorded in the model's `xai_tiles` metadata
 * (bases NULL: the caller points each at its tile's copy); *has_tiles false
 * when the model has none. */
xai_status xai_params_tiles_from_model(xai_params_tiles_state *state,
                                       const uint8_t *model, size_t size,
                                       bool *has_tiles, xai_error *err);

/* A params file held in memory (which must outlive the source). */
xai_params_source xai_params_memory(const void *params, size_t size,
                                      xai_params_kind kind);

/* Params of entry `entry` of an opened flash image; *state must outlive
 * the source. Fails if the entry has no params. bytes_per_s 0 = the
 * flash default (XAI_XCORE_FLASH_BYTES_PER_S_DEFAULT). */
typedef struct {
  const xai_flash_image *image;
  uint32_t entry;
} xai_params_flash_state;
xai_status xai_params_flash(xai_params_source *src,
                             xai_params_flash_state *state,
                             const xai_flash_image *image, uint32_t entry,
                             uint64_t bytes_per_s, xai_error *err);

/* Bandwidth the cost model uses for src (its own, else its kind's). */
uint64_t xai_params_bytes_per_s(const xai_params_source *src);
/* 100 MHz ticks to stream `bytes` at bytes_per_s (rounded up). */
uint64_t xai_params_ticks(uint64_t bytes, uint64_t bytes_per_s);

/* FNV-1a 64 of the params data followed by its size (8 bytes LE). */
uint64_t xai_params_hash(const void *data, size_t size);
/* Reads the params header through src and checks magic, version, size and
 * that its hash is `expected` (the hash the model was compiled with). */
xai_status xai_params_check(const xai_params_source *src, uint64_t expected,
                            xai_error *err);
/* The params file a model was compiled with (its `xai_params` metadata):
 * its hash and size. False when the model has none (all its weights are
 * inside it) or is not a valid model. */
bool xai_params_expected(const uint8_t *model, size_t bytes, uint64_t *hash,
                         uint64_t *file_bytes);
/* Recomputes the hash over all the data (reads the whole file). */
xai_status xai_params_verify(const xai_params_source *src, xai_error *err);

/* Prefetch model (docs/weights.md): XAI_load_weights sits right before
 * the layer that needs the weights, so on the device it can stream them
 * while the previous layer computes (when the arena has room for both).
 * Given each op's ticks in order and which ops are loads, sync_ticks is
 * the plain sum and prefetch_ticks the sum when each load overlaps the
 * compute of the last non-load op before it (several loads in a row share
 * that op's time). */
typedef struct {
  uint64_t sync_ticks, prefetch_ticks;
  uint64_t load_ticks;   /* sum over the loads */
  uint64_t hidden_ticks; /* load time hidden under compute */
} xai_params_schedule;
void xai_params_schedule_totals(const uint64_t *ticks, const bool *is_load,
                                uint32_t n, xai_params_schedule *out);

/* Device time with prefetched loads (docs/weights.md, "Prefetch").
 * ticks[0..n) are the ops' modelled ticks in run order (subgraph 0) and
 * overlap[0..n) their xai_op_cost.overlap_ticks. A prefetched load's
 * overlap runs under the ticks of the next op that is not itself a
 * prefetched load; prefetched loads in a row share that op's ticks in
 * order. exposed[i] (exposed may be NULL or equal to ticks) gets what op i
 * adds to the device time: ticks[i] minus its hidden part, i.e. for a
 * prefetched load max(0, load - next op's ticks). Returns the ticks hidden
 * in all: the device time is sum(ticks) minus the result. */
uint64_t xai_params_overlap_ticks(const uint64_t *ticks,
                                  const uint64_t *overlap, uint32_t n,
                                  uint64_t *exposed);

/* The params source of the interpreter running this op, or NULL. */
const xai_params_source *xai_op_params(const xai_op_ctx *ctx);

/* Whose arithmetic the builtin ops follow where TFLite Micro and LiteRT's
 * reference kernels differ (docs/semantics.md). XAI_SEMANTICS_MODEL: what
 * the model's `xai` metadata records ("semantics"), TFLite Micro if none. */
typedef enum {
  XAI_SEMANTICS_MODEL = 0,
  XAI_SEMANTICS_TFLM,
  XAI_SEMANTICS_LITERT,
} xai_semantics;

/* "tflm" / "litert" (and "model" for XAI_SEMANTICS_MODEL). */
const char *xai_semantics_name(xai_semantics s);
/* Parses "tflm" or "litert"; false for anything else. */
bool xai_semantics_parse(const char *text, xai_semantics *out);
/* The semantics a model's `xai` metadata records: TFLM when absent. */
xai_semantics xai_model_semantics(const uint8_t *model, size_t size);
/* The semantics the interpreter running this op follows (never MODEL). */
xai_semantics xai_op_semantics(const xai_op_ctx *ctx);

typedef struct {
  const uint8_t *model; /* stays alive and unchanged while the interp is used */
  size_t model_size;
  void *arena;          /* 16-byte aligned */
  size_t arena_size;
  const xai_op_resolver *resolver; /* NULL: xai_all_ops_resolver() */
  uint32_t clock_mhz;   /* device clock for op costs; 0 = 800 */
  xai_planner_kind planner;
  xai_op_hook hook;
  void *hook_user;
  /* Params file for models with XAI_load_weights ops; NULL if none. */
  const xai_params_source *params;
  xai_semantics semantics; /* MODEL (0): as the model's metadata says */
} xai_interp_config;

/* Validates the model, resolves every op (unsupported op: error naming op
 * index, op type and custom name), prepares each op once, plans the arena.
 * On XAI_ERR_NO_MEMORY the message gives the bytes needed. */
xai_status xai_interp_init(xai_interp **out, const xai_interp_config *cfg,
                           xai_error *err);

/* Exact arena bytes (planned head + persistent tail) the model needs with
 * this config (cfg->arena is ignored; uses a temporary heap buffer: host
 * tools only). */
xai_status xai_interp_arena_needed(const xai_interp_config *cfg, size_t *bytes,
                                   xai_error *err);
/* The same, but no trial arena is larger than `limit`: a model that needs
 * more fails with XAI_ERR_NO_MEMORY and *bytes set to what it is known to
 * need, without allocating it: exact when *exact (may be NULL) is set, else
 * a lower bound above limit. */
xai_status xai_interp_arena_needed_within(const xai_interp_config *cfg,
                                          size_t limit, size_t *bytes,
                                          bool *exact, xai_error *err);

size_t xai_interp_arena_used(const xai_interp *ip);  /* head + tail */
size_t xai_interp_arena_head(const xai_interp *ip);  /* planned bytes */

uint32_t xai_interp_input_count(const xai_interp *ip);
uint32_t xai_interp_output_count(const xai_interp *ip);
xai_rt_tensor *xai_interp_input(xai_interp *ip, uint32_t i);
xai_rt_tensor *xai_interp_output(xai_interp *ip, uint32_t i);
uint32_t xai_interp_subgraph_count(const xai_interp *ip);
xai_rt_tensor *xai_interp_subgraph_tensor(xai_interp *ip, uint32_t sg,
                                          uint32_t i);
uint32_t xai_interp_op_count(const xai_interp *ip); /* in subgraph 0 */
/* Subgraph sg's input and output tensor indices (for control-flow ops);
 * XAI_ERR_RANGE if sg does not exist. */
xai_status xai_interp_subgraph_io(const xai_interp *ip, uint32_t sg,
                                  const int32_t **inputs,
                                  uint32_t *input_count,
                                  const int32_t **outputs,
                                  uint32_t *output_count);

/* Copies into input i; a size mismatch fails naming the tensor and both
 * sizes. */
xai_status xai_interp_set_input(xai_interp *ip, uint32_t i, const void *data,
                                size_t bytes, xai_error *err);
xai_status xai_interp_invoke(xai_interp *ip, xai_error *err);

/* Op i of subgraph 0 after prepare: its context (name, tensors, data)
 * and registration, for tools that cost a model (xformer report). NULL if
 * i is out of range. One context for this call (not in the arena, not
 * thread-safe): the pointer is valid until the next xai_interp_op, which
 * reloads it for another op. */
xai_op_ctx *xai_interp_op(xai_interp *ip, uint32_t i);
const xai_op_registration *xai_interp_op_registration(const xai_interp *ip,
                                                      uint32_t i);

/* One planned buffer, for `xai run --arena`. Lifetimes are steps of the
 * plan timeline: op i of subgraph 0 is step i; an op that calls subgraphs
 * (IF, WHILE, CALL_ONCE) is followed by the called subgraphs' steps. */
typedef struct {
  uint32_t subgraph;
  uint32_t tensor;     /* tensor index, or UINT32_MAX for an op's scratch */
  uint32_t op;         /* for scratch: the op (in `subgraph`) */
  size_t offset, size; /* size rounded up to 16 bytes */
  uint32_t first_op, last_op; /* lifetime, inclusive */
} xai_plan_entry;
uint32_t xai_interp_plan_count(const xai_interp *ip);
void xai_interp_plan_entry(const xai_interp *ip, uint32_t i,
                           xai_plan_entry *out);

/* Channel split over tiles (docs/multitile.md): whether op `op` of
 * subgraph sg runs on another tile at the same time as the op after it
 * (the model's xai_par metadata), with the link ticks its input and output
 * take; and the op's cost with that applied (ticks + link, all of it
 * overlapping the next op). The interpreter applies it before its hook. */
bool xai_interp_tile_par(const xai_interp *ip, uint32_t sg, uint32_t op,
                         uint32_t *link_ticks);
void xai_interp_tile_cost(const xai_interp *ip, uint32_t sg, uint32_t op,
                          xai_op_cost *cost);
/* ... and the bytes crossing the link for it (input in, half out; 0 for
 * a model compiled before they were recorded). */
uint32_t xai_interp_tile_par_bytes(const xai_interp *ip, uint32_t sg,
                                   uint32_t op);

/* Runs work on another tile while the caller computes (the device's tile
 * threads): start returns false when that tile is busy (the interpreter
 * then runs the work itself: same bits, same modelled time); join waits
 * for the work start accepted. */
typedef struct {
  bool (*start)(void *user, void (*fn)(void *arg), void *arg);
  void (*join)(void *user);
  void *user;
} xai_tile_runner;

/* xai_interp_invoke that runs each channel-split half (xai_par) on
 * `runner`'s tile at the same time as the op after it on the caller's,
 * when their buffers do not share bytes. The hook still sees every op, in
 * order. runner NULL = xai_interp_invoke. */
xai_status xai_interp_invoke_tiles(xai_interp *ip,
                                   const xai_tile_runner *runner,
                                   xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
