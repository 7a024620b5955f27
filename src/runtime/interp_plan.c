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

typedef struct {
  xai_interp *ip;
  int64_t cur; /* last step used */
  uint32_t stack[XAI_MAX_CALL_DEPTH];
  uint32_t tensor_bufs; /* plan[0..tensor_bufs) are tensors, by (sg, t) */
} plan_ctx;

/* Tensor buffers are created in (subgraph, tensor) order: binary search. */
static xai_plan_buf *tensor_buf(plan_ctx *pc, uint32_t sg, int32_t t) {
  if (t < 0) return NULL;
  uint32_t lo = 0, hi = pc->tensor_bufs;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const xai_plan_buf *b = &pc->ip->plan[mid];
    if (b->subgraph < sg || (b->subgraph == sg && b->tensor < (uint32_t)t))
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < pc->tensor_bufs && pc->ip->plan[lo].subgraph == sg &&
      pc->ip->plan[lo].tensor == (uint32_t)t)
    return &pc->ip->plan[lo];
  return NULL;
}

static void created(xai_plan_buf *b, uint32_t step) {
  if (b && b->first == UNSET) b->first = step;
}
static void used(xai_plan_buf *b, uint32_t step) {
  if (b && (b->last == UNSET || step > b->last)) b->last = step;
}

static xai_status next_step(plan_ctx *pc, xai_error *err) {
  if (++pc->cur >= (int64_t)XAI_MAX_PLAN_STEPS)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "control flow calls subgraphs from too many places (more "
                    "than %u plan steps)", XAI_MAX_PLAN_STEPS);
  return XAI_OK;
}

/* Scratch buffers follow the tensor buffers, in (subgraph, op, request)
 * order; find the op's first one by scanning its predecessors' counts. */
static xai_plan_buf *scratch_bufs(plan_ctx *pc, uint32_t sg, uint32_t op) {
  uint32_t k = pc->tensor_bufs;
  for (uint32_t s = 0; s < sg; s++)
    for (uint32_t i = 0; i < pc->ip->subgraphs[s].op_count; i++)
      k += pc->ip->subgraphs[s].ops[i].scratch_count;
  for (uint32_t i = 0; i < op; i++) k += pc->ip->subgraphs[sg].ops[i].scratch_count;
  return &pc->ip->plan[k];
}

static xai_status mark_subgraph(plan_ctx *pc, uint32_t sg, uint32_t depth,
                                xai_error *err) {
  xai_interp *ip = pc->ip;
  if (depth >= XAI_MAX_CALL_DEPTH)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "subgraph calls nest deeper than %d", XAI_MAX_CALL_DEPTH);
  for (uint32_t d = 0; d < depth; d++)
    if (pc->stack[d] == sg)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "subgraph %u calls itself (through subgraph %u); "
                      "recursion is not supported", sg, pc->stack[depth - 1]);
  pc->stack[depth] = sg;
  const xai_sg_state *s = &ip->subgraphs[sg];
  xai_status st = next_step(pc, err);
  if (st) return st;
  uint32_t start = (uint32_t)pc->cur;
  for (uint32_t k = 0; k < s->inputs.count; k++)
    created(tensor_buf(pc, sg, s->inputs.data[k]), start);
  for (uint32_t i = 0; i < s->op_count; i++) {
    if (i > 0 && (st = next_step(pc, err))) return st;
    uint32_t step = (uint32_t)pc->cur;
    const xai_op_node *n = &s->ops[i];
    const xai_op_ctx *c = &n->ctx;
    for (uint32_t k = 0; k < c->output_count; k++)
      created(tensor_buf(pc, sg, c->outputs[k]), step);
    for (uint32_t k = 0; k < n->call_count; k++)
      if ((st = mark_subgraph(pc, n->calls[k], depth + 1, err))) return st;
    uint32_t end = (uint32_t)pc->cur;
    for (uint32_t k = 0; k < c->input_count; k++)
      used(tensor_buf(pc, sg, c->inputs[k]), end);
    for (uint32_t k = 0; k < c->output_count; k++)
      used(tensor_buf(pc, sg, c->outputs[k]), end);
    if (n->scratch_count) {
      xai_plan_buf *b = scratch_bufs(pc, sg, i);
      for (uint32_t k = 0; k < n->scratch_count; k++) {
        created(&b[k], step);
        used(&b[k], end);
      }
    }
  }
  for (uint32_t k = 0; k < s->outputs.count; k++)
    used(tensor_buf(pc, sg, s->outputs.data[k]), (uint32_t)pc->cur);
  return XAI_OK;
}

static xai_status apply_offline(xai_interp *ip, uint32_t tensor_bufs,
                                xai_planner_kind kind, xai_error *err) {
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
    xai_plan_buf *b = &ip->plan[k];
    int32_t off = xai_plan_offline_at(
        offsets, ip->subgraphs[b->subgraph].tensor_base + b->tensor);
    if (off == -1) continue;
    if (off < 0 || off % 4 != 0)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "OfflineMemoryAllocation: subgraph %u tensor %u has "
                      "offset %d; offsets are -1 or non-negative multiples "
                      "of 4", b->subgraph, b->tensor, (int)off);
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

/* In-place execution under an offline plan: when an op that
 * xai_op_inplace_safe() lists has its output at the same fixed offset as an
 * input of the same byte size whose last use is that op, the two buffers
 * are one in memory; record it so the plan check accepts the overlap.
 * Subgraph inputs and outputs are never overwritten (the caller owns them),
 * and ops that call subgraphs are left out (their steps span the calls). */
static void mark_inplace(xai_interp *ip, uint32_t tensor_bufs) {
  plan_ctx pc;
  memset(&pc, 0, sizeof pc);
  pc.ip = ip;
  pc.tensor_bufs = tensor_bufs;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++) {
      const xai_op_node *n = &s->ops[i];
      const xai_op_ctx *c = &n->ctx;
      if (n->call_count || c->output_count < 1 ||
          !xai_op_inplace_safe(c->builtin_code, c->op_name))
        continue;
      xai_plan_buf *bo = tensor_buf(&pc, sg, c->outputs[0]);
      if (!bo || bo->fixed < 0) continue;
      for (uint32_t k = 0; k < c->input_count; k++) {
        xai_plan_buf *bi = tensor_buf(&pc, sg, c->inputs[k]);
        if (!bi || bi == bo || bi->fixed != bo->fixed ||
            bi->last != bo->first || is_subgraph_io(s, c->inputs[k]) ||
            s->tensors[bi->tensor].bytes != s->tensors[bo->tensor].bytes)
          continue;
        bo->alias = (uint32_t)(bi - ip->plan) + 1;
        break;
      }
    }
  }
}

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
  if (count) {
    ip->plan = xai_tail_alloc(&ip->tail, sizeof(xai_plan_buf) * count, 0);
    if (!ip->plan) {
      ip->out_of_memory = true;
      return xai_fail(err, XAI_ERR_NO_MEMORY,
                      "arena of %zu bytes is too small: the persistent tail "
                      "alone needs more than %zu bytes; "
                      "xai_interp_arena_needed() (or `xai run MODEL --arena`) "
                      "gives the exact size",
                      ip->arena_size, ip->tail.shortfall_min);
    }
  }
  ip->plan_count = count;
  uint32_t k = 0;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t t = 0; t < s->tensor_count; t++)
      if (s->tensors[t].mem == XAI_MEM_ARENA)
        ip->plan[k++] = (xai_plan_buf){
            sg, t, UINT32_MAX, UNSET, UNSET,
            xai_align_up(s->tensors[t].bytes, XAI_ARENA_ALIGN), -1, 0, false,
            0};
  }
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++)
      for (const xai_scratch_req *r = s->ops[i].scratch; r; r = r->next)
        ip->plan[k++] = (xai_plan_buf){
            sg, UINT32_MAX, i, UNSET, UNSET,
            xai_align_up(r->size, XAI_ARENA_ALIGN), -1, 0, false, 0};
  }

  plan_ctx pc;
  memset(&pc, 0, sizeof pc);
  pc.ip = ip;
  pc.cur = -1;
  pc.tensor_bufs = tensor_bufs;
  xai_status st = mark_subgraph(&pc, 0, 0, err);
  /* Subgraphs no op calls are still prepared; give them their own steps
   * after the main graph so their tensors have memory. */
  for (uint32_t sg = 1; !st && sg < ip->subgraph_count; sg++) {
    bool reached = false;
    for (uint32_t s0 = 0; s0 < ip->subgraph_count && !reached; s0++)
      for (uint32_t i = 0; i < ip->subgraphs[s0].op_count && !reached; i++)
        for (uint32_t c = 0; c < ip->subgraphs[s0].ops[i].call_count; c++)
          reached |= ip->subgraphs[s0].ops[i].calls[c] == sg;
    if (!reached) st = mark_subgraph(&pc, sg, 0, err);
  }
  if (st) return st;

  /* Drop tensors nothing touches; one consumed but never produced (not a
   * graph input) is treated as live from the start. */
  uint32_t w = 0;
  for (uint32_t r = 0; r < count; r++) {
    xai_plan_buf b = ip->plan[r];
    if (b.last == UNSET) {
      if (b.tensor != UINT32_MAX) {
        ip->subgraphs[b.subgraph].tensors[b.tensor].mem = XAI_MEM_NONE;
        if (r < tensor_bufs) continue;
      }
      b.last = b.first == UNSET ? 0 : b.first;
    }
    if (b.first == UNSET) b.first = 0;
    ip->plan[w++] = b; /* keeps (subgraph, tensor) order */
  }
  tensor_bufs -= count - w;
  ip->plan_count = count = w;

  st = apply_offline(ip, tensor_bufs, kind, err);
  if (st) return st;
  mark_inplace(ip, tensor_bufs);
  size_t head = 0;
  st = xai_plan_greedy(ip->plan, count, &head, err);
  if (!st) st = xai_plan_check(ip->plan, count, err);
  if (st) return st;
  ip->head = xai_align_up(head, XAI_ARENA_ALIGN);

  size_t tail = xai_tail_used(&ip->tail);
  if (ip->head > ip->tail.bottom)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "arena of %zu bytes is too small: the model needs %zu "
                    "bytes (%zu planned head + %zu persistent tail)",
                    ip->arena_size, ip->head + tail, ip->head, tail);

  for (uint32_t r = 0; r < count; r++) {
    const xai_plan_buf *b = &ip->plan[r];
    if (b->tensor != UINT32_MAX) {
      xai_rt_tensor *t = &ip->subgraphs[b->subgraph].tensors[b->tensor];
      t->data = ip->arena + b->offset;
    }
  }
  uint32_t r = tensor_bufs;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    const xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++)
      for (xai_scratch_req *q = s->ops[i].scratch; q; q = q->next)
        q->offset = ip->plan[r++].offset;
  }
  return XAI_OK;
}

uint32_t xai_interp_plan_count(const xai_interp *ip) { return ip->plan_count; }

void xai_interp_plan_entry(const xai_interp *ip, uint32_t i,
                           xai_plan_entry *out) {
  memset(out, 0, sizeof *out);
  if (i >= ip->plan_count) return;
  const xai_plan_buf *b = &ip->plan[i];
  out->subgraph = b->subgraph;
  out->tensor = b->tensor;
  out->op = b->op;
  out->offset = b->offset;
  out->size = b->size;
  out->first_op = b->first;
  out->last_op = b->last;
}
