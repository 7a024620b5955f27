/* LceBconv2d on VLMACCR1 (include/xai/kernels_xcore/bconv.h). */
#include <limits.h>
#include <string.h>

#include "xai/kernels_xcore/bconv.h"

/* Scalar bundles (ESTIMATES, as the int8 kernels' constants): popcount of
 * one word without a popcount instruction (4 shift/add/mask bundles) plus
 * its two loads; LCE's float output transform per output (clamp, convert,
 * multiply, add, round, saturate, store); the threshold compare and bit
 * insert of a bitpacked output; the AND of one word of a fused max pool
 * (load, and, store). */
#define BUNDLES_SCALAR_WORD 6u
#define BUNDLES_OUT_FLOAT 8u
#define BUNDLES_OUT_BIT 3u
#define BUNDLES_POOL_WORD 3u
/* VPU-thresholded bitpacked output: bit-reverse, shift and mask of the 16
 * bits; load, OR and store of each output word they touch; the lanes'
 * making, per channel. */
#define BUNDLES_BITS_PACK 3u
#define BUNDLES_BITS_WORD 3u
#define BUNDLES_BIT_LANE 3u
#define STAGE_WORDS 16

static const uint32_t k_zero_row[8] __attribute__((aligned(32)));

static int32_t row_words(const xai_dims4 *f) { return f->h * f->w * f->c; }
static int32_t row_chunks(const xai_dims4 *f) {
  return (row_words(f) + 7) / 8;
}

int32_t xai_bconv2d_xcore_scratch_words(const xai_dims4 *filter_dims,
                                        int32_t channels_out) {
  return row_chunks(filter_dims) * 8 + STAGE_WORDS +
         (xai_lce_words(channels_out) + 7) / 8 * 8;
}

bool xai_bconv2d_xcore_needs_tail_fix(const xai_dims4 *filter_dims) {
  return row_words(filter_dims) % 8 != 0;
}

static int32_t popcount_words(xai_vpu_ctx *v, const int32_t *a,
                              const int32_t *b, int32_t n) {
  int32_t s = 0;
  for (int32_t i = 0; i < n; i++)
    s += __builtin_popcount((uint32_t)(a ? a[i] : 0) ^ (uint32_t)b[i]);
  if (v) xai_vpu_scalar(v, (uint64_t)n * BUNDLES_SCALAR_WORD);
  return s;
}

void xai_bconv2d_xcore_tail_fix(xai_vpu_ctx *v, const xai_dims4 *f,
                                const int32_t *filter, int32_t *fix) {
  const int32_t kw = row_words(f), over = row_chunks(f) * 8 - kw;
  const int64_t total = (int64_t)f->n * kw;
  for (int32_t c = 0; c < f->n; c++) {
    int64_t s = (int64_t)(c + 1) * kw;
    int32_t n = (int32_t)(total - s < over ? total - s : over);
    fix[c] = n > 0 ? popcount_words(v, NULL, filter + s, n) : 0;
  }
}

static int32_t blocks_per_group(const xai_dims4 *f, int32_t groups) {
  return (f->n / groups + 15) / 16;
}

size_t xai_bconv2d_xcore_bit_lanes_count(const xai_dims4 *f, int32_t groups) {
  return (size_t)groups * (size_t)blocks_per_group(f, groups) * 32u;
}

void xai_bconv2d_xcore_bit_lanes(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                                 const xai_dims4 *f, int16_t *lanes) {
  const int32_t cout_g = f->n / p->groups, bpg = blocks_per_group(f, p->groups);
  const bool tail = xai_bconv2d_xcore_needs_tail_fix(f);
  memset(lanes, 0, xai_bconv2d_xcore_bit_lanes_count(f, p->groups) * 2u);
  for (int32_t g = 0; g < p->groups; g++)
    for (int32_t j = 0; j < cout_g; j++) {
      const int32_t c = g * cout_g + j;
      int64_t b = (int64_t)p->threshold[c] + (tail ? p->tail_fix[c] : 0) -
                  128 * (int64_t)row_chunks(f);
      b = b > INT32_MAX ? INT32_MAX : b < INT32_MIN ? INT32_MIN : b;
      int16_t *blk = lanes + ((size_t)g * bpg + (size_t)(j / 16)) * 32u;
      blk[15 - j % 16] = (int16_t)(uint16_t)((uint32_t)b >> 16);
      blk[16 + 15 - j % 16] = (int16_t)(uint16_t)(uint32_t)b;
    }
  if (v) xai_vpu_scalar(v, (uint64_t)f->n * BUNDLES_BIT_LANE);
}

bool xai_bconv2d_xcore_tap_pops(xai_vpu_ctx *v, const xai_dims4 *f,
                                const int32_t *filter, uint16_t *tap_pops) {
  if (f->c > 2047) return false;
  const size_t taps = (size_t)f->n * f->h * f->w;
  for (size_t t = 0; t < taps; t++)
    tap_pops[t] = (uint16_t)popcount_words(v, NULL, filter + t * (size_t)f->c,
                                           f->c);
  return true;
}

/* One call's state: the im2col row (chunks * 8 words, zero past the
 * receptive field) and the staged copy of the filter's last words, which
 * the last rows' tail chunk reads (beyond them: zeros). */
typedef struct {
  const xai_bconv2d_params *p;
  const xai_dims4 *in_dims, *f;
  const int32_t *in, *filter;
  int32_t cout, kw, chunks;
  int64_t total, stage_base;
  int32_t *row, *stage;
  int16_t pad_taps[256]; /* filters up to 16x16 taps */
} bconv_run;

static void run_init(xai_vpu_ctx *v, bconv_run *r, const xai_bconv2d_params *p,
                     const xai_dims4 *in_dims, const int32_t *in,
                     const xai_dims4 *f, const int32_t *filter, int32_t cout,
                     int32_t *scratch) {
  r->p = p, r->in_dims = in_dims, r->f = f, r->in = in, r->filter = filter;
  r->cout = cout;
  r->kw = row_words(f);
  r->chunks = row_chunks(f);
  r->total = (int64_t)f->n * r->kw;
  r->row = scratch;
  r->stage = scratch + 8 * r->chunks;
  r->stage_base = r->total - 8;
  memset(r->row + r->kw, 0, (size_t)(8 * r->chunks - r->kw) * 4u);
  for (int32_t i = 0; i < STAGE_WORDS; i++) {
    int64_t s = r->stage_base + i;
    r->stage[i] = s >= 0 && s < r->total ? filter[s] : 0;
  }
  xai_vpu_mem(v, (uint64_t)(8 * r->chunks - r->kw) + 2u * STAGE_WORDS);
}

/* Gathers group g's receptive field of output (n, oy, ox); returns the
 * number of padded taps and lists them in r->pad_taps. */
static int32_t gather(xai_vpu_ctx *v, bconv_run *r, int32_t n, int32_t oy,
                      int32_t ox, int32_t g) {
  const xai_bconv2d_params *p = r->p;
  const xai_dims4 *f = r->f, *in_dims = r->in_dims;
  int32_t pads = 0, words = f->c;
  for (int32_t fy = 0; fy < f->h; fy++)
    for (int32_t fx = 0; fx < f->w; fx++) {
      int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dil_h;
      int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dil_w;
      int32_t *dst = r->row + (fy * f->w + fx) * words;
      if (iy < 0 || iy >= in_dims->h || ix < 0 || ix >= in_dims->w) {
        memset(dst, 0, (size_t)words * 4u);
        r->pad_taps[pads++] = (int16_t)(fy * f->w + fx);
        xai_vpu_mem(v, (uint64_t)words);
        continue;
      }
      memcpy(dst, r->in + (((size_t)n * in_dims->h + iy) * in_dims->w + ix) *
                              in_dims->c + (size_t)g * words,
             (size_t)words * 4u);
      xai_vpu_mem(v, 2u * (uint64_t)words); /* LDW + STW a word */
    }
  xai_vpu_branch(v);
  return pads;
}

/* Chunk k of output channel c's filter row: in place, or in the stage
 * when an 8-word read would pass the filter's end. */
static const void *filter_chunk(const bconv_run *r, int32_t c, int32_t k) {
  int64_t s = (int64_t)c * r->kw + 8 * k;
  return s + 8 <= r->total ? (const void *)(r->filter + s)
                           : (const void *)(r->stage + (s - r->stage_base));
}

static void store(xai_vpu_ctx *v, const xai_bconv2d_params *p, void *out,
                  int32_t cout, int32_t c, int32_t accum, uint32_t *column) {
  if (p->out_kind == XAI_BCONV_OUT_BITPACKED) {
    if (accum > p->threshold[c]) *column |= 1u << (c % 32);
    if (c % 32 == 31 || c == cout - 1) {
      ((int32_t *)out)[c / 32] = (int32_t)*column;
      *column = 0;
    }
    xai_vpu_scalar(v, BUNDLES_OUT_BIT);
  } else if (p->out_kind == XAI_BCONV_OUT_INT8) {
    ((int8_t *)out)[c] = xai_bconv2d_s8_out(p, accum, c);
    xai_vpu_scalar(v, BUNDLES_OUT_FLOAT);
  } else {
    ((float *)out)[c] = xai_bconv2d_float_out(p, accum, c);
    xai_vpu_scalar(v, BUNDLES_OUT_FLOAT);
  }
}

/* The 16 bits of a block whose accumulators started from its bit lanes:
 * the sign of each (the high halves' sign) ORed into the pixel's words. */
static void vpu_bits(xai_vpu_ctx *v, int32_t c0, int32_t block,
                     uint32_t *out) {
  _Alignas(32) xai_vpu_vec d;
  xai_vpu_vec r;
  xai_vpu_vstd(v, &d);
  xai_vpu_set_mode(v, XAI_VPU_MODE_INT16);
  xai_vpu_vldr(v, &d);
  xai_vpu_vdepth1(v); /* bit i = acc[i] < 0; acc[15 - j] is channel j */
  xai_vpu_vstr(v, &r);
  xai_vpu_set_mode(v, XAI_VPU_MODE_INT8);
  uint32_t bits = 0;
  for (int32_t j = 0; j < block; j++) bits |= ((r.u32[0] >> (15 - j)) & 1u) << j;
  xai_vpu_scalar(v, BUNDLES_BITS_PACK);
  out[c0 / 32] |= bits << (c0 % 32);
  if (c0 % 32 + block > 32) out[c0 / 32 + 1] |= bits >> (32 - c0 % 32);
  xai_vpu_scalar(v, BUNDLES_BITS_WORD * (c0 % 32 + block > 32 ? 2u : 1u));
}

/* Output pixel (n, oy, ox), all channels, into out (that pixel's values). */
static void conv_pixel(xai_vpu_ctx *v, bconv_run *r, int32_t n, int32_t oy,
                       int32_t ox, void *out) {
  const xai_bconv2d_params *p = r->p;
  const int32_t cout = r->cout, cout_g = cout / p->groups;
  const int32_t zero_point = p->channels_in / p->groups / 2;
  const bool tail = r->kw % 8 != 0;
  uint32_t column = 0;
  const int32_t bpg = (cout_g + 15) / 16;
  for (int32_t g = 0; g < p->groups; g++) {
    int32_t pads = gather(v, r, n, oy, ox, g);
    /* pads are the same for every group of the pixel */
    const bool bits = p->out_kind == XAI_BCONV_OUT_BITPACKED && p->bit_lanes &&
                      !(p->zero_padding && pads);
    if (bits && g == 0) {
      memset(out, 0, 4u * (size_t)xai_lce_words(cout));
      xai_vpu_mem(v, (uint64_t)xai_lce_words(cout));
    }
    for (int32_t c0 = g * cout_g; c0 < (g + 1) * cout_g; c0 += 16) {
      int32_t block = (g + 1) * cout_g - c0 < 16 ? (g + 1) * cout_g - c0 : 16;
      if (bits) {
        const int16_t *lanes =
            p->bit_lanes + ((size_t)g * bpg + (size_t)((c0 - g * cout_g) / 16)) * 32u;
        xai_vpu_vldd(v, lanes);
        xai_vpu_vldr(v, lanes + 16);
      } else {
        xai_vpu_vclrdr(v);
      }
      for (int32_t k = 0; k < r->chunks; k++) {
        xai_vpu_vldc(v, r->row + 8 * k);
        for (int32_t j = 0; j < 16; j++)
          xai_vpu_vlmaccr1(v, j < block ? filter_chunk(r, c0 + j, k)
                                        : (const void *)k_zero_row);
        xai_vpu_branch(v);
      }
      if (bits) {
        vpu_bits(v, c0, block, out);
        continue;
      }
      xai_vpu_vec d, lo;
      xai_vpu_vstd(v, &d);
      xai_vpu_vstr(v, &lo);
      for (int32_t j = 0; j < block; j++) {
        const int32_t c = c0 + j;
        /* after 16 VLMACCR1s per chunk, row j sits in acc[15 - j] */
        int32_t a = (int32_t)(((uint32_t)(uint16_t)d.s16[15 - j] << 16) |
                              lo.u16[15 - j]);
        int32_t accum = 128 * r->chunks - a - (tail ? p->tail_fix[c] : 0);
        if (p->zero_padding && p->tap_pops && pads) {
          const uint16_t *pop = p->tap_pops + (size_t)c * r->f->h * r->f->w;
          for (int32_t t = 0; t < pads; t++)
            accum += zero_point - pop[r->pad_taps[t]];
          xai_vpu_scalar(v, (uint64_t)pads); /* LD16 + ADD a tap */
        } else if (p->zero_padding) {
          for (int32_t t = 0; t < pads; t++)
            accum += zero_point -
                     popcount_words(v, NULL,
                                    r->filter + (size_t)c * r->kw +
                                        r->pad_taps[t] * r->f->c,
                                    r->f->c);
        }
        store(v, p, out, cout, c, accum, &column);
      }
    }
  }
}

static size_t out_pixel_bytes(const xai_bconv2d_params *p, int32_t cout) {
  return p->out_kind == XAI_BCONV_OUT_BITPACKED ? 4u * (size_t)xai_lce_words(cout)
         : p->out_kind == XAI_BCONV_OUT_INT8    ? (size_t)cout
                                                : 4u * (size_t)cout;
}

static xai_status check(const xai_bconv2d_params *p, const xai_dims4 *f,
                        const int32_t *scratch) {
  if (((uintptr_t)scratch & 31u) != 0 || p->groups < 1 ||
      f->h * f->w > 256 || (xai_bconv2d_xcore_needs_tail_fix(f) && !p->tail_fix))
    return XAI_ERR_ARGUMENT;
  return XAI_OK;
}

xai_status xai_bconv2d_xcore(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                             const xai_dims4 *in_dims, const int32_t *in,
                             const xai_dims4 *f, const int32_t *filter,
                             const xai_dims4 *out_dims, void *out,
                             int32_t pix_begin, int32_t pix_end,
                             int32_t *scratch) {
  xai_status st = check(p, f, scratch);
  if (st) return st;
  bconv_run r;
  xai_vpu_set_mode(v, XAI_VPU_MODE_INT8);
  run_init(v, &r, p, in_dims, in, f, filter, out_dims->c, scratch);
  const size_t bytes = out_pixel_bytes(p, out_dims->c);
  for (int32_t pix = pix_begin; pix < pix_end; pix++) {
    int32_t ox = pix % out_dims->w, rest = pix / out_dims->w;
    conv_pixel(v, &r, rest / out_dims->h, rest % out_dims->h, ox,
               (uint8_t *)out + (size_t)pix * bytes);
  }
  return XAI_OK;
}

xai_status xai_bconv2d_pool_xcore(xai_vpu_ctx *v, const xai_bconv2d_params *p,
                                  const xai_bmaxpool_params *pool,
                                  const xai_dims4 *in_dims, const int32_t *in,
                                  const xai_dims4 *f, const int32_t *filter,
                                  const xai_dims4 *conv_dims,
                                  const xai_dims4 *out_dims, int32_t *out,
                                  int32_t pix_begin, int32_t pix_end,
                                  int32_t *scratch) {
  xai_status st = check(p, f, scratch);
  if (st) return st;
  if (p->out_kind != XAI_BCONV_OUT_BITPACKED) return XAI_ERR_ARGUMENT;
  bconv_run r;
  xai_vpu_set_mode(v, XAI_VPU_MODE_INT8);
  run_init(v, &r, p, in_dims, in, f, filter, conv_dims->c, scratch);
  const int32_t words = xai_lce_words(conv_dims->c);
  int32_t *tmp = scratch + 8 * r.chunks + STAGE_WORDS;
  for (int32_t pix = pix_begin; pix < pix_end; pix++) {
    int32_t px = pix % out_dims->w, rest = pix / out_dims->w;
    int32_t n = rest / out_dims->h, py = rest % out_dims->h;
    int32_t *dst = out + (size_t)pix * words;
    for (int32_t w = 0; w < words; w++) dst[w] = -1;
    xai_vpu_mem(v, (uint64_t)words);
    for (int32_t fy = 0; fy < pool->filter_h; fy++)
      for (int32_t fx = 0; fx < pool->filter_w; fx++) {
        int32_t oy = py * pool->stride_h - pool->pad_h + fy;
        int32_t ox = px * pool->stride_w - pool->pad_w + fx;
        if (oy < 0 || oy >= conv_dims->h || ox < 0 || ox >= conv_dims->w)
          continue;
        conv_pixel(v, &r, n, oy, ox, tmp);
        for (int32_t w = 0; w < words; w++) dst[w] &= tmp[w];
        xai_vpu_scalar(v, (uint64_t)words * BUNDLES_POOL_WORD);
      }
  }
  return XAI_OK;
}
