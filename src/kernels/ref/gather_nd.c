/* GATHER_ND, EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE (TFLite Micro
 * gather_nd.cc, embedding_lookup.cc, dynamic_update_slice.cc). */
#include <string.h>

#include "xai/kernels_ref/movement.h"

static int64_t index_at(const void *p, int bytes, size_t i) {
  if (bytes == 8) {
    int64_t v;
    memcpy(&v, (const uint8_t *)p + i * 8, 8);
    return v;
  }
  int32_t v;
  memcpy(&v, (const uint8_t *)p + i * 4, 4);
  return v;
}

xai_status xai_gather_nd_ref(const xai_shape *params, const void *indices,
                             int index_bytes, size_t n_indices, int32_t depth,
                             size_t elem, const void *in, void *out) {
  size_t slice = 1, total = 1;
  for (int32_t d = 0; d < params->rank; d++) {
    total *= (size_t)params->dims[d];
    if (d >= depth) slice *= (size_t)params->dims[d];
  }
  /* TFLM bounds-checks the flat offset, not each coordinate. */
  for (size_t i = 0; i < n_indices; i++) {
    int64_t offset = 0, count = (int64_t)slice;
    for (int32_t j = depth - 1; j >= 0; j--) {
      offset += index_at(indices, index_bytes, i * (size_t)depth + j) * count;
      count *= params->dims[j];
    }
    if (offset < 0 || (uint64_t)offset + slice > total) return XAI_ERR_RANGE;
    memcpy((uint8_t *)out + i * slice * elem,
           (const uint8_t *)in + (size_t)offset * elem, slice * elem);
  }
  return XAI_OK;
}

xai_status xai_embedding_lookup_ref(const int32_t *ids, size_t n_ids,
                                    int32_t rows, size_t row_bytes,
                                    const void *value, void *out) {
  for (size_t i = 0; i < n_ids; i++) {
    if (ids[i] < 0 || ids[i] >= rows) return XAI_ERR_RANGE;
    memcpy((uint8_t *)out + i * row_bytes,
           (const uint8_t *)value + (size_t)ids[i] * row_bytes, row_bytes);
  }
  return XAI_OK;
}

xai_status xai_embedding_lookup_s8_f32_ref(const int32_t *ids, size_t n_ids,
                                           int32_t rows, size_t row_elems,
                                           const int8_t *value,
                                           const float *scales,
                                           size_t scale_count, float *out) {
  for (size_t i = 0; i < n_ids; i++) {
    if (ids[i] < 0 || ids[i] >= rows) return XAI_ERR_RANGE;
    const float s = scale_count > 1 ? scales[ids[i]] : scales[0];
    const int8_t *row = value + (size_t)ids[i] * row_elems;
    for (size_t j = 0; j < row_elems; j++) out[i * row_elems + j] = row[j] * s;
  }
  return XAI_OK;
}

void xai_dynamic_update_slice_ref(const xai_shape *operand,
                                  const xai_shape *update,
                                  const int64_t *start, size_t elem,
                                  const void *in, const void *upd, void *out) {
  size_t total = 1, ucount = 1;
  for (int32_t d = 0; d < operand->rank; d++) {
    total *= (size_t)operand->dims[d];
    ucount *= (size_t)update->dims[d];
  }
  if (out != in) memcpy(out, in, total * elem);
  int64_t clamped[XAI_SHAPE_MAX_RANK];
  for (int32_t d = 0; d < operand->rank; d++) {
    const int64_t hi = operand->dims[d] - update->dims[d];
    int64_t s = start[d] < 0 ? 0 : start[d];
    clamped[d] = s > hi ? hi : s;
  }
  int32_t idx[XAI_SHAPE_MAX_RANK] = {0};
  for (size_t u = 0; u < ucount; u++) {
    size_t off = 0;
    for (int32_t d = 0; d < operand->rank; d++)
      off = off * (size_t)operand->dims[d] + (size_t)(clamped[d] + idx[d]);
    memcpy((uint8_t *)out + off * elem, (const uint8_t *)upd + u * elem,
           elem);
    for (int32_t d = update->rank - 1; d >= 0; d--) {
      if (++idx[d] < update->dims[d]) break;
      idx[d] = 0;
    }
  }
}
