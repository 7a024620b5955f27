/* Multiply-accumulates of a builtin op from its tensor shapes alone, so the
 * runtime's cost model and `xai inspect` count the same work. Layouts are
 * TFLite's (schema.fbs and the reference kernels' shape checks). */
#include "xai/runtime.h"
#include "xai/tflite.h"

static uint64_t elems(const xai_op_dims *s) {
  if (!s || s->rank < 0) return 0;
  uint64_t n = 1;
  for (int32_t i = 0; i < s->rank; i++) n *= s->dims[i] > 0 ? (uint64_t)s->dims[i] : 0;
  return n;
}

static const xai_op_dims *at(const xai_op_dims *list, uint32_t n,
                              uint32_t i) {
  return i < n && list[i].rank >= 0 ? &list[i] : NULL;
}

static int32_t dim(const xai_op_dims *s, int32_t i) {
  if (!s || i < 0 || i >= s->rank) return 0;
  return s->dims[i] > 0 ? s->dims[i] : 0;
}

uint64_t xai_op_builtin_macs(int32_t code, const xai_op_dims *in,
                             uint32_t n_in, const xai_op_dims *out,
                             uint32_t n_out) {
  const xai_op_dims *o = at(out, n_out, 0), *w = at(in, n_in, 1);
  const uint64_t n_o = elems(o);
  switch (code) {
    case XAI_OP_CONV_2D: /* filter [Cout, KH, KW, Cin] */
      return w && w->rank == 4 && dim(w, 0)
                 ? n_o * (elems(w) / (uint64_t)dim(w, 0)) : 0;
    case XAI_OP_DEPTHWISE_CONV_2D: /* filter [1, KH, KW, Cout] */
      return w && w->rank == 4 ? n_o * (uint64_t)dim(w, 1) * (uint64_t)dim(w, 2) : 0;
    case XAI_OP_FULLY_CONNECTED: /* filter [units, depth] */
      return w && w->rank >= 2 ? n_o * (uint64_t)dim(w, w->rank - 1) : 0;
    case XAI_OP_TRANSPOSE_CONV: { /* shape, filter [Cout, KH, KW, Cin], x */
      const xai_op_dims *x = at(in, n_in, 2);
      return w && w->rank == 4 && dim(w, 3)
                 ? elems(x) * (elems(w) / (uint64_t)dim(w, 3)) : 0;
    }
    case XAI_OP_BATCH_MATMUL: { /* out [..., M, N]; lhs [..., M, K] or [..., K, M] */
      const xai_op_dims *lhs = at(in, n_in, 0);
      if (!o || o->rank < 2 || !lhs || lhs->rank < 2) return 0;
      int32_t m = dim(o, o->rank - 2), a = dim(lhs, lhs->rank - 2),
              b = dim(lhs, lhs->rank - 1);
      return n_o * (uint64_t)(a == m ? b : a);
    }
    case XAI_OP_UNIDIRECTIONAL_SEQUENCE_LSTM: {
      /* input [batch, time, n_input] (or time-major); inputs 1..8 are the
       * input and recurrent gate weights (input gate absent with CIFG),
       * 16 the optional projection [n_output, n_cell]: every weight is
       * used once per step and batch row. */
      const xai_op_dims *x = at(in, n_in, 0), *wf = at(in, n_in, 2);
      int32_t n_input = dim(wf, 1);
      if (!x || !n_input) return 0;
      uint64_t rows = elems(x) / (uint64_t)n_input, weights = 0;
      for (uint32_t i = 1; i <= 8; i++) weights += elems(at(in, n_in, i));
      weights += elems(at(in, n_in, 16));
      return rows * weights;
    }
    case XAI_OP_SVDF: {
      /* input [batch, input_size], weights_feature [filters, input_size],
       * weights_time [filters, memory]: per batch row one feature MAC per
       * weight and one time MAC per state element. */
      const xai_op_dims *x = at(in, n_in, 0), *wt = at(in, n_in, 2);
      int32_t input_size = dim(w, 1);
      if (!x || !input_size) return 0;
      return elems(x) / (uint64_t)input_size * (elems(w) + elems(wt));
    }
    default:
      return 0;
  }
}
