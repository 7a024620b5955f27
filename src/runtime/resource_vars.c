/* The interpreter's resource variables (runtime.h): a fixed table in the
 * persistent tail, made by the first VAR_HANDLE's prepare. */
#include <string.h>

#include "interp_internal.h"

#define XAI_MAX_RESOURCE_VARS 16
#define XAI_MAX_RESOURCE_HANDLES 32

/* Names point into the model bytes, which outlive the interpreter's use. */
typedef struct {
  const char *container, *shared_name;
  void *data;
  size_t bytes;
} resource_var;

/* A VAR_HANDLE output tensor and the variable it names. */
typedef struct {
  uint32_t subgraph;
  int32_t tensor, id;
} resource_handle;

struct xai_resource_vars {
  uint32_t count, handle_count;
  resource_var var[XAI_MAX_RESOURCE_VARS];
  resource_handle handle[XAI_MAX_RESOURCE_HANDLES];
};

static struct xai_resource_vars *table(const xai_interp *ip) {
  return ip->vars_at ? (struct xai_resource_vars *)(void *)(
                           (uint8_t *)ip->tail.base + ip->vars_at - 1)
                     : NULL;
}

static int32_t bind(xai_op_ctx *ctx, int32_t id) {
  struct xai_resource_vars *v = table(ctx->interp);
  if (ctx->output_count < 1 || ctx->outputs[0] < 0) return id;
  if (v->handle_count >= XAI_MAX_RESOURCE_HANDLES) {
    xai_op_fail(ctx, XAI_ERR_UNSUPPORTED, "more than %d VAR_HANDLE ops",
                XAI_MAX_RESOURCE_HANDLES);
    return -1;
  }
  v->handle[v->handle_count++] =
      (resource_handle){ctx->subgraph, ctx->outputs[0], id};
  return id;
}

int32_t xai_op_resource_of_input(xai_op_ctx *ctx, uint32_t i) {
  const struct xai_resource_vars *v = table(ctx->interp);
  const int32_t t = i < ctx->input_count ? ctx->inputs[i] : -1;
  for (uint32_t k = 0; v && t >= 0 && k < v->handle_count; k++)
    if (v->handle[k].subgraph == ctx->subgraph && v->handle[k].tensor == t)
      return v->handle[k].id;
  xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
              "input %u is not the output of a VAR_HANDLE earlier in this "
              "subgraph (resource handles passed between subgraphs are not "
              "supported)", i + 1);
  return -1;
}

int32_t xai_op_resource_id(xai_op_ctx *ctx, const char *container,
                           const char *shared_name) {
  xai_interp *ip = ctx->interp;
  struct xai_resource_vars *v = table(ip);
  if (!v) {
    v = xai_op_alloc_persistent(ctx, sizeof *v);
    if (!v) {
      xai_op_fail(ctx, XAI_ERR_NO_MEMORY,
                  "arena full: the resource variable table (%zu bytes) "
                  "does not fit", sizeof *v);
      return -1;
    }
    memset(v, 0, sizeof *v);
    ip->vars_at = (uint32_t)((uint8_t *)v - (uint8_t *)ip->tail.base) + 1;
  }
  if (!container) container = "";
  if (!shared_name) shared_name = "";
  for (uint32_t i = 0; i < v->count; i++)
    if ((!container[0] || !strcmp(container, v->var[i].container)) &&
        !strcmp(shared_name, v->var[i].shared_name))
      return bind(ctx, (int32_t)i);
  if (v->count >= XAI_MAX_RESOURCE_VARS) {
    xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                "more than %d resource variables", XAI_MAX_RESOURCE_VARS);
    return -1;
  }
  resource_var *r = &v->var[v->count];
  r->container = container;
  r->shared_name = shared_name;
  return bind(ctx, (int32_t)v->count++);
}

static resource_var *find(xai_op_ctx *ctx, int32_t id) {
  struct xai_resource_vars *v = table(ctx->interp);
  if (!v || id < 0 || (uint32_t)id >= v->count) return NULL;
  return &v->var[id];
}

xai_status xai_op_resource_allocate(xai_op_ctx *ctx, int32_t id,
                                    size_t bytes, uint8_t fill) {
  resource_var *r = find(ctx, id);
  if (!r)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "resource variable %d does not exist", (int)id);
  if (r->data) {
    if (r->bytes == bytes) return XAI_OK;
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "resource variable '%s' holds %zu bytes; this value "
                       "has %zu", r->shared_name, r->bytes, bytes);
  }
  r->data = xai_op_alloc_persistent(ctx, bytes ? bytes : 1);
  if (!r->data)
    return xai_op_fail(ctx, XAI_ERR_NO_MEMORY,
                       "arena full: resource variable '%s' (%zu bytes) does "
                       "not fit", r->shared_name, bytes);
  memset(r->data, fill, bytes);
  r->bytes = bytes;
  return XAI_OK;
}

void *xai_op_resource_data(xai_op_ctx *ctx, int32_t id, size_t *bytes) {
  resource_var *r = find(ctx, id);
  if (!r || !r->data) return NULL;
  *bytes = r->bytes;
  return r->data;
}
