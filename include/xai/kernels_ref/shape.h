/* Data-movement and shape kernels (PAD, CONCATENATION, STRIDED_SLICE,
 * SLICE, TRANSPOSE, SPLIT/SPLIT_V/UNPACK, PACK, GATHER, ARG_MAX,
 * RESIZE_NEAREST_NEIGHBOR, RESIZE_BILINEAR), bit-exact with TFLite's
 * reference kernels.
 *
 * Pure data movement does not depend on the element's meaning, so those
 * kernels take an element size (1, 2, 4 or 8 bytes) and serve int8, int16,
 * int32 and int64 tensors alike. Shapes are row-major, outermost first. */
#ifndef XAI_KERNELS_REF_SHAPE_H
#define XAI_KERNELS_REF_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define XAI_SHAPE_MAX_RANK 8

typedef struct {
  int32_t rank;
  int32_t dims[XAI_SHAPE_MAX_RANK];
} xai_shape;

/* Product of dims (1 for rank 0); 0 if any dim is 0 or negative. */
size_t xai_shape_elements(const xai_shape *s);

/* ---- PAD / PADV2 --------------------------------------------------------
 * out has dims in[d] + before[d] + after[d]; cells outside the input take
 * *pad_value (one element of elem_size bytes). Paddings must be >= 0. */
xai_status xai_pad_ref(const xai_shape *in_shape, const int32_t *before,
                       const int32_t *after, const void *in,
                       const void *pad_value, size_t elem_size, void *out);

/* ---- CONCATENATION / PACK ----------------------------------------------
 * Input i viewed as [outer][axis_sizes[i]][inner]; the output is
 * [outer][sum axis_sizes][inner]. PACK is the case axis_sizes[i] = 1. */
xai_status xai_concat_ref(uint32_t count, const void *const *inputs,
                          const int32_t *axis_sizes, int32_t outer,
                          int32_t inner, size_t elem_size, void *out);

/* ---- SPLIT / SPLIT_V / UNPACK ------------------------------------------
 * The input viewed as [outer][sum sizes][inner]; output i receives
 * [outer][sizes[i]][inner]. UNPACK is the case sizes[i] = 1. */
xai_status xai_split_ref(const void *in, int32_t outer, int32_t inner,
                         uint32_t count, const int32_t *sizes,
                         void *const *outputs, size_t elem_size);

/* ---- STRIDED_SLICE --------------------------------------------------------
 * TFLite resolves the masks against the input shape first (ellipsis and
 * new axes expand the index space to an "effective" rank of at most 5), then
 * walks start/stop/stride per effective axis. The plan holds that resolved
 * walk plus the output shape (shrunk axes removed). */
#define XAI_STRIDED_SLICE_MAX_RANK 5

typedef struct {
  int32_t begin_mask, end_mask, ellipsis_mask, new_axis_mask,
      shrink_axis_mask;
  int offset; /* end[] is a size relative to begin (StridedSliceOptions) */
} xai_strided_slice_masks;

typedef struct {
  int32_t rank; /* effective rank */
  int32_t in_dims[XAI_STRIDED_SLICE_MAX_RANK];
  int32_t start[XAI_STRIDED_SLICE_MAX_RANK];
  int32_t stop[XAI_STRIDED_SLICE_MAX_RANK];
  int32_t stride[XAI_STRIDED_SLICE_MAX_RANK];
  xai_shape out_shape;
} xai_strided_slice_plan;

/* begin/end/strides have `count` entries (the op's index tensors).
 * Fails (XAI_ERR_UNSUPPORTED / XAI_ERR_ARGUMENT) with a message in err for
 * a zero stride or an effective rank above 5. */
xai_status xai_strided_slice_plan_make(const xai_shape *in_shape,
                                       const int32_t *begin,
                                       const int32_t *end,
                                       const int32_t *strides, int32_t count,
                                       const xai_strided_slice_masks *masks,
                                       xai_strided_slice_plan *plan,
                                       xai_error *err);
xai_status xai_strided_slice_ref(const xai_strided_slice_plan *plan,
                                 const void *in, size_t elem_size, void *out);

/* ---- SLICE ----------------------------------------------------------------
 * out = in[begin[d] : begin[d] + size[d]] per axis; sizes already resolved
 * (no -1) and in range. */
xai_status xai_slice_ref(const xai_shape *in_shape, const int32_t *begin,
                         const int32_t *size, const void *in,
                         size_t elem_size, void *out);

/* ---- TRANSPOSE ------------------------------------------------------------
 * out dims[d] = in dims[perm[d]]; perm is a permutation of 0..rank-1. */
xai_status xai_transpose_ref(const xai_shape *in_shape, const int32_t *perm,
                             const void *in, size_t elem_size, void *out);

/* ---- GATHER ---------------------------------------------------------------
 * input viewed as [batch][outer][axis_size][inner], indices as
 * [batch][coord_count]; output [batch][outer][coord_count][inner].
 * An index outside [0, axis_size) fails with XAI_ERR_RANGE (output partly
 * written), as TFLite's Gather fails the invoke. */
typedef struct {
  int32_t batch, outer, axis_size, inner, coord_count;
  int index_bytes; /* 4 (int32) or 8 (int64) */
} xai_gather_params;
xai_status xai_gather_ref(const xai_gather_params *p, const void *in,
                          const void *indices, size_t elem_size, void *out);

/* ---- ARG_MAX ---------------------------------------------------------------
 * input [outer][axis_size][inner] of signed ints (elem_size 1 or 2); writes
 * the index of the first maximum for each (outer, inner) as int32
 * (out_bytes 4) or int64 (out_bytes 8). */
xai_status xai_arg_max_ref(const void *in, size_t elem_size, int32_t outer,
                           int32_t axis_size, int32_t inner, void *out,
                           int out_bytes);

/* ---- RESIZE_NEAREST_NEIGHBOR / RESIZE_BILINEAR -------------------------
 * NHWC input [batch][in_h][in_w][depth] -> [batch][out_h][out_w][depth]. */
typedef struct {
  int32_t batch, in_h, in_w, depth, out_h, out_w;
  int align_corners, half_pixel_centers;
} xai_resize_params;

/* Any element type; index arithmetic in float as TFLite's
 * GetNearestNeighbor. */
xai_status xai_resize_nearest_ref(const xai_resize_params *p, const void *in,
                                  size_t elem_size, void *out);
/* TFLite ResizeBilinearInteger: 10-bit fixed-point coordinates, 20-bit
 * products rounded half away from zero (int8 and int16). */
xai_status xai_resize_bilinear_s8_ref(const xai_resize_params *p,
                                      const int8_t *in, int8_t *out);
xai_status xai_resize_bilinear_s16_ref(const xai_resize_params *p,
                                       const int16_t *in, int16_t *out);
/* float32: TFLite's reference ResizeBilinear (float coordinates). */
xai_status xai_resize_bilinear_f32_ref(const xai_resize_params *p,
                                       const float *in, float *out);

#ifdef __cplusplus
}
#endif

#endif
