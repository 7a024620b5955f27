/* One-line messages for ops xai cannot run: the op as `xai inspect`
 * numbers it ("op N", or "subgraph S op N" outside the main subgraph), its
 * tensors' types and shapes, why, and what would make it run. */
#include <stdio.h>
#include <string.h>

#include "interp_internal.h"
#include "xai/op_catalog.h"

void xai_interp_op_where(uint32_t sg, uint32_t op, char *buf, size_t size) {
  if (sg)
    snprintf(buf, size, "subgraph %u op %u", sg, op);
  else
    snprintf(buf, size, "op %u", op);
}

static size_t put_tensor(const xai_tfl_view *v, uint32_t sg, int32_t t,
                         int shapes, char *buf, size_t size) {
  if (t < 0) return (size_t)snprintf(buf, size, "-");
  xai_tfl_tensor tt;
  xai_tfl_get_tensor(v, sg, (uint32_t)t, &tt);
  if (!shapes) return (size_t)snprintf(buf, size, "%s", xai_tensor_type_name(tt.type));
  size_t n = (size_t)snprintf(buf, size, "%s[", xai_tensor_type_name(tt.type));
  for (uint32_t d = 0; d < tt.shape.count && n < size; d++)
    n += (size_t)snprintf(buf + n, size - n, "%s%d", d ? "," : "",
                          (int)tt.shape.data[d]);
  if (n < size) n += (size_t)snprintf(buf + n, size - n, "]");
  return n;
}

/* Ops with more than 4 inputs or outputs (an LSTM has 24) list a run of
 * equal entries once with its count ("INT8[4,4] x4", "- x3"), so the line
 * stays readable. */
void xai_interp_op_signature(const xai_tfl_view *v, uint32_t sg, uint32_t op,
                             int shapes, char *buf, size_t size) {
  xai_tfl_operator top;
  xai_tfl_get_operator(v, sg, op, &top);
  size_t n = 0;
  buf[0] = 0;
  for (int io = 0; io < 2 && n < size; io++) {
    const xai_i32_span sp = io ? top.outputs : top.inputs;
    if (io) n += (size_t)snprintf(buf + n, size - n, " ->");
    char cur[64], next[64];
    for (uint32_t k = 0; k < sp.count && n < size;) {
      put_tensor(v, sg, sp.data[k], shapes, cur, sizeof cur);
      uint32_t run = 1;
      while (sp.count > 4 && k + run < sp.count) {
        put_tensor(v, sg, sp.data[k + run], shapes, next, sizeof next);
        if (strcmp(cur, next)) break;
        run++;
      }
      n += (size_t)snprintf(buf + n, size - n, "%s%s", (k || io) ? " " : "",
                            cur);
      if (run > 1 && n < size)
        n += (size_t)snprintf(buf + n, size - n, " x%u", run);
      k += run;
    }
  }
}

void xai_interp_unsupported_hint(int32_t code, const char *custom, char *buf,
                                 size_t size) {
  const xai_op_info *info = xai_op_catalog_find(code, custom);
  if (info)
    snprintf(buf, size, "xai runs it with %s%s%s (`xai ops` lists every op)",
             info->types, info->note[0] ? "; " : "", info->note);
  else if (custom)
    snprintf(buf, size,
             "xai has no kernel for custom op '%s': remove it or replace it "
             "with builtins (`xai ops` lists the ops that run)", custom);
  else
    snprintf(buf, size,
             "xai has no kernel for this builtin: rewrite the model without "
             "it (`xai ops` lists the ops that run)");
}

void xai_interp_fail_unsupported(xai_interp *ip, uint32_t sg, uint32_t op,
                                 const char *op_name, xai_error *err) {
  if (!err) return;
  xai_tfl_operator top;
  xai_tfl_opcode oc;
  xai_tfl_get_operator(&ip->view, sg, op, &top);
  xai_tfl_get_opcode(&ip->view, top.opcode_index, &oc);
  char where[48], sig[256], hint[256], why[XAI_ERROR_MESSAGE_BYTES];
  xai_interp_op_where(sg, op, where, sizeof where);
  xai_interp_op_signature(&ip->view, sg, op, 1, sig, sizeof sig);
  const char *custom = oc.builtin_code == XAI_OP_CUSTOM ? oc.custom_code : NULL;
  xai_interp_unsupported_hint(oc.builtin_code, custom, hint, sizeof hint);
  /* The op's own reason, without the "op N NAME: " prefix xai_op_fail put. */
  snprintf(why, sizeof why, "%s", err->message);
  const char *reason = why;
  char prefix[96];
  snprintf(prefix, sizeof prefix, "%s %s: ", where, op_name);
  if (!strncmp(reason, prefix, strlen(prefix))) reason += strlen(prefix);
  xai_error_clear(err);
  xai_fail(err, XAI_ERR_UNSUPPORTED, "%s %s (%s): %s; %s", where, op_name,
           sig, reason, hint);
}
