/* float32 L2_POOL_2D, L2_NORMALIZATION, LOG_SOFTMAX, BATCH_MATMUL (TFLite
 * Micro pooling.cc, l2norm.cc, log_softmax.cc, batch_matmul.cc). */
#include "xai/kernels_ref/nn_float.h"

#include <float.h>
#include <math.h>

#include "xai/kernels_ref/arith_float.h"
#include "xai/kernels_ref/quant.h"

void xai_l2_pool_f32_ref(const xai_l2_pool_params *p, const float *in,
                         float *out) {
  for (int32_t b = 0; b < p->batches; b++)
    for (int32_t oy = 0; oy < p->out_h; oy++)
      for (int32_t ox = 0; ox < p->out_w; ox++)
        for (int32_t c = 0; c < p->depth; c++) {
          const int32_t iy0 = oy * p->stride_h - p->pad_h;
          const int32_t ix0 = ox * p->stride_w - p->pad_w;
          const int32_t fy0 = iy0 < 0 ? -iy0 : 0;
          const int32_t fx0 = ix0 < 0 ? -ix0 : 0;
          const int32_t fy1 = p->filter_h < p->in_h - iy0 ? p->filter_h : p->in_h - iy0;
          const int32_t fx1 = p->filter_w < p->in_w - ix0 ? p->filter_w : p->in_w - ix0;
          float sum = 0.0f;
          int32_t count = 0;
          for (int32_t fy = fy0; fy < fy1; fy++)
            for (int32_t fx = fx0; fx < fx1; fx++) {
              const float v =
                  in[(((size_t)b * p->in_h + iy0 + fy) * p->in_w + ix0 + fx) *
                         p->depth + c];
              sum += v * v;
              count++;
            }
          float r = sqrtf(sum / (float)count);
          r = xai_act_clampf(r, p->act_min, p->act_max);
          out[(((size_t)b * p->out_h + oy) * p->out_w + ox) * p->depth + c] = r;
        }
}

void xai_l2_norm_f32_ref(size_t outer, size_t depth, float act_min,
                         float act_max, const float *in, float *out) {
  for (size_t i = 0; i < outer; i++) {
    const float *x = in + i * depth;
    float sq = 0.0f;
    for (size_t c = 0; c < depth; c++) sq += x[c] * x[c];
    float norm = sqrtf(sq);
    if (norm < 1e-6f) norm = 1e-6f;
    for (size_t c = 0; c < depth; c++) {
      const float v = x[c] / norm;
      out[i * depth + c] = xai_act_clampf(v, act_min, act_max);
    }
  }
}

void xai_log_softmax_f32_ref(size_t outer, size_t depth, const float *in,
                             float *out) {
  for (size_t i = 0; i < outer; i++) {
    const float *x = in + i * depth;
    float max = -FLT_MAX;
    for (size_t c = 0; c < depth; c++) max = x[c] > max ? x[c] : max;
    float sum = 0.0f;
    for (size_t c = 0; c < depth; c++) sum += expf(x[c] - max);
    const float log_sum = logf(sum);
    for (size_t c = 0; c < depth; c++) out[i * depth + c] = x[c] - max - log_sum;
  }
}

/* The batch walk shared by the float and quantized products: calls
 * DOT(l, r, o) for one [rows, cols] block of each broadcast batch. */
#define MATMUL_WALK(p, lhs, rhs, out, BLOCK)                                 \
  do {                                                                     \
    const size_t lsz_ = (size_t)(p)->rows * (p)->accum;                    \
    const size_t rsz_ = (size_t)(p)->accum * (p)->cols;                    \
    const size_t osz_ = (size_t)(p)->rows * (p)->cols;                     \
    const int32_t *lb_ = (p)->lhs_batch, *rb_ = (p)->rhs_batch,            \
                  *ob_ = (p)->out_batch;                                   \
    for (int32_t b0 = 0; b0 < ob_[0]; b0++)                                \
      for (int32_t b1 = 0; b1 < ob_[1]; b1++)                              \
        for (int32_t b2 = 0; b2 < ob_[2]; b2++) {                          \
          const size_t li_ = ((size_t)(lb_[0] > 1 ? b0 : 0) * lb_[1] +     \
                              (lb_[1] > 1 ? b1 : 0)) * lb_[2] +            \
                             (lb_[2] > 1 ? b2 : 0);                        \
          const size_t ri_ = ((size_t)(rb_[0] > 1 ? b0 : 0) * rb_[1] +     \
                              (rb_[1] > 1 ? b1 : 0)) * rb_[2] +            \
                             (rb_[2] > 1 ? b2 : 0);                        \
          const size_t oi_ = ((size_t)b0 * ob_[1] + b1) * ob_[2] + b2;     \
          const __typeof__(*(lhs)) *l = (lhs) + li_ * lsz_;                \
          const __typeof__(*(rhs)) *r = (rhs) + ri_ * rsz_;                \
          __typeof__(*(out)) *o = (out) + oi_ * osz_;                      \
          BLOCK;                                                           \
        }                                                                  \
  } while (0)

static size_t lhs_at(const xai_batch_matmul_params *p, int32_t i, int32_t k) {
  return p->adj_x ? (size_t)k * p->rows + i : (size_t)i * p->accum + k;
}
static size_t rhs_at(const xai_batch_matmul_params *p, int32_t k, int32_t j) {
  return p->adj_y ? (size_t)j * p->accum + k : (size_t)k * p->cols + j;
}

static int32_t clamp_q(int32_t v, const xai_batch_matmul_q_params *q) {
  return v < q->act_min ? q->act_min : v > q->act_max ? q->act_max : v;
}

void xai_batch_matmul_s8_ref(const xai_batch_matmul_params *p,
                             const xai_batch_matmul_q_params *q,
                             const int8_t *lhs, const int8_t *rhs,
                             int8_t *out) {
  MATMUL_WALK(p, lhs, rhs, out, {
    for (int32_t i = 0; i < p->rows; i++)
      for (int32_t j = 0; j < p->cols; j++) {
        int32_t total = 0;
        for (int32_t k = 0; k < p->accum; k++)
          total += (l[lhs_at(p, i, k)] + q->lhs_offset) *
                   (r[rhs_at(p, k, j)] + q->rhs_offset);
        const int32_t v = xai_mbqm(total, q->multiplier, q->shift) +
                          q->output_offset;
        o[(size_t)i * p->cols + j] = (int8_t)clamp_q(v, q);
      }
  });
}

void xai_batch_matmul_s16_ref(const xai_batch_matmul_params *p,
                              const xai_batch_matmul_q_params *q,
                              const int16_t *lhs, const int16_t *rhs,
                              int16_t *out) {
  MATMUL_WALK(p, lhs, rhs, out, {
    for (int32_t i = 0; i < p->rows; i++)
      for (int32_t j = 0; j < p->cols; j++) {
        int64_t total = 0;
        for (int32_t k = 0; k < p->accum; k++)
          total += (int64_t)l[lhs_at(p, i, k)] * r[rhs_at(p, k, j)];
        const int32_t v = xai_mbqm64(total, q->multiplier, q->shift) +
                          q->output_offset;
        o[(size_t)i * p->cols + j] = (int16_t)clamp_q(v, q);
      }
  });
}

void xai_batch_matmul_f32_ref(const xai_batch_matmul_params *p,
                              const float *lhs, const float *rhs, float *out) {
  MATMUL_WALK(p, lhs, rhs, out, {
    for (int32_t i = 0; i < p->rows; i++)
      for (int32_t j = 0; j < p->cols; j++) {
        float total = 0.0f;
        for (int32_t k = 0; k < p->accum; k++)
          total += l[lhs_at(p, i, k)] * r[rhs_at(p, k, j)];
        o[(size_t)i * p->cols + j] = total;
      }
  });
}
