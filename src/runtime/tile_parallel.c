/* Ops that run on another tile at the same time as the op after them
 * (docs/multitile.md, "Channel split"): the xformer splits a wide op by
 * output channels and marks the half it gives to tile 1 in the model's
 * `xai_par` metadata, with the link time and bytes of its input and
 * output. Here that half gets the link time added and is marked as
 * overlapping the next op, like a prefetched load, so every timing
 * consumer (the xformer's report, `xai run`, the device's GET_TIMINGS)
 * counts max(half + link, other half) instead of the sum.
 *
 * xai_interp_invoke_tiles also runs the half on another tile's thread
 * (the device's tile runner) while the caller computes the next op: the
 * half works in a copy of the interpreter's state (its own context slot;
 * tensors, nodes and arena are shared), and the two ops' buffers are
 * checked not to share bytes first (the plan keeps the half's scratch
 * alive through the next op for that). */
#include <string.h>

#include "interp_internal.h"
#include "xai/flexbuf.h"

xai_status xai_tile_par_load(xai_tile_par *p, const xai_tfl_view *view,
                             xai_error *err) {
  memset(p, 0, sizeof *p);
  size_t n = 0;
  const uint8_t *md = xai_tfl_find_metadata(view, "xai_par", &n);
  if (!md) return XAI_OK;
  xai_flexbuf_ref map, v;
  int64_t ops[XAI_TILE_PAR_MAX], link[XAI_TILE_PAR_MAX];
  size_t no = 0, nl = 0;
  xai_error e;
  xai_error_clear(&e);
  if (xai_flexbuf_verify(md, n, &e) || xai_flexbuf_root(md, n, &map, &e) ||
      map.type != XAI_FLEXBUF_MAP ||
      xai_flexbuf_map_get(&map, "ops", &v, &e) ||
      xai_flexbuf_get_int64_array(&v, ops, XAI_TILE_PAR_MAX, &no, &e) ||
      xai_flexbuf_map_get(&map, "link_ticks", &v, &e) ||
      xai_flexbuf_get_int64_array(&v, link, XAI_TILE_PAR_MAX, &nl, &e) ||
      no != nl)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the model's xai_par metadata is malformed (%s); "
                    "recompile it with xformer",
                    e.message[0] ? e.message : "counts differ");
  /* link_bytes came later: optional */
  int64_t bytes[XAI_TILE_PAR_MAX];
  size_t nb = 0;
  if (xai_flexbuf_map_get(&map, "link_bytes", &v, NULL) == XAI_OK &&
      (xai_flexbuf_get_int64_array(&v, bytes, XAI_TILE_PAR_MAX, &nb, NULL) ||
       nb != no))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "the model's xai_par link_bytes has %zu entries for %zu "
                    "ops; recompile it with xformer", nb, no);
  for (size_t i = 0; i < no; i++) {
    if (nb && (bytes[i] < 0 || bytes[i] > UINT32_MAX))
      return xai_fail(err, XAI_ERR_FORMAT,
                      "xai_par entry %zu has %lld link bytes; recompile the "
                      "model", i, (long long)bytes[i]);
    p->link_bytes[i] = nb ? (uint32_t)bytes[i] : 0;
    if (ops[i] < 0 || ops[i] > UINT32_MAX || link[i] < 0 ||
        link[i] > UINT32_MAX)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "xai_par entry %zu (op %lld, %lld link ticks) is out of "
                      "range; recompile the model", i, (long long)ops[i],
                      (long long)link[i]);
    p->op[i] = (uint32_t)ops[i];
    p->link_ticks[i] = (uint32_t)link[i];
  }
  p->count = (uint32_t)no;
  return XAI_OK;
}

int32_t xai_tile_par_index(const xai_tile_par *p, uint32_t op) {
  for (uint32_t i = 0; i < p->count; i++)
    if (p->op[i] == op) return (int32_t)i;
  return -1;
}

bool xai_interp_tile_par(const xai_interp *ip, uint32_t sg, uint32_t op,
                         uint32_t *link_ticks) {
  if (!ip || sg != 0) return false;
  xai_tile_par par;
  if (xai_tile_par_load(&par, &ip->view, NULL) != XAI_OK) return false;
  int32_t k = xai_tile_par_index(&par, op);
  if (k >= 0 && link_ticks) *link_ticks = par.link_ticks[k];
  return k >= 0;
}

uint32_t xai_interp_tile_par_bytes(const xai_interp *ip, uint32_t sg,
                                   uint32_t op) {
  xai_tile_par par;
  if (!ip || sg != 0 || xai_tile_par_load(&par, &ip->view, NULL) != XAI_OK)
    return 0;
  int32_t k = xai_tile_par_index(&par, op);
  return k >= 0 ? par.link_bytes[k] : 0;
}

void xai_interp_tile_cost(const xai_interp *ip, uint32_t sg, uint32_t op,
                          xai_op_cost *cost) {
  uint32_t link = 0;
  if (!xai_interp_tile_par(ip, sg, op, &link)) return;
  cost->ticks += link;
  cost->overlap_ticks = cost->ticks;
}

/* Byte ranges an op reads (constants left out: nobody writes them) or
 * writes (outputs and scratch). */
typedef struct {
  const uint8_t *at[2 * 16 + 8];
  size_t bytes[2 * 16 + 8];
  uint32_t n;
} ranges;

static bool add_range(ranges *r, const void *at, size_t bytes) {
  if (!at || !bytes) return true;
  if (r->n >= sizeof r->at / sizeof r->at[0]) return false;
  r->at[r->n] = at;
  r->bytes[r->n++] = bytes;
  return true;
}

static bool add_tensors(ranges *r, const xai_interp *ip, xai_i32_span ts) {
  const xai_sg_state *s = &ip->subgraphs[0];
  for (uint32_t k = 0; k < ts.count; k++) {
    int32_t t = ts.data[k];
    if (t < 0 || (uint32_t)t >= s->tensor_count) continue;
    const xai_rt_tensor *rt = &s->tensors[t];
    if (rt->mem != XAI_MEM_CONST && !add_range(r, rt->data, rt->bytes))
      return false;
  }
  return true;
}

/* False when op's buffers cannot all be listed (then no overlap is
 * assumed safe). */
static bool op_ranges(const xai_interp *ip, uint32_t op, ranges *rd,
                      ranges *wr) {
  xai_i32_span in, out;
  xai_interp_op_io(ip, 0, op, &in, &out);
  rd->n = wr->n = 0;
  if (!add_tensors(rd, ip, in) || !add_tensors(wr, ip, out)) return false;
  for (const xai_scratch_req *q = ip->subgraphs[0].ops[op].scratch; q;
       q = q->next)
    if (!add_range(wr, ip->tail.base + q->offset, q->size)) return false;
  return true;
}

static bool overlap(const ranges *a, const ranges *b) {
  for (uint32_t i = 0; i < a->n; i++)
    for (uint32_t j = 0; j < b->n; j++)
      if (a->at[i] < b->at[j] + b->bytes[j] &&
          b->at[j] < a->at[i] + a->bytes[i])
        return true;
  return false;
}

/* Ops a and b may run at once: neither writes what the other reads or
 * writes. */
static bool independent(const xai_interp *ip, uint32_t a, uint32_t b) {
  ranges ra, wa, rb, wb;
  if (!op_ranges(ip, a, &ra, &wa) || !op_ranges(ip, b, &rb, &wb))
    return false;
  return !overlap(&wa, &rb) && !overlap(&wa, &wb) && !overlap(&wb, &ra);
}

typedef struct {
  xai_interp shadow; /* the half's own interpreter state */
  xai_op_slot slot;  /* and context */
  uint32_t op;
  xai_error err;
  xai_status st;
  uint64_t ns;
} remote_half;

static void run_half(void *arg) {
  remote_half *h = arg;
  h->st =
      xai_interp_eval_op(&h->shadow, &h->slot, 0, h->op, &h->err, &h->ns);
}

xai_status xai_tile_par_run_pair(xai_interp *ip, xai_op_slot *slot,
                                 uint32_t i, const xai_tile_runner *runner,
                                 xai_error *err) {
  remote_half h;
  h.shadow = *ip;
  h.slot.node = NULL;
  h.op = i;
  h.ns = 0;
  xai_error_clear(&h.err);
  bool started = runner && runner->start && runner->join &&
                 independent(ip, i, i + 1) &&
                 runner->start(runner->user, run_half, &h);
  if (!started) run_half(&h);
  uint64_t ns = 0;
  xai_status st = XAI_OK;
  if (h.st == XAI_OK || started)
    st = xai_interp_eval_op(ip, slot, 0, i + 1, err, &ns);
  if (started) runner->join(runner->user);
  if (h.st != XAI_OK) {
    if (err) *err = h.err;
    return h.st;
  }
  if (st != XAI_OK) return st;
  /* The hook sees the half first, from its own slot, then the next op; a
   * half that ran here costs its plain time, not overlapped. */
  xai_interp_report_op(&h.shadow, &h.slot, h.ns, started);
  xai_interp_report_op(ip, slot, ns, true);
  return XAI_OK;
}
