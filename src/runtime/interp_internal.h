/* Interpreter state shared by the runtime's files (interp, op context,
 * planners, arena). Everything here lives in the caller's arena tail
 * except an op's context (xai_op_slot, on the stack). */
#ifndef XAI_RUNTIME_INTERP_INTERNAL_H
#define XAI_RUNTIME_INTERP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/runtime.h"
#include "xai/tflite.h"

/* Every tail allocation and every planned buffer is 16-byte aligned, the
 * alignment SIMD loads want (TFLite Micro uses the same kBufferAlignment). */
#define XAI_ARENA_ALIGN 16u

/* Control flow may nest subgraph calls this deep; deeper (or cyclic) call
 * graphs are refused at init so invoke never recurses without bound. */
#define XAI_MAX_CALL_DEPTH 8
/* Cap on plan timeline steps: a call graph that calls the same subgraph
 * from many sites at many levels would otherwise take exponential time. */
#define XAI_MAX_PLAN_STEPS (1u << 22)

/* One scratch buffer an op asked for in prepare; linked per op. */
typedef struct xai_scratch_req {
  struct xai_scratch_req *next;
  uint32_t size;   /* 32 bits: 16 bytes a request in the tail, not 32 */
  uint32_t offset; /* in the arena, once planned */
} xai_scratch_req;

/* What each op keeps in the tail: 32 bytes. Everything else its context
 * holds (tensor lists, options, names) is read from the model when the op
 * is loaded into the interpreter's one context slot (xai_interp_load_op),
 * as TFLite Micro keeps a node per op but not a full context. */
typedef struct {
  const xai_op_registration *reg;
  void *data;                 /* ctx->data: the op's persistent data */
  xai_scratch_req *scratch;   /* in request order */
  uint16_t scratch_count;     /* <= XAI_MAX_OP_SCRATCH */
  uint8_t call_count;
  uint16_t calls[2];          /* subgraphs this op invokes */
} xai_op_node;

#define XAI_MAX_OP_SCRATCH UINT16_MAX
/* Subgraph indices are kept in 16 bits (xai_op_node.calls). */
#define XAI_MAX_SUBGRAPHS UINT16_MAX

typedef struct {
  uint32_t tensor_count, op_count;
  xai_rt_tensor *tensors;
  xai_op_node *ops;
  xai_i32_span inputs, outputs;
  uint32_t tensor_base; /* index of tensor 0 counted across subgraphs */
} xai_sg_state;

/* One buffer for the planner: an activation tensor or an op's scratch.
 * first/last are inclusive steps of the plan timeline (see interp_plan.c).
 * 32 bytes: the plan is built in the arena's unplanned space, so on a small
 * model (head under the plan) every byte here is a byte of arena. */
typedef struct {
  unsigned subgraph : 16; /* < XAI_MAX_SUBGRAPHS */
  unsigned scratch : 1;   /* id is the op that asked for it */
  unsigned placed : 1;    /* planner bookkeeping */
  unsigned view : 1;
  uint32_t id;     /* the tensor, or (scratch) the op */
  uint32_t first, last;
  uint32_t size;   /* rounded up to XAI_ARENA_ALIGN */
  int32_t fixed;   /* offline offset, or -1 to plan online */
  uint32_t offset; /* result */
  /* 1 + index of the buffer whose bytes this one takes over in place (an
   * offline plan put an in-place-safe op's output on its dying input, see
   * xai_op_inplace_safe), or, with `view`, of the buffer this tensor is a
   * view of (xai_op_is_view: size 0 while planning, then that buffer's
   * offset); 0 = none. The plan check allows an in-place pair. */
  uint32_t alias;
} xai_plan_buf;

/* A planner places every buffer so that no two buffers whose lifetimes
 * overlap share bytes, honouring `fixed` offsets, and returns the head size
 * (max offset + size). It may not allocate memory. */
typedef xai_status (*xai_planner_fn)(xai_plan_buf *bufs, uint32_t count,
                                     size_t *head, xai_error *err);

xai_status xai_plan_greedy(xai_plan_buf *bufs, uint32_t count, size_t *head,
                           xai_error *err);
/* Checks a finished plan: alignment and no live-overlapping buffers sharing
 * bytes (also catches a bad offline plan). */
xai_status xai_plan_check(const xai_plan_buf *bufs, uint32_t count,
                          xai_error *err);
/* Reads TFLite Micro's OfflineMemoryAllocation metadata, if present, into
 * *offsets (pointing into the model; little-endian int32, one per tensor
 * counted across subgraphs). *present false when the model has none. */
xai_status xai_plan_offline_offsets(const xai_tfl_view *view,
                                    uint32_t total_tensors,
                                    const uint8_t **offsets, bool *present,
                                    xai_error *err);
int32_t xai_plan_offline_at(const uint8_t *offsets, uint32_t i);

/* Tail allocator: grows down from the end of the arena. */
typedef struct {
  uint8_t *base;
  size_t top;     /* aligned end of usable arena */
  size_t bottom;  /* lowest byte used by the tail */
  size_t shortfall_min; /* when an allocation failed: tail bytes at least */
} xai_tail;

void xai_tail_init(xai_tail *t, void *arena, size_t size);
/* NULL (and shortfall recorded) when it does not fit above `floor`. */
void *xai_tail_alloc(xai_tail *t, size_t bytes, size_t floor);
size_t xai_tail_used(const xai_tail *t);

typedef enum { XAI_PHASE_INIT, XAI_PHASE_PREPARE, XAI_PHASE_READY } xai_phase;

/* The context of the op being prepared or run, with its decoded builtin
 * options and cost (ctx.options and ctx.cost point here): 224 bytes on a
 * 64-bit host, so it lives on the stack of whoever runs the op (one per
 * subgraph nesting level), not in the arena. ctx comes first: every ctx an
 * op sees is a slot's, and xai_interp_ctx_node finds the node from it. */
typedef struct {
  xai_op_ctx ctx;
  xai_options options;
  xai_op_cost cost;
  xai_op_node *node; /* the node ctx was loaded from, or NULL */
} xai_op_slot;

/* Ops on another tile (tile_parallel.c, the model's xai_par metadata). */
#define XAI_TILE_PAR_MAX 32u
typedef struct {
  uint32_t count;
  uint32_t op[XAI_TILE_PAR_MAX];
  uint32_t link_ticks[XAI_TILE_PAR_MAX];
  uint32_t link_bytes[XAI_TILE_PAR_MAX]; /* 0 when not recorded */
} xai_tile_par;
xai_status xai_tile_par_load(xai_tile_par *p, const xai_tfl_view *view,
                             xai_error *err);
/* The entry of op (subgraph 0), or -1. */
int32_t xai_tile_par_index(const xai_tile_par *p, uint32_t op);
/* Runs op i on the runner's tile and op i + 1 here at once (or one after
 * the other when their buffers share bytes or the tile is busy), then
 * reports both to the hook in order. */
xai_status xai_tile_par_run_pair(xai_interp *ip, xai_op_slot *slot,
                                 uint32_t i, const xai_tile_runner *runner,
                                 xai_error *err);

struct xai_interp {
  xai_tfl_view view;
  size_t arena_size;
  xai_tail tail; /* tail.base is the arena */
  size_t head; /* planned bytes */
  xai_sg_state *subgraphs;
  uint32_t subgraph_count;
  uint32_t plan_count;        /* planned buffers (tensors first) */
  uint32_t plan_tensor_count; /* of which activation tensors */
  uint8_t phase;      /* xai_phase */
  bool out_of_memory; /* a persistent allocation failed during prepare */
  bool end_invoke;    /* an op ended this invoke early (xai_op_end_invoke) */
  size_t plan_bytes; /* room the plan took while it was built (at 0) */
  xai_op_hook hook;
  void *hook_user;
  uint32_t call_depth; /* current nesting of xai_op_invoke_subgraph */
  uint32_t clock_mhz;  /* device clock for op costs */
  const xai_params_source *params; /* params file, or NULL */
  xai_semantics semantics;         /* TFLM or LITERT, resolved at init */
  /* VAR_HANDLE's variable table: its offset in the arena + 1, 0 = none
   * (32 bits in what was padding: the interpreter does not grow). */
  uint32_t vars_at;
};

/* xai_model_semantics over an open view. */
xai_semantics xai_view_semantics(const xai_tfl_view *view);


/* Loads op i of subgraph sg into slot (tensor lists, options, data; err
 * NULL, everything checked at init) and returns its ctx. */
xai_op_ctx *xai_interp_load_op(xai_interp *ip, xai_op_slot *slot, uint32_t sg,
                               uint32_t i);
/* The node an op's ctx was loaded from. */
static inline xai_op_node *xai_interp_ctx_node(const xai_op_ctx *ctx) {
  return ((const xai_op_slot *)(const void *)ctx)->node;
}
/* Op i's tensor lists, read from the model (the walker and plan checks). */
void xai_interp_op_io(const xai_interp *ip, uint32_t sg, uint32_t i,
                      xai_i32_span *inputs, xai_i32_span *outputs);

/* xai_interp_init that also reports the arena bytes needed: exact when
 * *needed_exact, else a lower bound (the tail ran out before planning). */
xai_status xai_interp_init_measure(xai_interp **out,
                                   const xai_interp_config *cfg,
                                   xai_error *err, size_t *needed,
                                   bool *needed_exact);

/* Loads and runs op i (its ctx stays in slot; *ns its wall time when
 * there is a hook), and gives the slot's op and cost to the hook, with a
 * channel-split half's link and overlap when tile_cost (false: the half
 * ran here after all). */
xai_status xai_interp_eval_op(xai_interp *ip, xai_op_slot *slot, uint32_t sg,
                              uint32_t i, xai_error *err, uint64_t *ns);
void xai_interp_report_op(xai_interp *ip, xai_op_slot *slot, uint64_t ns,
                          bool tile_cost);

/* Runs the ops of subgraph sg in order (invoke and control flow). */
xai_status xai_interp_run_subgraph(xai_interp *ip, uint32_t sg,
                                   xai_error *err);

/* Builds the plan (lifetimes, buffers) and places it. */
xai_status xai_interp_plan(xai_interp *ip, xai_planner_kind kind,
                           xai_error *err);

/* Host monotonic clock in ns, for the profiling hook. */
uint64_t xai_rt_now_ns(void);

static inline size_t xai_align_up(size_t v, size_t a) {
  return (v + (a - 1)) & ~(a - 1);
}

/* Unsupported-op messages (interp_messages.c). "op N" or "subgraph S op N",
 * as `xai inspect` numbers ops. */
void xai_interp_op_where(uint32_t sg, uint32_t op, char *buf, size_t size);
/* "INT8[1,4] INT32[1] -> INT8[4]": the op's tensors ("INT8 INT32 ->
 * INT8" without shapes). */
void xai_interp_op_signature(const xai_tfl_view *v, uint32_t sg, uint32_t op,
                             int shapes, char *buf, size_t size);
/* What would make the op run: the types xai takes, or that it has none. */
void xai_interp_unsupported_hint(int32_t code, const char *custom, char *buf,
                                 size_t size);
/* Rewrites err (an op's XAI_ERR_UNSUPPORTED from prepare) into the one-line
 * form: where, op, tensors, reason, hint. */
void xai_interp_fail_unsupported(xai_interp *ip, uint32_t sg, uint32_t op,
                                 const char *op_name, xai_error *err);

#endif
