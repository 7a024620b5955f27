/* float32 L2_POOL_2D, L2_NORMALIZATION, LOG_SOFTMAX, BATCH_MATMUL (TFLite
 * Micro pooling.cc, l2norm.cc, log_softmax.cc, batch_matmul.cc). */
#include "xai/kernels_ref/nn_float.h"

#include <float.h>
#include <math.h>

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
          r = fminf(fmaxf(r, p->act_min), p->act_max);
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
      out[i * depth + c] = fminf(fmaxf(v, act_min), act_max);
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

void xai_batch_matmul_f32_ref(const xai_batch_matmul_params *p,
                              const float *lhs, const float *rhs, float *out) {
  const size_t lsz = (size_t)p->rows * p->accum, rsz = (size_t)p->accum * p->cols;
  const size_t osz = (size_t)p->rows * p->cols;
  const int32_t *lb = p->lhs_batch, *rb = p->rhs_batch, *ob = p->out_batch;
  for (int32_t b0 = 0; b0 < ob[0]; b0++)
    for (int32_t b1 = 0; b1 < ob[1]; b1++)
      for (int32_t b2 = 0; b2 < ob[2]; b2++) {
        const size_t li = ((size_t)(lb[0] > 1 ? b0 : 0) * lb[1] +
                           (lb[1] > 1 ? b1 : 0)) * lb[2] + (lb[2] > 1 ? b2 : 0);
        const size_t ri = ((size_t)(rb[0] > 1 ? b0 : 0) * rb[1] +
                           (rb[1] > 1 ? b1 : 0)) * rb[2] + (rb[2] > 1 ? b2 : 0);
        const size_t oi = ((size_t)b0 * ob[1] + b1) * ob[2] + b2;
        const float *l = lhs + li * lsz, *r = rhs + ri * rsz;
        float *o = out + oi * osz;
        for (int32_t i = 0; i < p->rows; i++)
          for (int32_t j = 0; j < p->cols; j++) {
            float total = 0.0f;
            for (int32_t k = 0; k < p->accum; k++) {
              const float a = p->adj_x ? l[(size_t)k * p->rows + i]
                                       : l[(size_t)i * p->accum + k];
              const float b = p->adj_y ? r[(size_t)j * p->accum + k]
                                       : r[(size_t)k * p->cols + j];
              total += a * b;
            }
            o[(size_t)i * p->cols + j] = total;
          }
      }
}
