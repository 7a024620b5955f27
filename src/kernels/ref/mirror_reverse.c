/* MIRROR_PAD, REVERSE_V2, BROADCAST_TO (TFLite Micro mirror_pad.cc,
 * reverse.cc, broadcast_to.cc): each output element copied from the input
 * element its index maps to. */
#include <string.h>

#include "xai/kernels_ref/movement.h"

/* Walks the output shape; map(d, i) gives the input coordinate. */
static void gather_walk(const xai_shape *in, const xai_shape *out,
                        int32_t (*map)(const void *, int32_t, int32_t),
                        const void *arg, size_t elem, const void *src,
                        void *dst) {
  size_t count = 1;
  for (int32_t d = 0; d < out->rank; d++) count *= (size_t)out->dims[d];
  int32_t idx[XAI_SHAPE_MAX_RANK] = {0};
  const int32_t lead = out->rank - in->rank;
  for (size_t o = 0; o < count; o++) {
    size_t ii = 0;
    for (int32_t d = lead; d < out->rank; d++)
      ii = ii * (size_t)in->dims[d - lead] + (size_t)map(arg, d, idx[d]);
    memcpy((uint8_t *)dst + o * elem, (const uint8_t *)src + ii * elem, elem);
    for (int32_t d = out->rank - 1; d >= 0; d--) {
      if (++idx[d] < out->dims[d]) break;
      idx[d] = 0;
    }
  }
}

typedef struct {
  const xai_shape *in;
  const int32_t *pads;
  int symmetric;
} mirror_arg;

static int32_t mirror_map(const void *p, int32_t d, int32_t i) {
  const mirror_arg *a = p;
  const int32_t before = a->pads[2 * d], n = a->in->dims[d];
  if (i < before) return a->symmetric ? before - 1 - i : before - i;
  i -= before;
  if (i < n) return i;
  i -= n;
  return a->symmetric ? n - 1 - i : n - 2 - i;
}

void xai_mirror_pad_ref(const xai_shape *in_shape, const int32_t *pads,
                        int symmetric, size_t elem, const void *in,
                        void *out) {
  xai_shape o = *in_shape;
  for (int32_t d = 0; d < o.rank; d++)
    o.dims[d] += pads[2 * d] + pads[2 * d + 1];
  mirror_arg a = {in_shape, pads, symmetric};
  gather_walk(in_shape, &o, mirror_map, &a, elem, in, out);
}

typedef struct {
  const xai_shape *shape;
  uint32_t mask;
} reverse_arg;

static int32_t reverse_map(const void *p, int32_t d, int32_t i) {
  const reverse_arg *a = p;
  return (a->mask >> d) & 1u ? a->shape->dims[d] - 1 - i : i;
}

void xai_reverse_ref(const xai_shape *shape, uint32_t axis_mask, size_t elem,
                     const void *in, void *out) {
  reverse_arg a = {shape, axis_mask};
  gather_walk(shape, shape, reverse_map, &a, elem, in, out);
}

static int32_t broadcast_map(const void *p, int32_t d, int32_t i) {
  const int32_t *in_dims_padded = p;
  return in_dims_padded[d] == 1 ? 0 : i;
}

void xai_broadcast_to_ref(const xai_shape *in_shape,
                          const xai_shape *out_shape, size_t elem,
                          const void *in, void *out) {
  int32_t padded[XAI_SHAPE_MAX_RANK];
  const int32_t lead = out_shape->rank - in_shape->rank;
  for (int32_t d = 0; d < out_shape->rank; d++)
    padded[d] = d < lead ? 1 : in_shape->dims[d - lead];
  gather_walk(in_shape, out_shape, broadcast_map, padded, elem, in, out);
}
