/* Builds the arena plan after every op is prepared: one buffer per
 * activation tensor and per scratch request, lifetimes on a timeline of
 * steps, then placement by the chosen planner.
 *
 * Timeline (the same ordering as TFLite Micro's allocation scopes): subgraph
 * 0's op i is step i. Each op is one step; an op that calls subgraphs (IF,
 * WHILE, CALL_ONCE, CALL) runs them in the steps right after its own, so
 * its inputs, outputs and scratch stay live until the called subgraphs end.
 * A subgraph's inputs are created at its first step and its outputs live to
 * its last. A tensor lives from its producer (or subgraph start) to its last
 * consumer (or subgraph end); scratch lives during its op only. */
#include <string.h>

#include "interp_internal.h"

#define UNSET UINT32_MAX

/* The plan timeline, walked once to build the plan and again (per entry)
 * by xai_interp_plan_entry, which keeps no copy of the plan. The walker
 * reports every time a tensor or an op's scratch is created or used. */
typedef struct walker walker;
struct walker {
  const xai_interp *ip;
  int64_t cur; /* last step used */
  uint32_t stack[XAI_MAX_CALL_DEPTH];
  void (*tensor)(walker *w, uint32_t sg, int32_t t, uint32_t step, bool use);
  void (*scratch)(walker *w, uint32_t sg, uint32_t op, uint32_t step,
                  bool use);
  void *user;
  xai_tile_par par; /* channel-split halves (tile_parallel.c) */
};

static xai_status next_step(walker *w, xai_error *err) {
  if (++w->cur >= (int64_t)XAI_MAX_PLAN_STEPS)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "control flow calls subgraphs from too many places (more "
                    "than %u plan steps)", XAI_MAX_PLAN_STEPS);
  return XAI_OK;
}

static xai_status walk_subgraph(walker *w, uint32_t sg, uint32_t depth,
                                xai_error *err) {
  const xai_interp *ip = w->ip;
  if (depth >= XAI_MAX_CALL_DEPTH)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "subgraph calls nest deeper than %d", XAI_MAX_CALL_DEPTH);
  for (uint32_t d = 0; d < depth; d++)
    if (w->stack[d] == sg)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "subgraph %u calls itself (through subgraph %u); "
                      "recursion is not supported", sg, w->stack[depth - 1]);
  w->stack[depth] = sg;
  const xai_sg_state *s = &ip->subgraphs[sg];
  xai_status st = next_step(w, err);
  if (st) return st;
  uint32_t start = (uint32_t)w->cur;
  for (uint32_t k = 0; k < s->inputs.count; k++)
    w->tensor(w, sg, s->inputs.data[k], start, false);
  for (uint32_t i = 0; i < s->op_count; i++) {
    if (i > 0 && (st = next_step(w, err))) return st;
    uint32_t step = (uint32_t)w->cur;
    const xai_op_node *n = &s->ops[i];
    xai_i32_span in, out;
    xai_interp_op_io(ip, sg, i, &in, &out);
    for (uint32_t k = 0; k < out.count; k++)
      w->tensor(w, sg, out.data[k], step, false);
    for (uint32_t k = 0; k < n->call_count; k++)
      if ((st = walk_subgraph(w, n->calls[k], depth + 1, err))) return st;
    uint32_t end = (uint32_t)w->cur;
    for (uint32_t k = 0; k < in.count; k++)
      w->tensor(w, sg, in.data[k], end, true);
    for (uint32_t k = 0; k < out.count; k++)
      w->tensor(w, sg, out.data[k], end, true);
    if (n->scratch_count) {
      w->scratch(w, sg, i, step, false);
      /* A half on another tile computes during the next op too. */
      bool par = sg == 0 && depth == 0 && i + 1 < s->op_count &&
                 xai_tile_par_index(&w->par, i) >= 0;
      w->scratch(w, sg, i, par ? end + 1 : end, true);
    }
  }
  for (uint32_t k = 0; k < s->outputs.count; k++)
    w->tensor(w, sg, s->outputs.data[k], (uint32_t)w->cur, true);
  return XAI_OK;
}

/* Subgraph 0 first; subgraphs no op calls are still prepared, so they get
 * their own steps after the main graph and their tensors have memory. */
static xai_status walk_all(walker *w, xai_error *err) {
  const xai_interp *ip = w->ip;
  w->cur = -1;
  xai_status st = walk_subgraph(w, 0, 0, err);
  for (uint32_t sg = 1; !st && sg < ip->subgraph_count; sg++) {
    bool reached = false;
    for (uint32_t s0 = 0; s0 < ip->subgraph_count && !reached; s0++)
      for (uint32_t i = 0; i < ip->subgraphs[s0].op_count && !reached; i++)
        for (uint32_t c = 0; c < ip->subgraphs[s0].ops[i].call_count; c++)
          reached |= ip->subgraphs[s0].ops[i].calls[c] == sg;
    if (!reached) st = walk_subgraph(w, sg, 0, err);
  }
  return st;
}

/* Walks the whole timeline with the given reports. */
static xai_status walk(const xai_interp *ip,
                       void (*tensor)(walker *, uint32_t, int32_t, uint32_t,
                                      bool),
                       void (*scratch)(walker *, uint32_t, uint32_t, uint32_t,
                                       bool),
                       void *user, xai_error *err) {
  walker w;
  memset(&w, 0, sizeof w);
  w.ip = ip;
  w.tensor = tensor;
  w.scratch = scratch;
  w.user = user;
  if (xai_tile_par_load(&w.par, &ip->view, NULL)) w.par.count = 0;
  return walk_all(&w, err);
}

static void created(xai_plan_buf *b, uint32_t step) {
  if (b && b->first == UNSET) b->first = step;
}
static void used(xai_plan_buf *b, uint32_t step) {
  if (b && (b->last == UNSET || step > b->last)) b->last = step;
}

/* Building the plan: buffers live in a temporary array (see
 * xai_interp_plan). */
typedef struct {
  xai_plan_buf *plan;
  uint32_t tensor_bufs; /* plan[0..tensor_bufs) are tensors, by (sg, t) */
  const xai_interp *ip;
} plan_ctx;

/* Tensor buffers are created in (subgraph, tensor) order: binary search. */
static xai_plan_buf *tensor_buf(const plan_ctx *pc, uint32_t sg, int32_t t) {
  if (t < 0) return NULL;
  uint32_t lo = 0, hi = pc->tensor_bufs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const xai_plan_buf *b = &pc->plan[mid];
    if (b->subgraph < sg || (b->subgraph == sg && b->id < (uint32_t)t))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < pc->tensor_bufs && pc->plan[lo].subgraph == sg &&
      pc->plan[lo].id == (uint32_t)t)
    return &pc->plan[lo];
  return NULL;
}

/* Scratch buffers follow the tensor buffers, in (subgraph, op, request)
 * order; find the op's first one by scanning its predecessors' counts. */
static xai_plan_buf *scratch_bufs(const plan_ctx *pc, uint32_t sg,
                                  uint32_t op) {
  uint32_t k = pc->tensor_bufs;
  for (uint32_t s = 0; s < sg; s++)
    for (uint32_t i = 0; i < pc->ip->subgraphs[s].op_count; i++)
      k += pc->ip->subgraphs[s].ops[i].scratch_count;
  for (uint32_t i = 0; i < op; i++)
    k += pc->ip->subgraphs[sg].ops[i].scratch_count;
  return &pc->plan[k];
}

static void plan_tensor(walker *w, uint32_t sg, int32_t t, uint32_t step,
                        bool use) {
  xai_plan_buf *b = tensor_buf(w->user, sg, t);
  if (use)
    used(b, step);
  else
    created(b, step);
}

static void plan_scratch(walker *w, uint32_t sg, uint32_t op, uint32_t step,
                         bool use) {
  const plan_ctx *pc = w->user;
  xai_plan_buf *b = scratch_bufs(pc, sg, op);
  for (uint32_t k = 0; k < w->ip->subgraphs[sg].ops[op].scratch_count; k++)
    if (use)
      used(&b[k], step);
    else
      created(&b[k], step);
}

static xai_status apply_offline(const xai_interp *ip, xai_plan_buf *plan,
                                uint32_t tensor_bufs, xai_planner_kind kind,
                                xai_error *err) {
  uint32_t total = 0;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++)
    total += ip->subgraphs[sg].tensor_count;
  const uint8_t *offsets = NULL;
  bool present = false;
  if (kind == XAI_PLANNER_GREEDY) return XAI_OK;
  xai_status st =
      xai_plan_offline_offsets(&ip->view, total, &offsets, &present, err);
  if (st) return st;
  if (!present) {
    if (kind == XAI_PLANNER_OFFLINE)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "the offline planner was asked for but the model has "
                      "no OfflineMemoryAllocation metadata");
    return XAI_OK;
  }
  for (uint32_t k = 0; k < tensor_bufs; k++) {
    xai_plan_buf *b = &plan[k];
    int32_t off = xai_plan_offline_at(
        offsets, ip->subgraphs[b->subgraph].tensor_base + b->id);
    if (off == -1) continue;
    if (off < 0 || off % 4 != 0)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "OfflineMemoryAllocation: subgraph %u tensor %u has "
                      "offset %d; offsets are -1 or non-negative multiples "
                      "of 4", (unsigned)b->subgraph, b->id, (int)off);
    b->fixed = off;
  }
  return XAI_OK;
}

static bool is_subgraph_io(const xai_sg_state *s, int32_t t) {
  for (uint32_t k = 0; k < s->inputs.count; k++)
    if (s->inputs.data[k] == t) return true;
  for (uint32_t k = 0; k < s->outputs.count; k++)
    if (s->outputs.data[k] == t) return true;
  return false;
}

/* The buffer whose bytes a tensor's buffer uses: itself, or the buffer it
 * is a view of. */
static xai_plan_buf *bytes_of(const plan_ctx *pc, xai_plan_buf *b) {
  return b && b->view ? &pc->plan[b->alias - 1] : b;
}

/* Views (xai_op_is_view): the output becomes a size-0 buffer that takes
 * its input's offset once placed, and the input's buffer lives as long as
 * either tensor. Inputs and outputs of the graph may be views too. Both must
 * be activations; an offline plan keeps its own layout unless it put the
 * two at the same offset (a plan made without views stays valid). Ops in
 * order, so a view of a view shares the first buffer. */
static void merge_views(const plan_ctx *pc) {
  const xai_interp *ip = pc->ip;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++) {
      const xai_op_node *n = &s->ops[i];
      xai_i32_span in, out;
      xai_interp_op_io(ip, sg, i, &in, &out);
      if (n->call_count || in.count < 1 || out.count != 1 ||
          !xai_op_is_view(n->reg->builtin_code, n->reg->custom_name))
        continue;
      xai_plan_buf *bo = tensor_buf(pc, sg, out.data[0]);
      xai_plan_buf *bi = bytes_of(pc, tensor_buf(pc, sg, in.data[0]));
      if (!bo || !bi || bo == bi || bo->view || bo->alias ||
          s->tensors[bo->id].bytes != s->tensors[bi->id].bytes ||
          (bo->fixed >= 0 || bi->fixed >= 0 ? bo->fixed != bi->fixed : false))
        continue;
      if (bo->first < bi->first) bi->first = bo->first;
      if (bo->last > bi->last) bi->last = bo->last;
      bo->alias = (uint32_t)(bi - pc->plan) + 1;
      bo->view = 1;
      bo->size = 0;
      bo->fixed = -1;
    }
  }
}

/* Whether a subgraph output (or a view of one) uses buffer b's bytes: its
 * bytes must survive the last op even when it is read there. */
static bool holds_output(const plan_ctx *pc, uint32_t sg,
                         const xai_plan_buf *b) {
  const xai_sg_state *s = &pc->ip->subgraphs[sg];
  for (uint32_t k = 0; k < s->outputs.count; k++)
    if (bytes_of(pc, tensor_buf(pc, sg, s->outputs.data[k])) == b) return true;
  return false;
}

/* In-place execution under an offline plan: when an op that
 * xai_op_inplace_safe() lists has its output at the same fixed offset as an
 * input of the same byte size whose last use is that op, the two buffers
 * are one in memory; record it so the plan check accepts the overlap.
 * Subgraph 0's inputs may be overwritten (as any planner reuses their bytes
 * once they die); a called subgraph's inputs and outputs never are (the
 * caller owns them), and ops that call subgraphs are left out (their steps
 * span the calls). */
static void mark_inplace(const plan_ctx *pc) {
  const xai_interp *ip = pc->ip;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++) {
      const xai_op_node *n = &s->ops[i];
      xai_i32_span in, out;
      xai_interp_op_io(ip, sg, i, &in, &out);
      if (n->call_count || out.count < 1 ||
          !xai_op_inplace_safe(n->reg->builtin_code, n->reg->custom_name))
        continue;
      xai_plan_buf *bo = tensor_buf(pc, sg, out.data[0]);
      if (!bo || bo->view || bo->fixed < 0) continue;
      for (uint32_t k = 0; k < in.count; k++) {
        xai_plan_buf *bi = bytes_of(pc, tensor_buf(pc, sg, in.data[k]));
        if (!bi || bi == bo || bi->fixed != bo->fixed ||
            bi->last != bo->first ||
            (sg > 0 && is_subgraph_io(s, in.data[k])) ||
            holds_output(pc, sg, bi) ||
            s->tensors[bi->id].bytes != s->tensors[bo->id].bytes)
          continue;
        bo->alias = (uint32_t)(bi - pc->plan) + 1;
        break;
      }
    }
  }
}

static xai_status plan_too_big(const xai_interp *ip, size_t bytes,
                               xai_error *err) {
  return xai_fail(err, XAI_ERR_RANGE,
                  "arena plan: a buffer of %zu bytes or an offset past 4 GiB "
                  "is more than xai plans; the arena is %zu bytes", bytes,
                  ip->arena_size);
}

/* Buffers for every activation (in (subgraph, tensor) order) and every
 * scratch request (in (subgraph, op, request) order). */
static xai_status fill_bufs(const xai_interp *ip, xai_plan_buf *plan,
                            xai_error *err) {
  uint32_t k = 0;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t t = 0; t < s->tensor_count; t++) {
      if (s->tensors[t].mem != XAI_MEM_ARENA) continue;
      size_t size = xai_align_up(s->tensors[t].bytes, XAI_ARENA_ALIGN);
      if (size > UINT32_MAX || size < s->tensors[t].bytes)
        return plan_too_big(ip, s->tensors[t].bytes, err);
      plan[k++] = (xai_plan_buf){.subgraph = sg & 0xffffu, .id = t,
                                 .first = UNSET, .last = UNSET,
                                 .size = (uint32_t)size, .fixed = -1};
    }
  }
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++)
      for (const xai_scratch_req *r = s->ops[i].scratch; r; r = r->next) {
        size_t size = xai_align_up(r->size, XAI_ARENA_ALIGN);
        if (size > UINT32_MAX || size < r->size)
          return plan_too_big(ip, r->size, err);
        plan[k++] = (xai_plan_buf){.subgraph = sg & 0xffffu, .scratch = 1,
                                   .id = i, .first = UNSET, .last = UNSET,
                                   .size = (uint32_t)size, .fixed = -1};
      }
  }
  return XAI_OK;
}

/* The plan is built in the arena's unplanned space, [0, tail bottom): it
 * is only needed until every buffer has its offset, so it costs no tail
 * bytes; the arena must hold max(head, plan) + tail (ip->plan_bytes). */
xai_status xai_interp_plan(xai_interp *ip, xai_planner_kind kind,
                           xai_error *err) {
  uint32_t count = 0, tensor_bufs = 0;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t t = 0; t < s->tensor_count; t++)
      tensor_bufs += s->tensors[t].mem == XAI_MEM_ARENA;
    for (uint32_t i = 0; i < s->op_count; i++)
      count += s->ops[i].scratch_count;
  }
  count += tensor_bufs;
  ip->plan_bytes = xai_align_up(sizeof(xai_plan_buf) * count, XAI_ARENA_ALIGN);
  if (ip->plan_bytes > ip->tail.bottom) {
    size_t tail = xai_tail_used(&ip->tail);
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "arena of %zu bytes is too small: the model needs %zu "
                    "bytes or more (%zu to plan + %zu persistent tail); "
                    "xai_interp_arena_needed() (or `xai run MODEL --arena`) "
                    "gives the exact size",
                    ip->arena_size, ip->plan_bytes + tail, ip->plan_bytes,
                    tail);
  }
  plan_ctx pc = {(xai_plan_buf *)(void *)ip->tail.base, tensor_bufs, ip};
  xai_plan_buf *plan = pc.plan;
  xai_status st = fill_bufs(ip, plan, err);
  if (st) return st;

  st = walk(ip, plan_tensor, plan_scratch, &pc, err);
  if (st) return st;

  /* Drop tensors nothing touches; one consumed but never produced (not a
   * graph input) is treated as live from the start. */
  uint32_t kept = 0;
  for (uint32_t r = 0; r < count; r++) {
    xai_plan_buf b = plan[r];
    if (b.last == UNSET) {
      if (!b.scratch) {
        ip->subgraphs[b.subgraph].tensors[b.id].mem = XAI_MEM_NONE;
        if (r < tensor_bufs) continue;
      }
      b.last = b.first == UNSET ? 0 : b.first;
    }
    if (b.first == UNSET) b.first = 0;
    plan[kept++] = b; /* keeps (subgraph, tensor) order */
  }
  tensor_bufs -= count - kept;
  pc.tensor_bufs = tensor_bufs;
  count = kept;

  st = apply_offline(ip, plan, tensor_bufs, kind, err);
  if (st) return st;
  merge_views(&pc);
  mark_inplace(&pc);
  size_t head = 0;
  st = xai_plan_greedy(plan, count, &head, err);
  if (!st) st = xai_plan_check(plan, count, err);
  if (st) return st;
  for (uint32_t r = 0; r < tensor_bufs; r++)
    if (plan[r].view) plan[r].offset = plan[plan[r].alias - 1].offset;
  ip->head = xai_align_up(head, XAI_ARENA_ALIGN);
  ip->plan_count = count;
  ip->plan_tensor_count = tensor_bufs;

  size_t tail = xai_tail_used(&ip->tail);
  if (ip->head > ip->tail.bottom)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "arena of %zu bytes is too small: the model needs %zu "
                    "bytes (%zu planned head + %zu persistent tail)",
                    ip->arena_size, xai_interp_arena_used(ip), ip->head,
                    tail);

  for (uint32_t r = 0; r < tensor_bufs; r++) {
    const xai_plan_buf *b = &plan[r];
    xai_rt_tensor *t = &ip->subgraphs[b->subgraph].tensors[b->id];
    t->data = ip->tail.base + b->offset;
  }
  uint32_t r = tensor_bufs;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++)
      for (xai_scratch_req *q = s->ops[i].scratch; q; q = q->next)
        q->offset = plan[r++].offset;
  }
  /* The planned buffers start out zeroed, as they did before the plan
   * array was borrowed from them. */
  memset(plan, 0, ip->plan_bytes);
  return XAI_OK;
}

uint32_t xai_interp_plan_count(const xai_interp *ip) { return ip->plan_count; }

/* Entries are found again from what the plan left behind: a tensor's data
 * pointer, a scratch request's offset, and a walk of the timeline for the
 * lifetime. Slow (a walk per call) but only tools ask. */
typedef struct {
  uint32_t sg, id; /* tensor, or op for scratch */
  bool scratch;
  uint32_t first, last;
} life_query;

static void life_mark(life_query *q, uint32_t step, bool use) {
  if (!use && q->first == UNSET) q->first = step;
  if (use && (q->last == UNSET || step > q->last)) q->last = step;
}
static void life_tensor(walker *w, uint32_t sg, int32_t t, uint32_t step,
                        bool use) {
  life_query *q = w->user;
  if (!q->scratch && q->sg == sg && t >= 0 && (uint32_t)t == q->id)
    life_mark(q, step, use);
}
static void life_scratch(walker *w, uint32_t sg, uint32_t op, uint32_t step,
                         bool use) {
  life_query *q = w->user;
  if (q->scratch && q->sg == sg && op == q->id) life_mark(q, step, use);
}

void xai_interp_plan_entry(const xai_interp *ip, uint32_t i,
                           xai_plan_entry *out) {
  memset(out, 0, sizeof *out);
  if (i >= ip->plan_count) return;
  life_query q = {0, 0, false, UNSET, UNSET};
  bool found = false;
  if (i < ip->plan_tensor_count) {
    uint32_t k = 0;
    for (uint32_t sg = 0; sg < ip->subgraph_count && !found; sg++) {
      const xai_sg_state *s = &ip->subgraphs[sg];
      for (uint32_t t = 0; t < s->tensor_count && !found; t++) {
        const xai_rt_tensor *rt = &s->tensors[t];
        if (rt->mem != XAI_MEM_ARENA || k++ != i) continue;
        found = true;
        q.sg = sg;
        q.id = t;
        out->subgraph = sg;
        out->tensor = t;
        out->op = UINT32_MAX;
        out->offset = (size_t)((const uint8_t *)rt->data - ip->tail.base);
        out->size = xai_align_up(rt->bytes, XAI_ARENA_ALIGN);
      }
    }
  } else {
    uint32_t k = ip->plan_tensor_count;
    for (uint32_t sg = 0; sg < ip->subgraph_count && !found; sg++) {
      const xai_sg_state *s = &ip->subgraphs[sg];
      for (uint32_t op = 0; op < s->op_count && !found; op++)
        for (const xai_scratch_req *r = s->ops[op].scratch; r && !found;
             r = r->next) {
          if (k++ != i) continue;
          found = true;
          q.sg = sg;
          q.id = op;
          q.scratch = true;
          out->subgraph = sg;
          out->tensor = UINT32_MAX;
          out->op = op;
          out->offset = r->offset;
          out->size = xai_align_up(r->size, XAI_ARENA_ALIGN);
        }
    }
  }
  if (!found) return;
  xai_error e;
  xai_error_clear(&e);
  (void)walk(ip, life_tensor, life_scratch, &q, &e); /* it succeeded at init */
  if (q.last == UNSET) q.last = q.first == UNSET ? 0 : q.first;
  if (q.first == UNSET) q.first = 0;
  out->first_op = q.first;
  out->last_op = q.last;
}
