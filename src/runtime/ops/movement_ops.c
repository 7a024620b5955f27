/* SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND,
 * MIRROR_PAD, REVERSE_V2, BROADCAST_TO: data movement with constant shape
 * operands, in the types TFLite Micro takes for each. */
#include <string.h>

#include "elementwise_internal.h"
#include "shape_internal.h"
#include "xai/kernels_ref/movement.h"

typedef enum { M_S2D, M_D2S, M_S2B, M_B2S, M_MIRROR, M_REVERSE, M_BCAST } m_kind;

typedef struct {
  m_kind kind;
  size_t elem;
  xai_shape in, out;
  int32_t d4[4], o4[4], block[2], pads[2 * XAI_SHAPE_MAX_RANK];
  int32_t bs;
  uint32_t mask;
  int symmetric;
  uint8_t pad_value[8];
} move_data;

static const int8_t k_f32_s8[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8};
static const int8_t k_reverse[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                   XAI_TYPE_INT16, XAI_TYPE_INT32,
                                   XAI_TYPE_INT64, XAI_TYPE_BOOL,
                                   XAI_TYPE_UINT8};
static const int8_t k_bcast[] = {XAI_TYPE_FLOAT32, XAI_TYPE_INT8,
                                 XAI_TYPE_INT16, XAI_TYPE_INT32,
                                 XAI_TYPE_INT64, XAI_TYPE_BOOL,
                                 XAI_TYPE_UINT8};

/* A constant int operand with up to max values. */
static xai_status const_ints(xai_op_ctx *ctx, uint32_t i, const char *what,
                             int32_t *v, size_t max, size_t *n) {
  xai_rt_tensor *t;
  xai_status st = xai_shape_op_input(ctx, i, what, &t);
  if (st) return st;
  if (!xai_shape_op_is_const(t))
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "%s must be a constant tensor", what);
  return xai_shape_op_read_ints(ctx, t, what, v, max, n);
}

static xai_status to4(xai_op_ctx *ctx, const xai_shape *s, int32_t d[4]) {
  if (s->rank == 4) {
    memcpy(d, s->dims, 4 * sizeof d[0]);
  } else if (s->rank == 3) {
    d[0] = s->dims[0], d[1] = s->dims[1], d[2] = 1, d[3] = s->dims[2];
  } else {
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "input has rank %d; expected 3 or 4", (int)s->rank);
  }
  return XAI_OK;
}

static xai_status prepare(xai_op_ctx *ctx, m_kind kind, const int8_t *types,
                          size_t ntypes) {
  xai_rt_tensor *in, *out;
  xai_status st = xai_shape_op_input(ctx, 0, "input", &in);
  if (!st) st = xai_shape_op_output(ctx, 0, &out);
  if (!st) st = xai_ew_check_type(ctx, in, "input", types, ntypes);
  if (!st) st = xai_shape_op_same_type(ctx, in, "input", out, "output");
  if (st) return st;
  move_data *d = xai_ew_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->kind = kind;
  d->elem = xai_shape_op_elem_size(in->type);
  if ((st = xai_shape_op_shape(ctx, in, "input", &d->in))) return st;
  xai_shape *o = &d->out;
  *o = d->in;
  size_t n;
  int32_t v[2 * XAI_SHAPE_MAX_RANK];
  switch (kind) {
    case M_S2D:
    case M_D2S: {
      const int32_t bs = kind == M_S2D ? ctx->options->u.space_to_depth.block_size
                                       : ctx->options->u.depth_to_space.block_size;
      if (d->in.rank != 4 || bs < 1)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "needs a 4-D input and block_size >= 1 (got rank "
                           "%d, block_size %d)", (int)d->in.rank, (int)bs);
      d->bs = bs;
      memcpy(d->d4, d->in.dims, sizeof d->d4);
      if (kind == M_S2D) {
        if (d->in.dims[1] % bs || d->in.dims[2] % bs)
          return xai_op_fail(ctx, XAI_ERR_FORMAT,
                             "height and width must divide by block_size %d",
                             (int)bs);
        o->dims[1] /= bs, o->dims[2] /= bs, o->dims[3] *= bs * bs;
      } else {
        if (d->in.dims[3] % (bs * bs))
          return xai_op_fail(ctx, XAI_ERR_FORMAT,
                             "depth must divide by block_size^2 (%d)",
                             (int)(bs * bs));
        o->dims[1] *= bs, o->dims[2] *= bs, o->dims[3] /= bs * bs;
      }
      break;
    }
    case M_S2B:
    case M_B2S: {
      if ((st = to4(ctx, &d->in, d->d4))) return st;
      if ((st = const_ints(ctx, 1, "block_shape", v, 2, &n))) return st;
      const size_t sp = d->in.rank - 2;
      if (n != sp)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "block_shape has %zu values; expected %zu", n, sp);
      d->block[0] = v[0], d->block[1] = sp == 2 ? v[1] : 1;
      if ((st = const_ints(ctx, 2, kind == M_S2B ? "paddings" : "crops", v,
                           4, &n)))
        return st;
      if (n != 2 * sp)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "paddings/crops have %zu values; expected %zu", n,
                           2 * sp);
      d->pads[0] = v[0], d->pads[1] = v[1];
      d->pads[2] = sp == 2 ? v[2] : 0, d->pads[3] = sp == 2 ? v[3] : 0;
      const int32_t bb = d->block[0] * d->block[1];
      if (d->block[0] < 1 || d->block[1] < 1)
        return xai_op_fail(ctx, XAI_ERR_FORMAT, "block_shape must be >= 1");
      for (int k = 0; k < 4; k++)
        if (d->pads[k] < 0)
          return xai_op_fail(ctx, XAI_ERR_FORMAT, "negative padding/crop");
      int32_t *o4 = d->o4;
      o4[3] = d->d4[3];
      if (kind == M_S2B) {
        const int32_t ph = d->d4[1] + d->pads[0] + d->pads[1];
        const int32_t pw = d->d4[2] + d->pads[2] + d->pads[3];
        if (ph % d->block[0] || pw % d->block[1])
          return xai_op_fail(ctx, XAI_ERR_FORMAT,
                             "padded size must divide by the block shape");
        o4[0] = d->d4[0] * bb, o4[1] = ph / d->block[0], o4[2] = pw / d->block[1];
      } else {
        if (d->d4[0] % bb)
          return xai_op_fail(ctx, XAI_ERR_FORMAT,
                             "batch %d must divide by the block size %d",
                             (int)d->d4[0], (int)bb);
        o4[0] = d->d4[0] / bb;
        o4[1] = d->d4[1] * d->block[0] - d->pads[0] - d->pads[1];
        o4[2] = d->d4[2] * d->block[1] - d->pads[2] - d->pads[3];
        if (o4[1] < 0 || o4[2] < 0)
          return xai_op_fail(ctx, XAI_ERR_FORMAT, "crops exceed the input");
      }
      o->dims[0] = o4[0], o->dims[1] = o4[1];
      if (sp == 2) o->dims[2] = o4[2], o->dims[3] = o4[3];
      else o->dims[2] = o4[3];
      /* TFLM pads with raw 0, not the zero point (pad_value stays 0). */
      break;
    }
    case M_MIRROR: {
      if ((st = const_ints(ctx, 1, "paddings", v, 2 * XAI_SHAPE_MAX_RANK, &n)))
        return st;
      if (n != 2 * (size_t)d->in.rank)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "paddings have %zu values; expected %d", n,
                           (int)(2 * d->in.rank));
      d->symmetric = ctx->options->u.mirror_pad.mode == 1;
      for (int32_t k = 0; k < d->in.rank; k++) {
        const int32_t lim = d->in.dims[k] - (d->symmetric ? 0 : 1);
        if (v[2 * k] < 0 || v[2 * k + 1] < 0 || v[2 * k] > lim ||
            v[2 * k + 1] > lim)
          return xai_op_fail(ctx, XAI_ERR_FORMAT,
                             "padding of dimension %d must be in [0, %d]",
                             (int)k, (int)lim);
        d->pads[2 * k] = v[2 * k], d->pads[2 * k + 1] = v[2 * k + 1];
        o->dims[k] += v[2 * k] + v[2 * k + 1];
      }
      break;
    }
    case M_REVERSE: {
      if ((st = const_ints(ctx, 1, "axis", v, XAI_SHAPE_MAX_RANK, &n))) return st;
      for (size_t k = 0; k < n; k++) {
        int32_t a;
        if ((st = xai_shape_op_axis(ctx, v[k], d->in.rank, &a))) return st;
        d->mask |= 1u << a;
      }
      break;
    }
    case M_BCAST: {
      if ((st = const_ints(ctx, 1, "shape", v, XAI_SHAPE_MAX_RANK, &n))) return st;
      if ((int32_t)n < d->in.rank)
        return xai_op_fail(ctx, XAI_ERR_FORMAT,
                           "shape has rank %zu, below the input's %d", n,
                           (int)d->in.rank);
      o->rank = (int32_t)n;
      for (size_t k = 0; k < n; k++) {
        o->dims[k] = v[k];
        const int32_t i = (int32_t)k - ((int32_t)n - d->in.rank);
        if (i >= 0 && d->in.dims[i] != 1 && d->in.dims[i] != v[k])
          return xai_op_fail(ctx, XAI_ERR_FORMAT,
                             "input dimension %d (%d) does not broadcast to %d",
                             (int)i, (int)d->in.dims[i], (int)v[k]);
      }
      break;
    }
  }
  return xai_shape_op_check_dims(ctx, out, "output", o);
}

static xai_status eval(xai_op_ctx *ctx) {
  const move_data *d = ctx->data;
  const void *in = xai_op_input(ctx, 0)->data;
  void *out = xai_op_output(ctx, 0)->data;
  switch (d->kind) {
    case M_S2D: xai_space_to_depth_ref(d->d4, d->bs, d->elem, in, out); break;
    case M_D2S: xai_depth_to_space_ref(d->d4, d->bs, d->elem, in, out); break;
    case M_S2B:
      xai_space_to_batch_ref(d->d4, d->block, d->pads, d->elem, d->pad_value,
                             in, out);
      break;
    case M_B2S:
      xai_batch_to_space_ref(d->d4, d->block, d->pads, d->o4, d->elem, in, out);
      break;
    case M_MIRROR:
      xai_mirror_pad_ref(&d->in, d->pads, d->symmetric, d->elem, in, out);
      break;
    case M_REVERSE: xai_reverse_ref(&d->in, d->mask, d->elem, in, out); break;
    case M_BCAST: xai_broadcast_to_ref(&d->in, &d->out, d->elem, in, out); break;
  }
  return XAI_OK;
}

#define MOVE(name, code, kind, types)                                     \
  static xai_status prepare_##name(xai_op_ctx *ctx) {                     \
    return prepare(ctx, kind, types, sizeof types / sizeof types[0]);     \
  }                                                                       \
  const xai_op_registration xai_op_##name = {code, NULL, prepare_##name,  \
                                             eval, NULL};
MOVE(space_to_depth, XAI_OP_SPACE_TO_DEPTH, M_S2D, k_f32_s8)
MOVE(depth_to_space, XAI_OP_DEPTH_TO_SPACE, M_D2S, k_f32_s8)
MOVE(space_to_batch_nd, XAI_OP_SPACE_TO_BATCH_ND, M_S2B, k_f32_s8)
MOVE(batch_to_space_nd, XAI_OP_BATCH_TO_SPACE_ND, M_B2S, k_f32_s8)
MOVE(mirror_pad, XAI_OP_MIRROR_PAD, M_MIRROR, k_f32_s8)
MOVE(reverse_v2, XAI_OP_REVERSE_V2, M_REVERSE, k_reverse)
MOVE(broadcast_to, XAI_OP_BROADCAST_TO, M_BCAST, k_bcast)
