/* Canonicalisation rewrites (canon*.c): each is exact, i.e. the rewritten
 * model computes the same bits as the original with the reference kernels. */
#ifndef XAI_XFORMER_CANON_INTERNAL_H
#define XAI_XFORMER_CANON_INTERNAL_H

#include "xformer_internal.h"

/* Same element type and the same quantization (every scale and zero point
 * equal, or both unquantized). */
bool xf_canon_same_quant(xf_ctx *x, int32_t a, int32_t b);
/* The operator writing tensor t, or -1. */
int32_t xf_canon_producer(xf_ctx *x, int32_t t);
/* Every operator input reading `from` reads `to` instead. */
void xf_canon_rewire_inputs(xf_ctx *x, int32_t from, int32_t to);
bool xf_canon_is_graph_input(xf_ctx *x, int32_t t);

/* One rewrite at op `op` if it applies; *done says whether it did (the op
 * is then gone and indices after it moved down by one). */
/* SHAPE of a statically shaped tensor -> a constant (canon_fold_shape.c). */
xai_status xf_canon_fold_shape(xf_ctx *x, uint32_t op, bool *done,
                               xai_error *err);
/* After op was folded away: adds `added` to the folding's byte counts and
 * the bytes of its constant inputs (inputs[0..n)) that no op reads now. */
void xf_canon_count_fold(xf_ctx *x, const int32_t *inputs, uint32_t n,
                         size_t added);
/* An op with only constant inputs -> constants (canon_fold_const.c). */
xai_status xf_canon_fold_const(xf_ctx *x, uint32_t op, bool *done,
                               xai_error *err);
xai_status xf_canon_fold_pad(xf_ctx *x, uint32_t op, bool *done,
                             xai_error *err);
xai_status xf_canon_fuse_activation(xf_ctx *x, uint32_t op, bool *done,
                                    xai_error *err);
xai_status xf_canon_drop_noop(xf_ctx *x, uint32_t op, bool *done,
                              xai_error *err);

#endif
