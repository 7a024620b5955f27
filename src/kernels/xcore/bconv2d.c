/* LceBconv2d on VLMACCR1 (include/xai/kernels_xcore/bconv.h). */
#include <string.h>

#include "xai/kernels_xcore/bconv.h"

/* Scalar bundles (ESTIMATES, as the int8 kernels' constants): popcount of
 * one word without a popcount instruction (4 shift/add/mask bundles) plus
 * its two loads; LCE's float output transform per output (clamp, convert,
 * multiply, add, round, saturate, store); the threshold compare and bit
 * insert of a bitpacked output. */
#define BUNDLES_SCALAR_WORD 6u
#define BUNDLES_OUT_FLOAT 8u
#define BUNDLES_OUT_BIT 3u

static const uint32_t k_zero_row[8] __attribute__((aligned(32)));

int32_t xai_bconv2d_xcore_scratch_words(const xai_dims4 *filter_dims) {
  int32_t k = filter_dims->h * filter_dims->w * filter_dims->c;
  return (k + 7) / 8 * 8;
}

void xai_bconv2d_xcore_rows(int32_t out_h, unsigned n, unsigned t,
                            int32_t *begin, int32_t *end) {
  *begin = (int32_t)((int64_t)out_h * t / n);
  *end = (int32_t)((int64_t)out_h * (t + 1) / n);
}

static int32_t popcount_words(xai_vpu_ctx *v, const int32_t *a,
                              const int32_t *b, int32_t n) {
  int32_t s = 0;
  for (int32_t i = 0; i < n; i++)
    s += __builtin_popcount((uint32_t)(a ? a[i] : 0) ^ (uint32_t)b[i]);
  xai_vpu_scalar(v, (uint64_t)n * BUNDLES_SCALAR_WORD);
  return s;
}

/* Gathers group g's receptive field of output (n, oy, ox); returns the
 * number of padded taps and lists them in pad_taps. */
static int32_t gather(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                      const xai_dims4 *in_dims, const int32_t *in,
                      const xai_dims4 *f, int32_t n, int32_t oy, int32_t ox,
                      int32_t g, int32_t *row, int32_t *pad_taps) {
  int32_t pads = 0, words = f->c;
  for (int32_t fy = 0; fy < f->h; fy++)
    for (int32_t fx = 0; fx < f->w; fx++) {
      int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dil_h;
      int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dil_w;
      int32_t *dst = row + (fy * f->w + fx) * words;
      if (iy < 0 || iy >= in_dims->h || ix < 0 || ix >= in_dims->w) {
        memset(dst, 0, (size_t)words * 4u);
        pad_taps[pads++] = fy * f->w + fx;
        xai_vpu_mem(v, (uint64_t)words);
        continue;
      }
      memcpy(dst, in + (((size_t)n * in_dims->h + iy) * in_dims->w + ix) *
                           in_dims->c + (size_t)g * words,
             (size_t)words * 4u);
      xai_vpu_mem(v, 2u * (uint64_t)words); /* LDW + STW a word */
    }
  xai_vpu_branch(v);
  return pads;
}

static void store(xai_vpu_ctx *v, const xai_bconv2d_params *p, void *out,
                  size_t pix, int32_t cout, int32_t c, int32_t accum,
                  uint32_t *column) {
  if (p->out_kind == XAI_BCONV_OUT_BITPACKED) {
    if (accum > p->threshold[c]) *column |= 1u << (c % 32);
    if (c % 32 == 31 || c == cout - 1) {
      ((int32_t *)out)[pix * (size_t)xai_lce_words(cout) + c / 32] =
          (int32_t)*column;
      *column = 0;
    }
    xai_vpu_scalar(v, BUNDLES_OUT_BIT);
  } else if (p->out_kind == XAI_BCONV_OUT_INT8) {
    ((int8_t *)out)[pix * (size_t)cout + c] = xai_bconv2d_s8_out(p, accum, c);
    xai_vpu_scalar(v, BUNDLES_OUT_FLOAT);
  } else {
    ((float *)out)[pix * (size_t)cout + c] = xai_bconv2d_float_out(p, accum, c);
    xai_vpu_scalar(v, BUNDLES_OUT_FLOAT);
  }
}

xai_status xai_bconv2d_xcore(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                             const xai_dims4 *in_dims, const int32_t *in,
                             const xai_dims4 *f, const int32_t *filter,
                             const xai_dims4 *out_dims, void *out,
                             int32_t row_begin, int32_t row_end,
                             int32_t *scratch) {
  if (((uintptr_t)scratch & 31u) != 0 || p->groups < 1) return XAI_ERR_ARGUMENT;
  const int32_t cout = out_dims->c, cout_g = cout / p->groups;
  const int32_t kw = f->h * f->w * f->c, chunks = kw / 8, tail = kw % 8;
  const int32_t zero_point = p->channels_in / p->groups / 2;
  int32_t pad_taps[256]; /* filters up to 16x16 taps */
  if (f->h * f->w > 256) return XAI_ERR_ARGUMENT;
  xai_vpu_set_mode(v, XAI_VPU_MODE_INT8);
  for (int32_t n = 0; n < out_dims->n; n++)
    for (int32_t oy = row_begin; oy < row_end; oy++)
      for (int32_t ox = 0; ox < out_dims->w; ox++) {
        size_t pix = ((size_t)n * out_dims->h + oy) * out_dims->w + ox;
        uint32_t column = 0;
        for (int32_t g = 0; g < p->groups; g++) {
          int32_t pads = gather(v, p, in_dims, in, f, n, oy, ox, g, scratch,
                                pad_taps);
          for (int32_t c0 = g * cout_g; c0 < (g + 1) * cout_g; c0 += 16) {
            int32_t block = (g + 1) * cout_g - c0 < 16 ? (g + 1) * cout_g - c0
                                                       : 16;
            int32_t acc[16];
            memset(acc, 0, sizeof acc);
            if (chunks > 0) {
              xai_vpu_vclrdr(v);
              for (int32_t k = 0; k < chunks; k++) {
                xai_vpu_vldc(v, scratch + 8 * k);
                for (int32_t j = 0; j < 16; j++)
                  xai_vpu_vlmaccr1(v, j < block ? (const void *)(filter +
                                       (size_t)(c0 + j) * kw + 8 * k)
                                                : (const void *)k_zero_row);
                xai_vpu_branch(v);
              }
              xai_vpu_vec d, r;
              xai_vpu_vstd(v, &d);
              xai_vpu_vstr(v, &r);
              /* after 16 VLMACCR1s per chunk, row j sits in acc[15 - j] */
              for (int32_t j = 0; j < block; j++) {
                int32_t a = (int32_t)(((uint32_t)(uint16_t)d.s16[15 - j] << 16) |
                                      r.u16[15 - j]);
                acc[j] = 128 * chunks - a;
              }
            }
            for (int32_t j = 0; j < block; j++) {
              const int32_t c = c0 + j;
              const int32_t *frow = filter + (size_t)c * kw;
              int32_t accum = acc[j];
              if (tail)
                accum += popcount_words(v, scratch + 8 * chunks,
                                        frow + 8 * chunks, tail);
              if (p->zero_padding)
                for (int32_t t = 0; t < pads; t++)
                  accum += zero_point -
                           popcount_words(v, NULL, frow + pad_taps[t] * f->c,
                                          f->c);
              store(v, p, out, pix, cout, c, accum, &column);
            }
          }
        }
      }
  return XAI_OK;
}
