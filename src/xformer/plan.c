/* The memory plan pass: chooses an operator order and tensor offsets for
 * the arena and writes them as TFLite Micro's OfflineMemoryAllocation
 * metadata (int32 [version 0, subgraph 0, n, one offset per tensor, -1 =
 * plan online], the layout src/runtime/planner_offline.c reads).
 *
 * The runtime's own greedy plan of the same model is the baseline: the
 * runtime measures it, and every candidate plan is measured the same way
 * (scratch buffers are still placed online by the runtime, around the fixed
 * tensors), so the model never gets a plan whose head is larger than
 * greedy's. Candidates combine
 *  - op order: the model's, or a list schedule that runs next the ready op
 *    that adds the fewest live bytes (on branched graphs this finishes the
 *    branch that frees memory before starting one that holds it);
 *  - in-place execution: an element-wise op (xai_op_inplace_safe) writes
 *    its output over an input of the same size that dies at it, so the two
 *    tensors share one buffer;
 *  - placement orders tried by xf_plan_place. */
#include <stdlib.h>
#include <string.h>

#include "plan_internal.h"

#define OFFLINE_NAME "OfflineMemoryAllocation"

typedef struct {
  xf_ctx *x;
  uint32_t n_ops, n_tensors;
  size_t *size;       /* per tensor: planned bytes rounded, 0 = not planned */
  size_t *bytes;      /* per tensor: exact bytes */
  int64_t *greedy;    /* per tensor: the greedy plan's offset, -1 if none */
  int32_t *producer;  /* per tensor: op index or -1 */
  bool *out;          /* subgraph output */
  bool *in;           /* subgraph input */
  uint32_t scratch_count;
  uint32_t *scratch_op;
  size_t *scratch_size;
} problem;

/* One candidate: op order, in-place on or off, resulting offsets. */
typedef struct {
  uint32_t *order;   /* order[step] = op index in the current model */
  int64_t *offset;   /* per tensor, -1 = online */
  size_t local_head; /* our own estimate including scratch */
} candidate;

static void problem_free(problem *p) {
  free(p->size);
  free(p->bytes);
  free(p->greedy);
  free(p->producer);
  free(p->out);
  free(p->in);
  free(p->scratch_op);
  free(p->scratch_size);
}

static xai_status no_memory(xai_error *err) {
  return xai_fail(err, XAI_ERR_NO_MEMORY, "memory plan: out of memory");
}

static xai_status problem_init(problem *p, xf_ctx *x, const xf_plan_run *r,
                               xai_error *err) {
  memset(p, 0, sizeof *p);
  xai_subgraph *sg = &x->m->subgraphs[0];
  p->x = x;
  p->n_ops = sg->operator_count;
  p->n_tensors = sg->tensor_count;
  uint32_t nt = p->n_tensors ? p->n_tensors : 1;
  uint32_t plan_count = xai_interp_plan_count(r->ip);
  p->size = calloc(nt, sizeof *p->size);
  p->bytes = calloc(nt, sizeof *p->bytes);
  p->greedy = malloc(nt * sizeof *p->greedy);
  p->producer = malloc(nt * sizeof *p->producer);
  p->out = calloc(nt, sizeof *p->out);
  p->in = calloc(nt, sizeof *p->in);
  p->scratch_op = malloc((plan_count + 1) * sizeof *p->scratch_op);
  p->scratch_size = malloc((plan_count + 1) * sizeof *p->scratch_size);
  if (!p->size || !p->bytes || !p->greedy || !p->producer ||
      !p->out || !p->in || !p->scratch_op || !p->scratch_size)
    return no_memory(err);
  for (uint32_t t = 0; t < nt; t++) {
    p->greedy[t] = -1;
    p->producer[t] = -1;
  }
  for (uint32_t i = 0; i < plan_count; i++) {
    xai_plan_entry e;
    xai_interp_plan_entry(r->ip, i, &e);
    if (e.subgraph != 0) continue;
    if (e.tensor == UINT32_MAX) {
      p->scratch_op[p->scratch_count] = e.op;
      p->scratch_size[p->scratch_count++] = e.size;
    } else if (e.tensor < p->n_tensors) {
      p->size[e.tensor] = e.size;
      p->bytes[e.tensor] = xai_interp_subgraph_tensor(r->ip, 0, e.tensor)->bytes;
      p->greedy[e.tensor] = (int64_t)e.offset;
    }
  }
  for (uint32_t i = 0; i < sg->input_count; i++)
    if (sg->inputs[i] >= 0 && (uint32_t)sg->inputs[i] < p->n_tensors)
      p->in[sg->inputs[i]] = true;
  for (uint32_t i = 0; i < sg->output_count; i++)
    if (sg->outputs[i] >= 0 && (uint32_t)sg->outputs[i] < p->n_tensors)
      p->out[sg->outputs[i]] = true;
  for (uint32_t i = 0; i < p->n_ops; i++) {
    const xai_operator *o = &sg->operators[i];
    for (uint32_t k = 0; k < o->output_count; k++)
      if (o->outputs[k] >= 0 && (uint32_t)o->outputs[k] < p->n_tensors)
        p->producer[o->outputs[k]] = (int32_t)i;
  }
  return XAI_OK;
}

static bool planned(const problem *p, int32_t t) {
  return t >= 0 && (uint32_t)t < p->n_tensors && p->size[t] > 0;
}

static bool op_inplace_safe(const problem *p, uint32_t op) {
  const xai_model *m = p->x->m;
  const xai_operator *o = &m->subgraphs[0].operators[op];
  if (o->opcode_index >= m->opcode_count) return false;
  const xai_opcode *c = &m->opcodes[o->opcode_index];
  return xai_op_inplace_safe(c->builtin_code, c->custom_code);
}

static bool op_is_view(const problem *p, uint32_t op) {
  const xai_model *m = p->x->m;
  const xai_operator *o = &m->subgraphs[0].operators[op];
  if (o->opcode_index >= m->opcode_count) return false;
  const xai_opcode *c = &m->opcodes[o->opcode_index];
  return xai_op_is_view(c->builtin_code, c->custom_code);
}

/* Tensor lifetimes under `order` (pos[op] = step), as interp_plan.c
 * computes them: produced at its op's step (graph inputs and tensors
 * nobody produces: step 0), live to its last consumer, graph outputs to
 * the last step, an unread output for its own step only. */
static void lifetimes(const problem *p, const uint32_t *pos, uint32_t *first,
                      uint32_t *last) {
  const xai_subgraph *sg = &p->x->m->subgraphs[0];
  for (uint32_t t = 0; t < p->n_tensors; t++) {
    first[t] = p->in[t] || p->producer[t] < 0 ? 0 : pos[p->producer[t]];
    last[t] = p->out[t] ? p->n_ops - 1 : first[t];
  }
  for (uint32_t i = 0; i < p->n_ops; i++) {
    const xai_operator *o = &sg->operators[i];
    for (uint32_t k = 0; k < o->input_count; k++) {
      int32_t t = o->inputs[k];
      if (planned(p, t) && pos[i] > last[t]) last[t] = pos[i];
    }
  }
}

static uint32_t root(uint32_t *parent, uint32_t t) {
  while (parent[t] != t) t = parent[t];
  return t;
}

/* Puts group a (a root) into group b (a root): b's lifetime and output
 * flag cover both. */
static void join(uint32_t *parent, uint32_t *first, uint32_t *last,
                 bool *gout, uint32_t a, uint32_t b) {
  parent[a] = b;
  if (first[a] < first[b]) first[b] = first[a];
  if (last[a] > last[b]) last[b] = last[a];
  gout[b] |= gout[a];
}

/* Builds and places the buffers of one candidate; fills cand->offset and
 * cand->local_head. */
static xai_status plan_candidate(const problem *p, candidate *cand,
                                 bool inplace, xai_error *err) {
  const xai_subgraph *sg = &p->x->m->subgraphs[0];
  uint32_t nt = p->n_tensors ? p->n_tensors : 1, no = p->n_ops;
  uint32_t *pos = malloc(no * sizeof *pos);
  uint32_t *first = malloc(nt * sizeof *first);
  uint32_t *last = malloc(nt * sizeof *last);
  uint32_t *parent = malloc(nt * sizeof *parent);
  uint32_t *item_of = malloc(nt * sizeof *item_of);
  bool *gout = malloc(nt * sizeof *gout);
  uint32_t cap = nt + p->scratch_count;
  xf_plan_item *items = malloc(cap * sizeof *items);
  uint32_t *order = malloc(cap * sizeof *order);
  xai_status st = XAI_OK;
  if (!pos || !first || !last || !parent || !item_of || !gout || !items ||
      !order) {
    st = no_memory(err);
    goto done;
  }
  for (uint32_t s = 0; s < no; s++) pos[cand->order[s]] = s;
  lifetimes(p, pos, first, last);
  for (uint32_t t = 0; t < nt; t++) parent[t] = t;
  /* Views always share their input's buffer (the runtime's merge_views);
   * group lifetimes are kept per root in first/last, and `out` marks groups
   * holding a graph output. */
  for (uint32_t t = 0; t < p->n_tensors; t++) gout[t] = p->out[t];
  for (uint32_t s = 0; s < no; s++) {
    const xai_operator *o = &sg->operators[cand->order[s]];
    if (o->input_count < 1 || o->output_count != 1 ||
        !op_is_view(p, cand->order[s]))
      continue;
    int32_t in = o->inputs[0], out = o->outputs[0];
    if (!planned(p, in) || !planned(p, out) || parent[out] != (uint32_t)out ||
        p->bytes[in] != p->bytes[out])
      continue;
    uint32_t g = root(parent, (uint32_t)in);
    if (g != (uint32_t)out) join(parent, first, last, gout, (uint32_t)out, g);
  }
  if (inplace) {
    for (uint32_t s = 0; s < no; s++) {
      uint32_t op = cand->order[s];
      const xai_operator *o = &sg->operators[op];
      if (o->output_count < 1 || !planned(p, o->outputs[0]) ||
          !op_inplace_safe(p, op))
        continue;
      uint32_t out = (uint32_t)o->outputs[0];
      for (uint32_t k = 0; k < o->input_count; k++) {
        int32_t in = o->inputs[k];
        /* Mirrors the runtime's check (interp_plan.c mark_inplace). */
        if (!planned(p, in) || (uint32_t)in == out) continue;
        uint32_t g = root(parent, (uint32_t)in);
        if (g == root(parent, out) || last[g] != s || gout[g] ||
            p->bytes[in] != p->bytes[out])
          continue;
        join(parent, first, last, gout, root(parent, out), g);
        break;
      }
    }
  }
  uint32_t count = 0;
  for (uint32_t t = 0; t < p->n_tensors; t++) {
    if (!planned(p, (int32_t)t) || parent[t] != t) continue;
    item_of[t] = count;
    items[count++] = (xf_plan_item){p->size[t], first[t], last[t], 0};
  }
  for (uint32_t t = 0; t < p->n_tensors; t++) {
    if (!planned(p, (int32_t)t) || parent[t] == t) continue;
    xf_plan_item *it = &items[item_of[root(parent, t)]];
    if (p->size[t] > it->size) it->size = p->size[t];
  }
  for (uint32_t k = 0; k < p->scratch_count; k++) {
    uint32_t s = p->scratch_op[k] < no ? pos[p->scratch_op[k]] : 0;
    items[count++] = (xf_plan_item){p->scratch_size[k], s, s, 0};
  }
  cand->local_head = xf_plan_place(items, count, order);
  for (uint32_t t = 0; t < p->n_tensors; t++)
    cand->offset[t] = planned(p, (int32_t)t)
                          ? (int64_t)items[item_of[root(parent, t)]].offset
                          : -1;
done:
  free(pos);
  free(first);
  free(last);
  free(parent);
  free(item_of);
  free(gout);
  free(items);
  free(order);
  return st;
}

/* A list schedule: among ops whose inputs are ready, run the one that adds
 * the fewest live bytes (outputs minus inputs it is the last reader of);
 * ties go to the earlier op, so a chain keeps the model's order. */
static xai_status schedule_min_live(const problem *p, uint32_t *order,
                                    xai_error *err) {
  const xai_subgraph *sg = &p->x->m->subgraphs[0];
  uint32_t nt = p->n_tensors ? p->n_tensors : 1, no = p->n_ops;
  uint32_t *readers = calloc(nt, sizeof *readers); /* unscheduled readers */
  bool *ready_t = calloc(nt, sizeof *ready_t);
  bool *done = calloc(no ? no : 1, sizeof *done);
  xai_status st = XAI_OK;
  if (!readers || !ready_t || !done) {
    st = no_memory(err);
    goto out;
  }
  for (uint32_t t = 0; t < p->n_tensors; t++) ready_t[t] = p->producer[t] < 0;
  for (uint32_t i = 0; i < no; i++) {
    const xai_operator *o = &sg->operators[i];
    for (uint32_t k = 0; k < o->input_count; k++)
      if (o->inputs[k] >= 0 && (uint32_t)o->inputs[k] < p->n_tensors)
        readers[o->inputs[k]]++;
  }
  for (uint32_t s = 0; s < no; s++) {
    uint32_t pick = UINT32_MAX;
    int64_t pick_net = 0;
    for (uint32_t i = 0; i < no; i++) {
      if (done[i]) continue;
      const xai_operator *o = &sg->operators[i];
      bool ok = true;
      int64_t net = 0;
      for (uint32_t k = 0; k < o->input_count && ok; k++) {
        int32_t t = o->inputs[k];
        if (t < 0 || (uint32_t)t >= p->n_tensors) continue;
        if (!ready_t[t]) ok = false;
        /* Count each use: the op removes all of its own reads. */
        uint32_t uses = 0;
        for (uint32_t j = 0; j < o->input_count; j++) uses += o->inputs[j] == t;
        bool first_use = true;
        for (uint32_t j = 0; j < k; j++) first_use &= o->inputs[j] != t;
        if (first_use && planned(p, t) && !p->out[t] && readers[t] == uses)
          net -= (int64_t)p->size[t];
      }
      if (!ok) continue;
      for (uint32_t k = 0; k < o->output_count; k++)
        if (planned(p, o->outputs[k])) net += (int64_t)p->size[o->outputs[k]];
      if (pick == UINT32_MAX || net < pick_net) {
        pick = i;
        pick_net = net;
      }
    }
    if (pick == UINT32_MAX) { /* not a DAG in this order: keep the model's */
      for (uint32_t i = 0; i < no; i++) order[i] = i;
      goto out;
    }
    const xai_operator *o = &sg->operators[pick];
    done[pick] = true;
    order[s] = pick;
    for (uint32_t k = 0; k < o->input_count; k++)
      if (o->inputs[k] >= 0 && (uint32_t)o->inputs[k] < p->n_tensors)
        readers[o->inputs[k]]--;
    for (uint32_t k = 0; k < o->output_count; k++)
      if (o->outputs[k] >= 0 && (uint32_t)o->outputs[k] < p->n_tensors)
        ready_t[o->outputs[k]] = true;
  }
out:
  free(readers);
  free(ready_t);
  free(done);
  return st;
}

/* Reorders subgraph 0's operators: op `order[s]` becomes op s. */
static xai_status apply_order(xf_ctx *x, const uint32_t *order,
                              xai_error *err) {
  xai_subgraph *sg = &x->m->subgraphs[0];
  uint32_t n = sg->operator_count;
  xai_operator *copy = malloc((n ? n : 1) * sizeof *copy);
  if (!copy) return no_memory(err);
  memcpy(copy, sg->operators, n * sizeof *copy);
  for (uint32_t s = 0; s < n; s++) sg->operators[s] = copy[order[s]];
  free(copy);
  return XAI_OK;
}

static xai_status set_offsets(xf_ctx *x, const int64_t *offset, uint32_t n,
                              xai_error *err) {
  int32_t *words = malloc((3 + (size_t)n) * sizeof *words);
  if (!words) return no_memory(err);
  words[0] = 0; /* format version TFLite Micro reads */
  words[1] = 0; /* subgraph */
  words[2] = (int32_t)n;
  for (uint32_t t = 0; t < n; t++) words[3 + t] = (int32_t)offset[t];
  xai_status st = xai_model_set_metadata(x->m, OFFLINE_NAME, words,
                                         (3 + (size_t)n) * sizeof *words);
  free(words);
  return st;
}

static void remove_offsets(xf_ctx *x) {
  xai_model *m = x->m;
  for (uint32_t i = 0; i < m->metadata_count; i++) {
    if (!m->metadata[i].name || strcmp(m->metadata[i].name, OFFLINE_NAME))
      continue;
    free(m->metadata[i].name);
    memmove(&m->metadata[i], &m->metadata[i + 1],
            (m->metadata_count - i - 1) * sizeof *m->metadata);
    m->metadata_count--;
    xai_model_remove_unused_buffers(m);
    return;
  }
}

/* The head the runtime plans for the model as it now stands with its
 * offline metadata; SIZE_MAX if the runtime refuses the plan. */
static size_t measure(xf_ctx *x) {
  xf_plan_run r;
  xai_error e;
  xai_error_clear(&e);
  size_t head = SIZE_MAX;
  if (xf_plan_run_model(x, XAI_PLANNER_OFFLINE, &r, &e) == XAI_OK)
    head = r.head;
  xf_plan_run_free(&r);
  return head;
}

xai_status xf_plan_memory(xf_ctx *x, xai_error *err) {
  if (x->m->subgraph_count != 1 || x->m->subgraphs[0].operator_count == 0)
    return XAI_OK; /* control flow: the runtime's online plan stands */
  xf_plan_run base;
  xai_error e;
  xai_error_clear(&e);
  /* A model the runtime cannot load cannot be measured; it gets no plan
   * (the failure shows when it is run). */
  if (xf_plan_run_model(x, XAI_PLANNER_GREEDY, &base, &e) != XAI_OK) {
    xf_plan_run_free(&base);
    return XAI_OK;
  }
  problem p;
  xai_status st = problem_init(&p, x, &base, err);
  size_t greedy_head = base.head;
  xf_plan_run_free(&base);
  uint32_t no = p.n_ops, nt = p.n_tensors ? p.n_tensors : 1;
  candidate c[4];
  memset(c, 0, sizeof c);
  for (int k = 0; !st && k < 4; k++) {
    c[k].order = malloc(no * sizeof *c[k].order);
    c[k].offset = malloc(nt * sizeof *c[k].offset);
    if (!c[k].order || !c[k].offset) st = no_memory(err);
  }
  if (!st) {
    for (uint32_t i = 0; i < no; i++) c[0].order[i] = c[1].order[i] = i;
    st = schedule_min_live(&p, c[2].order, err);
  }
  if (!st) memcpy(c[3].order, c[2].order, no * sizeof *c[2].order);
  bool reordered = !st && memcmp(c[0].order, c[2].order,
                                 no * sizeof *c[0].order) != 0;
  int count = reordered ? 4 : 2;
  for (int k = 0; !st && k < count; k++)
    st = plan_candidate(&p, &c[k], k % 2 == 0, err);

  /* Measure each candidate with the runtime; keep the smallest head. */
  xai_subgraph *sg = &x->m->subgraphs[0];
  xai_operator *original = NULL;
  if (!st && !(original = malloc(no * sizeof *original))) st = no_memory(err);
  if (!st) memcpy(original, sg->operators, no * sizeof *original);
  int best = -1;
  size_t best_head = greedy_head;
  for (int k = 0; !st && k < count; k++) {
    if (k >= 2) st = apply_order(x, c[k].order, err);
    if (!st) st = set_offsets(x, c[k].offset, p.n_tensors, err);
    size_t head = st ? SIZE_MAX : measure(x);
    if (head < best_head) {
      best = k;
      best_head = head;
    }
    memcpy(sg->operators, original, no * sizeof *original);
  }
  if (!st) {
    if (best >= 0) {
      st = apply_order(x, c[best].order, err);
      if (!st) st = set_offsets(x, c[best].offset, p.n_tensors, err);
    } else {
      /* Nothing beats greedy: write greedy's own offsets when the runtime
       * reproduces its head from them, else leave planning to it. */
      st = set_offsets(x, p.greedy, p.n_tensors, err);
      if (!st && measure(x) > greedy_head) remove_offsets(x);
    }
  }
  free(original);
  for (int k = 0; k < 4; k++) {
    free(c[k].order);
    free(c[k].offset);
  }
  problem_free(&p);
  return st;
}
