/* Data-movement builtins of TFLite Micro, over any element size:
 * SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND
 * (space_batch.c), GATHER_ND, EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE
 * (gather_nd.c), MIRROR_PAD, REVERSE_V2, BROADCAST_TO (mirror_reverse.c),
 * CUMSUM, ADD_N, CAST (cumsum_cast.c). Shapes are NHWC where the op is 4-D;
 * index errors return XAI_ERR_RANGE (TFLM fails the invoke). */
#ifndef XAI_KERNELS_REF_MOVEMENT_H
#define XAI_KERNELS_REF_MOVEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"
#include "xai/kernels_ref/shape.h"

#ifdef __cplusplus
extern "C" {
#endif

/* in [b, h, w, c] -> out [b, h/bs, w/bs, c*bs*bs] and back. */
void xai_space_to_depth_ref(const int32_t in_dims[4], int32_t bs, size_t elem,
                            const void *in, void *out);
void xai_depth_to_space_ref(const int32_t in_dims[4], int32_t bs, size_t elem,
                            const void *in, void *out);

/* 4-D NHWC (a 3-D input is [b, h, 1, c] with block/pads of 1/0 for w).
 * pad_value: elem bytes written in the padding (the zero point). */
void xai_space_to_batch_ref(const int32_t in_dims[4], const int32_t block[2],
                            const int32_t pads[4], size_t elem,
                            const void *pad_value, const void *in, void *out);
void xai_batch_to_space_ref(const int32_t in_dims[4], const int32_t block[2],
                            const int32_t crops[4], const int32_t out_dims[4],
                            size_t elem, const void *in, void *out);

/* GATHER_ND: params shape, indices [..., depth] int32 (index_bytes 4) or
 * int64 (8); slice = product of params dims past depth. */
xai_status xai_gather_nd_ref(const xai_shape *params, const void *indices,
                             int index_bytes, size_t n_indices, int32_t depth,
                             size_t elem, const void *in, void *out);

/* EMBEDDING_LOOKUP: rows of `row_elems` elements picked by int32 ids. */
xai_status xai_embedding_lookup_ref(const int32_t *ids, size_t n_ids,
                                    int32_t rows, size_t row_bytes,
                                    const void *value, void *out);
/* int8 rows dequantized to float32: value * scale (TFLM's hybrid path). */
xai_status xai_embedding_lookup_s8_f32_ref(const int32_t *ids, size_t n_ids,
                                           int32_t rows, size_t row_elems,
                                           const int8_t *value,
                                           const float *scales,
                                           size_t scale_count, float *out);

/* DYNAMIC_UPDATE_SLICE: out = operand with update written at start
 * (clamped to [0, dim - update dim] per dimension). */
void xai_dynamic_update_slice_ref(const xai_shape *operand,
                                  const xai_shape *update,
                                  const int64_t *start, size_t elem,
                                  const void *in, const void *upd, void *out);

/* MIRROR_PAD: pads[2*d], pads[2*d+1] before/after dimension d;
 * symmetric 0 = REFLECT, 1 = SYMMETRIC. */
void xai_mirror_pad_ref(const xai_shape *in_shape, const int32_t *pads,
                        int symmetric, size_t elem, const void *in,
                        void *out);
/* REVERSE_V2 over the axes set in axis_mask. */
void xai_reverse_ref(const xai_shape *shape, uint32_t axis_mask, size_t elem,
                     const void *in, void *out);
/* BROADCAST_TO: in (padded on the left with 1s) stretched to out. */
void xai_broadcast_to_ref(const xai_shape *in_shape,
                          const xai_shape *out_shape, size_t elem,
                          const void *in, void *out);

/* CUMSUM of float32 or int32 (type) along axis. */
void xai_cumsum_ref(int8_t type, const xai_shape *shape, int32_t axis,
                    int exclusive, int reverse, const void *in, void *out);
/* ADD_N: out = in[0] + ... + in[n-1], float32 or int32, in input order. */
void xai_add_n_ref(int8_t type, size_t count, const void *const *in,
                   size_t n_inputs, void *out);
/* CAST between float32, int8, uint8, int16, int32, uint32, int64, bool. */
xai_status xai_cast_ref(int8_t from, int8_t to, size_t count, const void *in,
                        void *out);

#ifdef __cplusplus
}
#endif

#endif
