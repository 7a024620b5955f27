/* Interpreter setup: validates the model, builds runtime tensors and op
 * nodes in the arena tail, resolves and prepares every op once, then hands
 * over to the planner (interp_plan.c). Never touches the heap. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "interp_internal.h"
#include "xai/xcore_machine.h"

size_t xai_rt_tensor_elements(const xai_rt_tensor *t) {
  size_t n = 1;
  for (uint32_t i = 0; i < t->rank; i++) n *= (size_t)t->dims[i];
  return n;
}

static void *tail_alloc(xai_interp *ip, size_t bytes) {
  void *p = xai_tail_alloc(&ip->tail, bytes, 0);
  if (!p) ip->out_of_memory = true;
  return p;
}

static xai_status tail_full(const xai_interp *ip, xai_error *err) {
  return xai_fail(err, XAI_ERR_NO_MEMORY,
                  "arena of %zu bytes is too small: the persistent tail alone "
                  "needs more than %zu bytes; xai_interp_arena_needed() (or "
                  "`xai run MODEL --arena`) gives the exact size",
                  ip->arena_size, ip->tail.shortfall_min);
}

/* Name for messages: the builtin's name, the custom code, or the number. */
static const char *op_type_name(const xai_tfl_opcode *oc, char *buf,
                                size_t size) {
  if (oc->builtin_code == XAI_OP_CUSTOM)
    return oc->custom_code ? oc->custom_code : "CUSTOM(unnamed)";
  const char *n = xai_builtin_op_name(oc->builtin_code);
  if (n) return n;
  snprintf(buf, size, "BUILTIN_%d", (int)oc->builtin_code);
  return buf;
}

static bool mul_overflows(size_t a, size_t b, size_t *out) {
  if (a != 0 && b > SIZE_MAX / a) return true;
  *out = a * b;
  return false;
}

static xai_status setup_tensor(xai_interp *ip, uint32_t sg, uint32_t i,
                               xai_rt_tensor *t, xai_error *err) {
  xai_tfl_tensor tt;
  xai_tfl_get_tensor(&ip->view, sg, i, &tt);
  const char *name = tt.name ? tt.name : "";
  memset(t, 0, sizeof *t);
  t->type = tt.type;
  if (tt.shape.count > XAI_MAX_DIMS)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "subgraph %u tensor %u '%s' has rank %u; xai supports up "
                    "to %d", sg, i, name, tt.shape.count, XAI_MAX_DIMS);
  if (tt.has_sparsity)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "subgraph %u tensor %u '%s' is sparse; xai needs dense "
                    "tensors (densify the model)", sg, i, name);
  t->rank = (uint8_t)tt.shape.count;
  t->dims = tt.shape.count ? tt.shape.data : NULL;
  size_t elems = 1;
  for (uint32_t d = 0; d < t->rank; d++) {
    int32_t v = tt.shape.data[d];
    if (v < 0)
      return xai_fail(err, XAI_ERR_UNSUPPORTED,
                      "subgraph %u tensor %u '%s' has dynamic dimension %u "
                      "(%d); xai needs static shapes", sg, i, name, d, (int)v);
    if (mul_overflows(elems, (size_t)v, &elems))
      return xai_fail(err, XAI_ERR_FORMAT,
                      "subgraph %u tensor %u '%s': element count overflows",
                      sg, i, name);
  }
  size_t esize = xai_tensor_type_size(tt.type);
  size_t bytes = 0;
  if (mul_overflows(elems, esize, &bytes))
    return xai_fail(err, XAI_ERR_FORMAT,
                    "subgraph %u tensor %u '%s': byte size overflows", sg, i,
                    name);
  if (bytes > UINT32_MAX)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "subgraph %u tensor %u '%s' has %zu bytes; xai supports "
                    "tensors under 4 GiB", sg, i, name, bytes);
  t->bytes = (uint32_t)bytes;

  if (tt.quant.present && tt.quant.scale.count > 0) {
    if (tt.quant.scale.count > UINT16_MAX)
      return xai_fail(err, XAI_ERR_UNSUPPORTED,
                      "subgraph %u tensor %u '%s' has %u quantization "
                      "scales; xai supports up to %u", sg, i, name,
                      tt.quant.scale.count, (unsigned)UINT16_MAX);
    t->scale = tt.quant.scale.data[0];
    t->quant_count = (uint16_t)tt.quant.scale.count;
    /* An axis past the rank is kept as -1 (no axis), which every
     * per-channel check rejects, instead of a truncated number. */
    const int32_t qd = tt.quant.quantized_dimension;
    t->quant_dim = (int8_t)(qd >= 0 && qd < XAI_MAX_DIMS ? qd : -1);
    /* Kernels add zero points to element values in int32: one outside the
     * type's range is a corrupt model, refused here rather than left to
     * overflow in an op. */
    /* Other types keep zero points in int16 too (TFLite's int32 and
     * float quantization has zero point 0). */
    int64_t lo = INT16_MIN, hi = INT16_MAX;
    if (tt.type == XAI_TYPE_INT8) lo = -128, hi = 127;
    if (tt.type == XAI_TYPE_UINT8) lo = 0, hi = 255;
    for (uint32_t k = 0; k < tt.quant.zero_point.count; k++) {
      int64_t zp = xai_tfl_i64_at(tt.quant.zero_point, k);
      if (zp < lo || zp > hi)
        return xai_fail(err, XAI_ERR_FORMAT,
                        "subgraph %u tensor %u '%s' (%s): zero point %lld is "
                        "outside [%lld, %lld]", sg, i, name,
                        xai_tensor_type_name(tt.type), (long long)zp,
                        (long long)lo, (long long)hi);
    }
    t->zero_point = (int16_t)xai_tfl_i64_at(tt.quant.zero_point, 0);
  }

  xai_tfl_buffer buf = {0};
  if (tt.buffer != 0) xai_tfl_get_buffer(&ip->view, tt.buffer, &buf);
  bool has_data = buf.data != NULL && buf.size > 0;

  if (tt.is_variable) {
    if (esize == 0)
      return xai_fail(err, XAI_ERR_UNSUPPORTED,
                      "subgraph %u variable tensor %u '%s' has type %s, "
                      "which has no fixed element size", sg, i, name,
                      xai_tensor_type_name(tt.type));
    t->mem = XAI_MEM_PERSISTENT;
    if (bytes == 0) return XAI_OK;
    t->data = tail_alloc(ip, bytes);
    if (!t->data) return tail_full(ip, err);
    if (has_data && buf.size < bytes)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "subgraph %u variable tensor %u '%s' needs %zu bytes "
                      "but its buffer %u holds %zu", sg, i, name, bytes,
                      tt.buffer, buf.size);
    if (has_data)
      memcpy(t->data, buf.data, bytes);
    else /* TFLite ResetVariableTensor: int8 variables start at their zero
            point, all others at 0 */
      memset(t->data, tt.type == XAI_TYPE_INT8 ? (uint8_t)t->zero_point : 0,
             bytes);
    return XAI_OK;
  }
  if (has_data) {
    /* Types without a fixed element size (INT4, STRING) keep the buffer's
     * own length: the op that reads them knows their packing. */
    if (esize == 0) {
      if (buf.size > UINT32_MAX)
        return xai_fail(err, XAI_ERR_UNSUPPORTED,
                        "subgraph %u tensor %u '%s': buffer of %zu bytes; "
                        "xai supports tensors under 4 GiB", sg, i, name,
                        buf.size);
      bytes = t->bytes = (uint32_t)buf.size;
    }
    if (buf.size < bytes)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "subgraph %u tensor %u '%s' (%s, %zu elements) needs "
                      "%zu bytes but its buffer %u holds only %zu", sg, i,
                      name, xai_tensor_type_name(tt.type), elems, bytes,
                      tt.buffer, buf.size);
    t->mem = XAI_MEM_CONST;
    t->data = (void *)buf.data; /* ops must not write constants */
    if (esize > 1 && ((uintptr_t)buf.data % esize) != 0) {
      /* Converters align buffers to 16 bytes, but not every model does;
       * a copy in the tail lets ops read elements directly. */
      t->data = tail_alloc(ip, bytes);
      if (!t->data) return tail_full(ip, err);
      memcpy(t->data, buf.data, bytes);
    }
    return XAI_OK;
  }
  /* An activation: planned later if it has bytes and a lifetime. */
  t->mem = (bytes > 0) ? XAI_MEM_ARENA : XAI_MEM_NONE;
  return XAI_OK;
}

/* Subgraphs an op runs, from its options (IF, WHILE, CALL_ONCE, CALL). */
static xai_status find_calls(xai_interp *ip, uint32_t sg, uint32_t i,
                             xai_op_node *n, int32_t code, const char *name,
                             const xai_options *o, xai_error *err) {
  int32_t c[2] = {-1, -1};
  switch (code) {
    case XAI_OP_IF:
      c[0] = o->u.if_.then_subgraph_index;
      c[1] = o->u.if_.else_subgraph_index;
      break;
    case XAI_OP_WHILE:
      c[0] = o->u.while_.cond_subgraph_index;
      c[1] = o->u.while_.body_subgraph_index;
      break;
    case XAI_OP_CALL_ONCE:
      c[0] = o->u.call_once.init_subgraph_index;
      break;
    case XAI_OP_CALL:
      c[0] = (int32_t)o->u.call.subgraph;
      break;
    default:
      return XAI_OK;
  }
  n->call_count = 0;
  for (int k = 0; k < 2; k++) {
    if (c[k] == -1 && k == 1) continue;
    if (c[k] < 0 || (uint32_t)c[k] >= ip->subgraph_count)
      return xai_fail(err, XAI_ERR_FORMAT,
                      "subgraph %u op %u %s: calls subgraph %d but the model "
                      "has %u subgraphs", sg, i, name, (int)c[k],
                      ip->subgraph_count);
    n->calls[n->call_count++] = (uint16_t)c[k];
  }
  return XAI_OK;
}

/* Lists every op type the resolver lacks (each with its first op), so one
 * run shows all the work missing, not just the first gap. */
typedef struct {
  int32_t code;
  const char *custom;
  uint32_t sg, op;
} missing_op;
#define MAX_MISSING_LISTED 40

static xai_status resolve_ops(xai_interp *ip, const xai_op_resolver *r,
                              xai_error *err) {
  missing_op missing[MAX_MISSING_LISTED];
  uint32_t distinct = 0, total = 0, ops = 0;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++, ops++) {
      xai_tfl_operator top;
      xai_tfl_opcode oc;
      xai_tfl_get_operator(&ip->view, sg, i, &top);
      xai_tfl_get_opcode(&ip->view, top.opcode_index, &oc);
      const char *custom =
          oc.builtin_code == XAI_OP_CUSTOM ? oc.custom_code : NULL;
      const xai_op_registration *reg =
          xai_resolver_find(r, oc.builtin_code, custom);
      s->ops[i].reg = reg;
      if (reg) continue;
      total++;
      bool seen = false;
      for (uint32_t k = 0; k < distinct && k < MAX_MISSING_LISTED; k++)
        if (missing[k].code == oc.builtin_code &&
            (missing[k].custom == custom ||
             (custom && missing[k].custom &&
              strcmp(custom, missing[k].custom) == 0)))
          seen = true;
      if (seen) continue;
      if (distinct < MAX_MISSING_LISTED)
        missing[distinct] = (missing_op){oc.builtin_code, custom, sg, i};
      distinct++;
    }
  }
  if (total == 0) return XAI_OK;
  char msg[XAI_ERROR_MESSAGE_BYTES];
  size_t len = 0;
  len += (size_t)snprintf(msg, sizeof msg,
                          "%u of %u ops have no kernel in xai (rewrite the "
                          "model without them; `xai ops` lists the ops that "
                          "run); op types (custom ops quoted):", total, ops);
  for (uint32_t k = 0; k < distinct && k < MAX_MISSING_LISTED; k++) {
    char nb[24];
    xai_tfl_opcode oc = {.builtin_code = missing[k].code,
                         .custom_code = missing[k].custom};
    const char *nm = op_type_name(&oc, nb, sizeof nb);
    char where[40], sig[160];
    xai_interp_op_where(missing[k].sg, missing[k].op, where, sizeof where);
    /* Tensor types while the line stays short (512-byte messages). */
    sig[0] = 0;
    if (distinct <= 4) {
      sig[0] = ':', sig[1] = ' ';
      xai_interp_op_signature(&ip->view, missing[k].sg, missing[k].op, 0,
                              sig + 2, sizeof sig - 2);
    }
    const char *q = missing[k].code == XAI_OP_CUSTOM ? "'" : "";
    if (len < sizeof msg)
      len += (size_t)snprintf(msg + len, sizeof msg - len, "%s %s%s%s (%s%s)",
                              k ? "," : "", q, nm, q, where, sig);
  }
  if (distinct > MAX_MISSING_LISTED && len < sizeof msg)
    len += (size_t)snprintf(msg + len, sizeof msg - len,
                            ", and %u more types",
                            distinct - MAX_MISSING_LISTED);
  if (total == 1) { /* one op: the same line as an unsupported type */
    char where[40], sig[256], hint[256];
    xai_tfl_opcode oc = {.builtin_code = missing[0].code,
                         .custom_code = missing[0].custom};
    char nb[24];
    xai_interp_op_where(missing[0].sg, missing[0].op, where, sizeof where);
    xai_interp_op_signature(&ip->view, missing[0].sg, missing[0].op, 1, sig,
                            sizeof sig);
    xai_interp_unsupported_hint(missing[0].code, missing[0].custom, hint,
                                sizeof hint);
    return xai_fail(err, XAI_ERR_UNSUPPORTED, "%s %s (%s): %s", where,
                    op_type_name(&oc, nb, sizeof nb), sig, hint);
  }
  return xai_fail(err, XAI_ERR_UNSUPPORTED, "%s", msg);
}

static xai_status setup_subgraphs(xai_interp *ip, xai_error *err) {
  uint32_t base = 0;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    xai_sg_state *s = &ip->subgraphs[sg];
    xai_tfl_subgraph ts;
    xai_tfl_get_subgraph(&ip->view, sg, &ts);
    s->tensor_count = ts.tensor_count;
    s->op_count = ts.operator_count;
    s->inputs = ts.inputs;
    s->outputs = ts.outputs;
    s->tensor_base = base;
    if (ts.tensor_count > UINT32_MAX - base)
      return xai_fail(err, XAI_ERR_FORMAT, "too many tensors");
    base += ts.tensor_count;
    for (int io = 0; io < 2; io++) {
      xai_i32_span sp = io ? ts.outputs : ts.inputs;
      for (uint32_t k = 0; k < sp.count; k++)
        if (sp.data[k] < 0 || (uint32_t)sp.data[k] >= ts.tensor_count)
          return xai_fail(err, XAI_ERR_FORMAT,
                          "subgraph %u %s %u is tensor %d but the subgraph "
                          "has %u tensors", sg, io ? "output" : "input", k,
                          (int)sp.data[k], ts.tensor_count);
    }
    if (s->tensor_count) {
      s->tensors = tail_alloc(ip, sizeof(xai_rt_tensor) * s->tensor_count);
      if (!s->tensors) return tail_full(ip, err);
    }
    if (s->op_count) {
      s->ops = tail_alloc(ip, sizeof(xai_op_node) * s->op_count);
      if (!s->ops) return tail_full(ip, err);
      memset(s->ops, 0, sizeof(xai_op_node) * s->op_count);
    }
    for (uint32_t i = 0; i < s->tensor_count; i++) {
      xai_status st = setup_tensor(ip, sg, i, &s->tensors[i], err);
      if (st) return st;
    }
  }
  return XAI_OK;
}

/* A builtin op must carry its own options table or none: the union is
 * decoded by the type the file names, so another op's table would be read
 * as this op's fields (options_expected.c). */
static xai_status check_options_type(uint32_t sg, uint32_t i, int32_t code,
                                     const char *name, uint8_t type,
                                     xai_error *err) {
  uint8_t want = 0;
  if (code == XAI_OP_CUSTOM || xai_builtin_options_ok(code, type, &want))
    return XAI_OK;
  char where[40], found[24];
  xai_interp_op_where(sg, i, where, sizeof where);
  const char *fn = xai_options_union_name(type);
  if (!fn) {
    snprintf(found, sizeof found, "union type %u", (unsigned)type);
    fn = found;
  }
  if (want == 0)
    return xai_fail(err, XAI_ERR_FORMAT,
                    "%s %s: builtin options are %s, but %s takes none (the "
                    "model is damaged or was written by a broken converter)",
                    where, name, fn, name);
  return xai_fail(err, XAI_ERR_FORMAT,
                  "%s %s: builtin options are %s, but %s takes %s or none "
                  "(the model is damaged or was written by a broken "
                  "converter)", where, name, fn, name,
                  xai_options_union_name(want));
}

static xai_status setup_ops(xai_interp *ip, xai_error *err) {
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++) {
      xai_op_node *n = &s->ops[i];
      xai_tfl_operator top;
      xai_tfl_opcode oc;
      xai_tfl_get_operator(&ip->view, sg, i, &top);
      xai_tfl_get_opcode(&ip->view, top.opcode_index, &oc);
      char nb[24];
      const char *name = op_type_name(&oc, nb, sizeof nb);
      for (int io = 0; io < 2; io++) {
        xai_i32_span sp = io ? top.outputs : top.inputs;
        for (uint32_t k = 0; k < sp.count; k++)
          if (sp.data[k] < -1 || sp.data[k] >= (int32_t)s->tensor_count ||
              (io && sp.data[k] < 0))
            return xai_fail(err, XAI_ERR_FORMAT,
                            "subgraph %u op %u %s: %s %u is tensor %d but "
                            "the subgraph has %u tensors", sg, i, name,
                            io ? "output" : "input", k, (int)sp.data[k],
                            s->tensor_count);
      }
      xai_error oerr;
      xai_error_clear(&oerr);
      xai_options o;
      if (xai_tfl_get_options(&ip->view, &top, &o, &oerr) != XAI_OK)
        return xai_fail(err, oerr.status, "subgraph %u op %u %s: %s", sg, i,
                        name, oerr.message);
      xai_status st = check_options_type(sg, i, oc.builtin_code, name,
                                         o.type, err);
      if (st) return st;
      st = find_calls(ip, sg, i, n, oc.builtin_code, name, &o, err);
      if (st) return st;
    }
  }
  return XAI_OK;
}

static xai_status prepare_ops(xai_interp *ip, xai_error *err) {
  ip->phase = XAI_PHASE_PREPARE;
  xai_op_slot slot;
  slot.node = NULL;
  for (uint32_t sg = 0; sg < ip->subgraph_count; sg++) {
    xai_sg_state *s = &ip->subgraphs[sg];
    for (uint32_t i = 0; i < s->op_count; i++) {
      xai_op_node *n = &s->ops[i];
      if (!n->reg->prepare) continue;
      xai_op_ctx *ctx = xai_interp_load_op(ip, &slot, sg, i);
      ctx->err = err;
      if (err) xai_error_clear(err);
      xai_status st = n->reg->prepare(ctx);
      n->data = ctx->data;
      if (ip->out_of_memory) {
        xai_error_clear(err); /* the op's own message is less useful */
        return tail_full(ip, err);
      }
      if (st != XAI_OK) {
        if (err && err->status == XAI_OK)
          xai_op_fail(ctx, st, "prepare failed (%s)",
                      xai_status_name(st));
        if (st == XAI_ERR_UNSUPPORTED)
          xai_interp_fail_unsupported(ip, sg, i, ctx->op_name, err);
        return st;
      }
    }
  }
  return XAI_OK;
}

xai_status xai_interp_init_measure(xai_interp **out,
                                   const xai_interp_config *cfg,
                                   xai_error *err, size_t *needed,
                                   bool *needed_exact) {
  *out = NULL;
  xai_error_clear(err);
  if (needed) *needed = 0;
  if (needed_exact) *needed_exact = false;
  if (!cfg || !cfg->model || !cfg->arena)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xai_interp_init: model and arena are required");
  if ((uintptr_t)cfg->arena % XAI_ARENA_ALIGN != 0)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xai_interp_init: the arena must be %u-byte aligned",
                    XAI_ARENA_ALIGN);
  xai_tfl_view view;
  xai_status st = xai_tfl_open(&view, cfg->model, cfg->model_size, err);
  if (st) return st;
  if (xai_tfl_subgraph_count(&view) == 0)
    return xai_fail(err, XAI_ERR_FORMAT, "the model has no subgraphs");

  xai_tail tail;
  xai_tail_init(&tail, cfg->arena, cfg->arena_size);
  xai_interp *ip = xai_tail_alloc(&tail, sizeof *ip, 0);
  if (!ip) {
    if (needed) *needed = tail.shortfall_min;
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "arena of %zu bytes is too small for the interpreter "
                    "state", cfg->arena_size);
  }
  memset(ip, 0, sizeof *ip);
  ip->view = view;
  ip->arena_size = cfg->arena_size;
  ip->tail = tail;
  ip->hook = cfg->hook;
  ip->hook_user = cfg->hook_user;
  ip->params = cfg->params;
  ip->clock_mhz = cfg->clock_mhz ? cfg->clock_mhz : XAI_XCORE_CLOCK_MHZ_DEFAULT;
  ip->semantics = cfg->semantics != XAI_SEMANTICS_MODEL
                      ? cfg->semantics
                      : xai_view_semantics(&view);
  {
    /* Checked once here; read again from the view when costing, so the
     * interpreter's state (in the arena) does not grow. */
    xai_tile_par par;
    st = xai_tile_par_load(&par, &view, err);
    if (st) return st;
  }
  ip->phase = XAI_PHASE_INIT;
  ip->subgraph_count = xai_tfl_subgraph_count(&view);
  if (ip->subgraph_count > XAI_MAX_SUBGRAPHS)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "the model has %u subgraphs; xai supports up to %u",
                    ip->subgraph_count, (unsigned)XAI_MAX_SUBGRAPHS);
  ip->subgraphs = tail_alloc(ip, sizeof(xai_sg_state) * ip->subgraph_count);
  if (!ip->subgraphs) st = tail_full(ip, err);
  if (!st) {
    memset(ip->subgraphs, 0, sizeof(xai_sg_state) * ip->subgraph_count);
    st = setup_subgraphs(ip, err);
  }
  const xai_op_resolver *resolver = cfg->resolver;
#ifndef XAI_DEVICE_LIB
  if (!resolver) resolver = xai_all_ops_resolver();
#else
  /* The device library has no default, so a firmware links only the
   * kernels its resolver names. */
  if (!st && !resolver)
    st = xai_fail(err, XAI_ERR_ARGUMENT,
                  "no op resolver: pass xai_all_ops_resolver() or the one "
                  "xformer --emit-c wrote for the model");
#endif
  if (!st) st = resolve_ops(ip, resolver, err);
  if (!st) st = setup_ops(ip, err);
  if (!st) st = prepare_ops(ip, err);
  if (!st) st = xai_interp_plan(ip, cfg->planner, err);
  if (st) {
    if (needed) {
      if (ip->out_of_memory) {
        *needed = ip->tail.shortfall_min;
      } else if (st == XAI_ERR_NO_MEMORY && ip->plan_bytes) {
        /* Exact once the plan was placed (head known); before that, the
         * plan array alone did not fit: a lower bound. */
        *needed = xai_interp_arena_used(ip);
        if (needed_exact) *needed_exact = ip->plan_count > 0;
      }
    }
    return st;
  }
  ip->phase = XAI_PHASE_READY;
  if (needed) *needed = xai_interp_arena_used(ip);
  if (needed_exact) *needed_exact = true;
  *out = ip;
  return XAI_OK;
}

xai_status xai_interp_init(xai_interp **out, const xai_interp_config *cfg,
                           xai_error *err) {
  return xai_interp_init_measure(out, cfg, err, NULL, NULL);
}

/* The plan is built in the head's space, so the arena needs the larger of
 * the two (see xai_interp_plan). */
