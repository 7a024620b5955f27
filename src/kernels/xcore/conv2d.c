/* xcore CONV_2D int8: VLMACCR over 32 input bytes into 16 output channels.
 * Direct path (input channels a multiple of 32): each tap's input pixel is
 * read in place. Otherwise (im2col) the patch of one output pixel is read
 * in place when it is already contiguous in the input (1x1 and similar,
 * see patch_contiguous), else gathered: into a zero-tailed arena scratch
 * vector when the layer has several groups of 16 output channels (one
 * gather serves them all), chunk by chunk into a stack vector when it has
 * one. Then the same MAC loop runs.
 * Padded taps read a vector of the input zero point (see conv.h on why the
 * folded bias stays exact). */
#include <string.h>

#include "requant_internal.h"
#include "xai/kernels_xcore/conv.h"
#include "xai/xcore_machine.h"

static int dims_ok(const xai_dims4 *d) {
  return d && d->n > 0 && d->h > 0 && d->w > 0 && d->c > 0;
}

static size_t im2col_weight_bytes(const xai_dims4 *f) {
  size_t k = (size_t)f->h * (size_t)f->w * (size_t)f->c;
  return xai_xc_mac_weight_bytes(f->n, (int32_t)((k + 31u) / 32u * 32u));
}

static int32_t popcount4(int32_t m) {
  return (m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) + ((m >> 3) & 1);
}

/* Window layout (conv.h): per filter row, 16 rows for each input offset
 * a the layer can meet (aligns: bit a; 4 when unknown). */
static size_t window_weight_bytes(const xai_dims4 *f, int32_t aligns) {
  return (size_t)f->h * (size_t)popcount4(aligns) * 512u;
}

static size_t conv_weight_bytes(const xai_conv_xcore *op) {
  return op->window ? window_weight_bytes(&op->filter, op->window_aligns)
                    : im2col_weight_bytes(&op->filter);
}

static int patch_contiguous(const xai_conv_xcore *op);
static void derive(xai_conv_xcore *op);

static int geometry_ok(const xai_conv_params *p, const xai_dims4 *in,
                       const xai_dims4 *filter, const xai_dims4 *out) {
  return dims_ok(in) && dims_ok(filter) && dims_ok(out) &&
         filter->n == out->c && filter->c == in->c && in->n == out->n &&
         p->stride_h >= 1 && p->stride_w >= 1 && p->dilation_h >= 1 &&
         p->dilation_w >= 1;
}

size_t xai_conv2d_s8_xcore_packed_size_p(const xai_conv_params *p,
                                         const xai_dims4 *in,
                                         const xai_dims4 *filter,
                                         const xai_dims4 *out) {
  if (!p || !geometry_ok(p, in, filter, out)) return 0;
  xai_conv_xcore op;
  memset(&op, 0, sizeof op);
  op.p = *p;
  op.in = *in;
  op.filter = *filter;
  op.out = *out;
  derive(&op);
  return xai_xc_layout_max_size(conv_weight_bytes(&op), op.n_groups);
}

size_t xai_conv2d_s8_xcore_packed_size(const xai_dims4 *in,
                                       const xai_dims4 *filter,
                                       const xai_dims4 *out) {
  if (!dims_ok(in) || !dims_ok(filter) || !dims_ok(out)) return 0;
  size_t im2col =
      xai_xc_layout_max_size(im2col_weight_bytes(filter), (out->c + 15) / 16);
  /* The window layout may be larger when some stride could select it. */
  if (in->c % 32 != 0 && out->c <= 16 && filter->w * in->c + 3 <= 32) {
    size_t win = xai_xc_layout_max_size(window_weight_bytes(filter, 15), 1);
    return win > im2col ? win : im2col;
  }
  return im2col;
}

/* Output pixels per vector in the window layout, or 0 (conv.h). */
static int32_t window_pixels(const xai_conv_xcore *op) {
  const xai_conv_params *p = &op->p;
  if (op->direct || op->patch_contiguous || op->out.c > 16) return 0;
  int64_t span = ((int64_t)(op->filter.w - 1) * p->dilation_w + 1) * op->in.c;
  if (span + 3 > 32) return 0;
  if (op->out.c > 8) return 1;
  int32_t n = 16 / op->out.c;
  while (n > 1 && (int64_t)(n - 1) * p->stride_w * op->in.c + span + 3 > 32)
    n--;
  return n;
}

/* The offsets a = (window start) mod 4 a layer meets (bit a): a window
 * starts at byte (row * in.w + x0) * in.c of the input, for input rows
 * row and block starts x0 = j * window * stride_w - pad_w; a read in
 * place takes the word-aligned address below it, a staged window (edges,
 * a misaligned input) is copied to the same offset of the stage vector.
 * Both residues mod 4 repeat with a period of at most 4, so 4 of each
 * cover every case. Most layers meet few offsets (e.g. a one-channel
 * image of a width divisible by 4 with stride 2 only a = 0), and only
 * those weight rows are stored. */
static int32_t window_aligns(const xai_conv_xcore *op) {
  const int64_t ic = op->in.c, rows = (int64_t)op->in.n * op->in.h;
  const int64_t blocks = (op->out.w + op->window - 1) / op->window;
  int32_t mask = 0;
  for (int64_t r = 0; r < rows && r < 4; r++)
    for (int64_t j = 0; j < blocks && j < 4; j++) {
      int64_t x0 = j * op->window * op->p.stride_w - op->p.pad_w;
      int64_t off = (r * op->in.w + x0) * ic;
      mask |= 1 << (int32_t)(((off % 4) + 4) % 4);
    }
  return mask;
}

/* Fields that follow from the geometry: shared by pack and bind so both
 * agree on the blob's layout. */
static void derive(xai_conv_xcore *op) {
  op->k = op->filter.h * op->filter.w * op->filter.c;
  op->k_pad = (op->k + 31) / 32 * 32;
  op->n_groups = (op->out.c + 15) / 16;
  op->direct = op->in.c % 32 == 0;
  op->depth_multiplier = 1;
  op->patch_contiguous = patch_contiguous(op);
  op->window = window_pixels(op);
  op->window_aligns = op->window ? window_aligns(op) : 0;
}

static void set_pointers(xai_conv_xcore *op, const xai_xc_layout *l) {
  op->weights = l->weights;
  op->bias = l->bias;
  op->rq = l->rq;
  op->consts = l->consts;
}

xai_status xai_conv2d_s8_xcore_bind(xai_conv_xcore *op, const void *mem,
                                    size_t mem_size) {
  if (!op || !geometry_ok(&op->p, &op->in, &op->filter, &op->out))
    return XAI_ERR_ARGUMENT;
  derive(op);
  xai_xc_layout l = {0};
  xai_status st = mem ? xai_xc_layout_bind(mem, mem_size,
                                     conv_weight_bytes(op), op->n_groups, &l)
                      : XAI_OK;
  if (st != XAI_OK) return st;
  set_pointers(op, &l);
  return XAI_OK;
}

xai_status xai_conv2d_s8_xcore_placeholder(const xai_conv_xcore *op,
                                           void *mem, size_t mem_size) {
  if (!op || !geometry_ok(&op->p, &op->in, &op->filter, &op->out))
    return XAI_ERR_ARGUMENT;
  xai_conv_xcore g = *op;
  derive(&g);
  return xai_xc_layout_placeholder(mem, mem_size, conv_weight_bytes(&g),
                                   g.n_groups);
}

/* Window layout rows (conv.h). */
static void pack_window(const xai_conv_xcore *op, const int8_t *f,
                        int8_t *weights) {
  const int32_t ic = op->in.c, oc = op->out.c, kw = op->filter.w;
  const int32_t pix = op->window, n_al = popcount4(op->window_aligns);
  for (int32_t fy = 0; fy < op->filter.h; fy++)
    for (int32_t a = 0; a < 4; a++) {
      if (!(op->window_aligns & (1 << a))) continue;
      int32_t slot = popcount4(op->window_aligns & ((1 << a) - 1));
      for (int32_t lane = 0; lane < pix * oc && lane < 16; lane++) {
        int32_t px = lane / oc, c = lane % oc;
        int8_t *row = weights + ((size_t)(fy * n_al + slot) * 16u +
                                 (size_t)(15 - lane)) * 32u;
        for (int32_t fx = 0; fx < kw; fx++)
          for (int32_t ci = 0; ci < ic; ci++)
            row[a + px * op->p.stride_w * ic + fx * op->p.dilation_w * ic +
                ci] = f[(((size_t)c * op->filter.h + (size_t)fy) * kw +
                         (size_t)fx) * (size_t)ic + (size_t)ci];
      }
    }
}

xai_status xai_conv2d_s8_xcore_pack(const xai_conv_params *p,
                                    const xai_per_channel_quant *q,
                                    const xai_dims4 *in,
                                    const xai_dims4 *filter,
                                    const int8_t *filter_data,
                                    const int32_t *bias, const xai_dims4 *out,
                                    void *mem, size_t mem_size,
                                    xai_conv_xcore *op, xai_error *err) {
  if (!p || !q || !q->multiplier || !q->shift || !filter_data || !mem || !op)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore CONV_2D pack: missing params, quantization, "
                    "filter, memory or op");
  if (!dims_ok(in) || !dims_ok(filter) || !dims_ok(out) ||
      filter->n != out->c || in->n != out->n || p->stride_h < 1 ||
      p->stride_w < 1 || p->dilation_h < 1 || p->dilation_w < 1)
    return xai_fail(err, XAI_ERR_ARGUMENT,
                    "xcore CONV_2D pack: inconsistent shapes, strides or "
                    "dilations");
  if (filter->c != in->c)
    return xai_fail(err, XAI_ERR_UNSUPPORTED,
                    "xcore CONV_2D pack: grouped convolution (%d input "
                    "channels, filter depth %d) is not supported; use the "
                    "reference kernel",
                    (int)in->c, (int)filter->c);
  if (((uintptr_t)mem & (XAI_XCORE_VPU_ALIGN - 1u)) != 0 ||
      mem_size < xai_conv2d_s8_xcore_packed_size_p(p, in, filter, out))
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "xcore CONV_2D pack: need %zu bytes, 4-byte aligned",
                    xai_conv2d_s8_xcore_packed_size_p(p, in, filter, out));
  memset(op, 0, sizeof *op);
  op->p = *p;
  op->in = *in;
  op->filter = *filter;
  op->out = *out;
  derive(op);
  xai_xc_layout l;
  xai_xc_layout_carve(mem, conv_weight_bytes(op), op->n_groups, &l);
  l.rq_compact = xai_xc_rq_compact_for((size_t)out->n * (size_t)out->h *
                                       (size_t)out->w);
  if (op->window)
    pack_window(op, filter_data, l.weights);
  else
    for (int32_t oc = 0; oc < out->c; oc++)
      xai_xc_pack_row(l.weights, op->k_pad, out->c, oc,
                      filter_data + (size_t)oc * (size_t)op->k, op->k);
  xai_status st = xai_xc_pack_channels(
      &l, out->c, op->window, filter_data, (size_t)op->k, (size_t)op->k, 1,
      bias, -p->input_offset, q, p->output_offset, p->act_min, p->act_max, 0,
      "xcore CONV_2D", err);
  if (st != XAI_OK) return st;
  set_pointers(op, &l);
  return XAI_OK;
}

/* 1 when every output pixel's patch (im2col row) is already one
 * contiguous run of k input bytes that starts on a word boundary, so it
 * can be read in place: all taps inside the input, the taps of a filter
 * row adjacent (kw == 1 or dilation_w == 1), the filter rows adjacent in
 * memory (kh == 1, or the filter row spans the whole input row with
 * dilation_h == 1), and whole words per pixel. 1x1 convolutions without
 * padding are the common case (pointwise layers of MobileNets). Bytes a
 * 32-byte read takes beyond the patch meet zero weights (k_pad padding),
 * so they do not change the sums. */
static int patch_contiguous(const xai_conv_xcore *op) {
  const xai_conv_params *p = &op->p;
  if (op->direct || op->in.c % 4 != 0) return 0;
  if (op->filter.w > 1 && p->dilation_w != 1) return 0;
  if (op->filter.h > 1 &&
      !(op->filter.w == op->in.w && p->dilation_h == 1))
    return 0;
  int64_t y0 = -(int64_t)p->pad_h, x0 = -(int64_t)p->pad_w;
  int64_t y1 = (int64_t)(op->out.h - 1) * p->stride_h - p->pad_h +
               (int64_t)(op->filter.h - 1) * p->dilation_h;
  int64_t x1 = (int64_t)(op->out.w - 1) * p->stride_w - p->pad_w +
               (int64_t)(op->filter.w - 1) * p->dilation_w;
  return y0 >= 0 && x0 >= 0 && y1 < op->in.h && x1 < op->in.w;
}

/* The whole gathered patch as arena scratch: only for patches that can
 * neither be read in place nor gathered chunk by chunk into the frame's
 * stage vector without repeating the gather per group (more than one
 * group of 16 output channels). The other staging is fixed-size and lives
 * in the kernel's stack frame (xai_xc_frame). */
static int needs_patch(const xai_conv_xcore *op) {
  return !op->direct && !op->patch_contiguous && op->n_groups > 1;
}

size_t xai_conv2d_s8_xcore_scratch_size(const xai_conv_xcore *op) {
  return needs_patch(op) ? (size_t)op->k_pad : 0u;
}

/* Bytes [from, to) of the patch of output pixel (b, oy, ox) into dst
 * (im2col); padded taps give the input zero point. */
static void gather_range(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                         const int8_t *in, int32_t b, int32_t oy, int32_t ox,
                         int32_t from, int32_t to, int8_t *dst, int8_t zp) {
  const xai_conv_params *p = &op->p;
  const int32_t c = op->in.c;
  for (int32_t pos = from; pos < to;) {
    int32_t tap = pos / c, ci = pos % c;
    int32_t n = c - ci < to - pos ? c - ci : to - pos;
    int32_t fy = tap / op->filter.w, fx = tap % op->filter.w;
    int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
    int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
    int words = n % 4 == 0 && ci % 4 == 0 && c % 4 == 0 && (pos - from) % 4 == 0;
    if (iy < 0 || iy >= op->in.h || ix < 0 || ix >= op->in.w) {
      memset(dst, zp, (size_t)n);
      xai_xc_charge_fill(ctx, words ? (size_t)(n / 4) : (size_t)n);
    } else {
      const int8_t *src =
          in + (((size_t)b * op->in.h + iy) * op->in.w + ix) * (size_t)c + ci;
      memcpy(dst, src, (size_t)n);
      xai_xc_charge_copy(ctx, (size_t)n, words);
    }
    xai_vpu_scalar(ctx, 2); /* div/mod walk, addresses */
    xai_vpu_branch(ctx);    /* bounds test; loop */
    dst += n;
    pos += n;
  }
}

/* Window layout (conv.h): for each output pixel block and filter row, one
 * 32-byte read of the input row holds the taps of all its pixels, so
 * nothing is gathered; the row's first byte sits at offset a = its
 * address mod 4, which selects the weight rows. Rows outside the input
 * read the zero-point vector; a window that crosses the left or right
 * edge, or whose read would pass the end of the input, is staged with the
 * zero point in padded positions (a = 0). */
static void run_window(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                       const int8_t *in, int8_t *out, int32_t u_begin,
                       int32_t u_end, int8_t *zpvec, int8_t *stage,
                       void *rq_scratch) {
  const xai_conv_params *p = &op->p;
  const int32_t ic = op->in.c, oc = op->out.c, step = op->window;
  const int32_t n_al = popcount4(op->window_aligns);
  const size_t in_bytes =
      (size_t)op->in.n * op->in.h * op->in.w * (size_t)ic;
  const int aligned_in = ((uintptr_t)in & 3u) == 0;
  const int32_t nb = (op->out.w + step - 1) / step;
  for (int32_t row = u_begin / nb; (int64_t)row * nb < u_end; row++) {
    int32_t b = row / op->out.h, oy = row % op->out.h;
    int32_t ox_end = xai_xc_unit_ox_end(row, nb, step, op->out.w, u_end);
    for (int32_t ox = xai_xc_unit_ox_begin(row, nb, step, u_begin);
         ox < ox_end; ox += step) {
      int32_t npix = op->out.w - ox < step ? op->out.w - ox : step;
      int8_t *o = out + (((size_t)b * op->out.h + oy) * op->out.w + ox) *
                            (size_t)oc;
      int32_t x0 = ox * p->stride_w - p->pad_w;
      int32_t x1 = x0 + (npix - 1) * p->stride_w +
                   (op->filter.w - 1) * p->dilation_w; /* last pixel read */
      int32_t span = (x1 - x0 + 1) * ic;
      xai_vpu_defer(ctx, 3); /* output address, window bounds */
      xai_vpu_branch(ctx);    /* pixel loop */
      xai_vpu_mem(ctx, xai_vpu_spills(XAI_XC_PIXEL_LOOP_LIVE));
      xai_xc_bias_init(ctx, op->bias, 0);
      for (int32_t fy = 0; fy < op->filter.h; fy++) {
        int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
        const int8_t *src = zpvec;
        int32_t a = -1; /* the zero-point vector suits every slot */
        xai_vpu_defer(ctx, 1); /* window address */
        xai_vpu_branch(ctx);    /* row loop (the bounds test pairs) */
        if (iy >= 0 && iy < op->in.h) {
          size_t rowoff = ((size_t)b * op->in.h + (size_t)iy) * op->in.w;
          /* x0 may be negative: the wrap keeps the residue mod 4. */
          size_t off = (rowoff + (size_t)x0) * (size_t)ic;
          a = (int32_t)(off & 3u);
          if (aligned_in && x0 >= 0 && x1 < op->in.w &&
              off - (size_t)a + 32u <= in_bytes) {
            src = in + (off - (size_t)a);
          } else {
            /* Staged at the same offset a, so only the offsets in-place
             * reads meet need weight rows (window_aligns). */
            for (int32_t j = 0; j < span; j++) {
              int32_t x = x0 + j / ic;
              stage[a + j] = x >= 0 && x < op->in.w
                             ? in[(rowoff + (size_t)x) * (size_t)ic +
                                  (size_t)(j % ic)]
                             : zpvec[0];
            }
            xai_xc_charge_copy(ctx, (size_t)span, 0);
            src = stage;
          }
        }
        /* Stored offsets only: with all 4 or only a = 0 the slot is a
         * (no work); else one table load maps a to its slot. */
        int32_t slot = a < 0 ? 0 : a;
        if (n_al != 4 && a > 0)
          slot = popcount4(op->window_aligns & ((1 << a) - 1));
        if (n_al != 4 && n_al != 1) xai_vpu_mem(ctx, 1); /* slot table */
        xai_vpu_vldc(ctx, src);
        xai_xc_mac16(ctx, op->weights + (size_t)(fy * n_al + slot) * 512u);
      }
      xai_rq_run(ctx, op->rq, op->consts, o, npix * oc, rq_scratch);
      xai_vpu_flush(ctx);
    }
  }
}

typedef enum {
  PATCH_DIRECT,     /* in.c % 32 == 0: each tap's pixel read in place */
  PATCH_IN_PLACE,   /* contiguous patch read in place, tail staged */
  PATCH_GATHERED,   /* whole patch gathered into arena scratch */
  PATCH_CHUNKED     /* each 32-byte chunk gathered into the stage vector */
} patch_mode;

int32_t xai_conv2d_s8_xcore_row_units(const xai_conv_xcore *op) {
  int32_t step = op->window ? op->window : 1;
  return (op->out.w + step - 1) / step;
}

xai_status xai_conv2d_s8_xcore(xai_vpu_ctx *ctx, const xai_conv_xcore *op,
                               const int8_t *in, int8_t *out,
                               int32_t row_begin, int32_t row_end,
                               void *scratch, size_t scratch_size) {
  int32_t rows = op ? op->out.n * op->out.h : 0;
  if (!op || row_begin < 0 || row_end > rows || row_begin > row_end)
    return XAI_ERR_ARGUMENT;
  int32_t nb = xai_conv2d_s8_xcore_row_units(op);
  return xai_conv2d_s8_xcore_units(ctx, op, in, out, row_begin * nb,
                                   row_end * nb, scratch, scratch_size);
}

xai_status xai_conv2d_s8_xcore_units(xai_vpu_ctx *ctx,
                                     const xai_conv_xcore *op,
                                     const int8_t *in, int8_t *out,
                                     int32_t u_begin, int32_t u_end,
                                     void *scratch, size_t scratch_size) {
  int64_t units = op ? (int64_t)op->out.n * op->out.h *
                           xai_conv2d_s8_xcore_row_units(op)
                     : 0;
  if (!ctx || !op || !in || !out || u_begin < 0 || u_end > units ||
      u_begin > u_end || ((uintptr_t)scratch & 3u) ||
      scratch_size < xai_conv2d_s8_xcore_scratch_size(op) ||
      (scratch_size && !scratch))
    return XAI_ERR_ARGUMENT;
  const xai_conv_params *p = &op->p;
  xai_xc_frame frame;
  void *rq_scratch = frame.rq;
  int8_t *zpvec = (int8_t *)frame.zp;
  int8_t *stage = (int8_t *)frame.stage;
  const int8_t zp = (int8_t)(-p->input_offset);
  memset(zpvec, zp, 32);
  memset(stage, 0, 32);
  xai_vpu_scalar(ctx, 16);
  /* A misaligned input (never an arena tensor) falls back to gathering:
   * into the patch when the caller gave room for it, else chunk by chunk
   * (the same bits, more copies). */
  if (op->window) {
    xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
    run_window(ctx, op, in, out, u_begin, u_end, zpvec, stage,
               rq_scratch);
    return XAI_OK;
  }
  const int aligned_in = ((uintptr_t)in & 3u) == 0;
  patch_mode mode = op->direct ? PATCH_DIRECT
                    : op->patch_contiguous && aligned_in ? PATCH_IN_PLACE
                    : scratch_size >= (size_t)op->k_pad ? PATCH_GATHERED
                                                         : PATCH_CHUNKED;
  int8_t *patch = (int8_t *)scratch;
  if (mode == PATCH_GATHERED) {
    memset(patch + op->k, 0, (size_t)(op->k_pad - op->k));
    xai_xc_charge_fill(ctx, (size_t)(op->k_pad - op->k));
  }
  xai_vpu_set_mode(ctx, XAI_VPU_MODE_INT8);
  const int32_t c = op->in.c, chunks_per_tap = c / 32;
  const int32_t n_chunks = op->k_pad / 32;
  const int32_t tail = op->k - 32 * (n_chunks - 1); /* bytes in the last */
  const size_t in_bytes =
      (size_t)op->in.n * op->in.h * op->in.w * (size_t)c;
  const size_t group_bytes = (size_t)op->k_pad * 16u;
  const int32_t nb = op->out.w;
  /* One group of one chunk (e.g. a 1x1 conv to <= 16 channels from <= 32)
   * runs a generated pixel loop without the group and chunk loops
   * (XAI_XCORE_UNROLLED_CODE_BYTES): no group or chunk branch, the one
   * record's address is loop-invariant, and without the two counters the
   * loop keeps 12 live values (no spill). */
  const int one_block = mode != PATCH_DIRECT && op->n_groups == 1 &&
                        n_chunks == 1;
  const unsigned live = one_block ? XAI_XC_PIXEL_LOOP_LIVE - 2u
                                  : XAI_XC_PIXEL_LOOP_LIVE;
  for (int32_t row = u_begin / nb; (int64_t)row * nb < u_end; row++) {
    int32_t b = row / op->out.h, oy = row % op->out.h;
    int32_t ox_end = xai_xc_unit_ox_end(row, nb, 1, op->out.w, u_end);
    for (int32_t ox = xai_xc_unit_ox_begin(row, nb, 1, u_begin); ox < ox_end;
         ox++) {
      int8_t *o = out + (((size_t)b * op->out.h + oy) * op->out.w + ox) *
                            (size_t)op->out.c;
      xai_vpu_defer(ctx, 3); /* output address */
      xai_vpu_branch(ctx);    /* pixel loop */
      xai_vpu_mem(ctx, xai_vpu_spills(live));
      const int8_t *base = NULL; /* PATCH_IN_PLACE: the patch's first byte */
      int staged_last = 0;
      if (mode == PATCH_GATHERED) {
        gather_range(ctx, op, in, b, oy, ox, 0, op->k, patch, zp);
      } else if (mode == PATCH_IN_PLACE) {
        size_t off = (((size_t)b * op->in.h +
                       (size_t)(oy * p->stride_h - p->pad_h)) *
                          op->in.w +
                      (size_t)(ox * p->stride_w - p->pad_w)) *
                     (size_t)c;
        base = in + off;
        xai_vpu_defer(ctx, 2); /* patch address, end test */
        /* The last chunk's read would pass the end of the input. */
        if (off + (size_t)op->k_pad > in_bytes) {
          staged_last = 1;
          memcpy(stage, base + 32 * (n_chunks - 1), (size_t)tail);
          xai_xc_charge_copy(ctx, (size_t)tail, 1);
        }
      }
      for (int32_t g = 0; g < op->n_groups; g++) {
        const int8_t *wg = op->weights + (size_t)g * group_bytes;
        const int32_t rows = xai_xc_group_rows(op->out.c, g);
        xai_xc_bias_init(ctx, op->bias, g);
        xai_vpu_defer(ctx, 1); /* weight and record addresses */
        if (!one_block) {
          xai_vpu_branch(ctx); /* group loop */
          xai_vpu_mem(ctx, 1); /* ldw: the group's record offset */
        }
        if (mode == PATCH_DIRECT) {
          /* Filters of 2 to 9 taps of one chunk each (3x3 at 32 input
           * channels) run a generated unrolled tap block
           * (XAI_XCORE_UNROLLED_CODE_BYTES): no tap branch; each tap's
           * bounds test and address select stay ALU work. */
          const int tap_loop = chunks_per_tap > 1 ||
                               op->filter.h * op->filter.w > 9 ||
                               op->filter.h * op->filter.w < 2;
          int32_t chunk = 0;
          for (int32_t fy = 0; fy < op->filter.h; fy++) {
            int32_t iy = oy * p->stride_h - p->pad_h + fy * p->dilation_h;
            for (int32_t fx = 0; fx < op->filter.w; fx++) {
              int32_t ix = ox * p->stride_w - p->pad_w + fx * p->dilation_w;
              int inside =
                  iy >= 0 && iy < op->in.h && ix >= 0 && ix < op->in.w;
              const int8_t *src =
                  inside ? in + (((size_t)b * op->in.h + iy) * op->in.w +
                                 ix) * (size_t)c
                         : zpvec;
              xai_vpu_defer(ctx, 2); /* bounds test, tap address */
              if (tap_loop) xai_vpu_branch(ctx); /* tap loop */
              for (int32_t j = 0; j < chunks_per_tap; j++, chunk++) {
                xai_vpu_vldc(ctx, inside ? src + 32 * j : zpvec);
                xai_xc_mac_rows(ctx, wg + (size_t)chunk * 32u * rows, rows);
                if (chunks_per_tap > 1) xai_vpu_branch(ctx); /* chunk loop */
              }
            }
          }
        } else {
          for (int32_t j = 0; j < n_chunks; j++) {
            const int8_t *src;
            if (mode == PATCH_GATHERED) {
              src = patch + 32 * j;
            } else if (mode == PATCH_IN_PLACE) {
              src = staged_last && j == n_chunks - 1 ? stage : base + 32 * j;
            } else {
              /* Bytes past the patch's end keep older values; they meet
               * zero weights. */
              int32_t to = j == n_chunks - 1 ? op->k : 32 * j + 32;
              gather_range(ctx, op, in, b, oy, ox, 32 * j, to, stage, zp);
              src = stage;
            }
            xai_vpu_vldc(ctx, src);
            xai_xc_mac_rows(ctx, wg + (size_t)j * 32u * rows, rows);
            if (!one_block) xai_vpu_branch(ctx); /* chunk loop */
          }
        }
        int n = op->out.c - 16 * g < 16 ? op->out.c - 16 * g : 16;
        xai_rq_run(ctx, xai_xc_group(op->weights, op->bias, op->n_groups, g),
                   op->consts, o + 16 * g, n, rq_scratch);
      }
      xai_vpu_flush(ctx);
    }
  }
  return XAI_OK;
}
