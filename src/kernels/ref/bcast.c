/* Broadcast planning for the binary element-wise kernels: TFLite aligns
 * shapes from the right; a dimension of 1 is stretched. */
#include "xai/kernels_ref/elementwise.h"

xai_status xai_bcast_make(const xai_shape *a, const xai_shape *b,
                          xai_bcast *out, xai_error *err) {
  if (a->rank < 0 || b->rank < 0 || a->rank > XAI_BCAST_MAX_RANK ||
      b->rank > XAI_BCAST_MAX_RANK)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "broadcast of rank %d and rank %d shapes: at most %d "
                    "dimensions are supported",
                    (int)a->rank, (int)b->rank, XAI_BCAST_MAX_RANK);
  int32_t rank = a->rank > b->rank ? a->rank : b->rank;
  if (rank == 0) rank = 1; /* scalars walk as one element */
  int32_t sa = 1, sb = 1;
  size_t count = 1;
  for (int32_t d = rank - 1; d >= 0; d--) {
    int32_t ia = d - (rank - a->rank), ib = d - (rank - b->rank);
    int32_t da = ia >= 0 ? a->dims[ia] : 1;
    int32_t db = ib >= 0 ? b->dims[ib] : 1;
    if (da < 0 || db < 0 || (da != db && da != 1 && db != 1))
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "shapes do not broadcast: dimension %d is %d in the "
                      "first input and %d in the second",
                      (int)d, (int)da, (int)db);
    int32_t dout = da == 1 ? db : da;
    out->dims[d] = dout;
    out->stride1[d] = (da == 1 && dout != 1) ? 0 : sa;
    out->stride2[d] = (db == 1 && dout != 1) ? 0 : sb;
    if ((int64_t)sa * da > INT32_MAX || (int64_t)sb * db > INT32_MAX)
      return xai_fail(err, XAI_ERR_ARGUMENT,
                      "an input of the broadcast has more than 2^31 "
                      "elements");
    sa *= da;
    sb *= db;
    count *= (size_t)dout;
  }
  out->rank = rank;
  out->count = count;
  return XAI_OK;
}

void xai_bcast_out_shape(const xai_bcast *bc, xai_shape *out) {
  out->rank = bc->rank;
  for (int32_t d = 0; d < bc->rank; d++) out->dims[d] = bc->dims[d];
}
