/* The stateful signal ops: SignalFramer {frame_size, frame_step, prefill},
 * SignalStacker {num_channels, stacker_left_context,
 * stacker_right_context, stacker_step}, SignalDelay {delay_length} and
 * SignalOverlapAdd {T, frame_step}. Their samples carry over from one
 * invoke to the next in buffers from the arena tail, reset at prepare as
 * TFLM's are; nothing is allocated during inference. Framer and Stacker
 * leave a frame they cannot fill yet unwritten and say so in their bool
 * output, as TFLM does. */
#include <string.h>

#include "signal_ops_internal.h"

#define IN false
#define OUT true

/* ESTIMATE: moving an int16 sample through a buffer is a load and a store
 * (word copies pair them), plus the arithmetic where there is some. */
#define COPY_BUNDLES 2u

typedef struct {
  int32_t frame_size, step, rows, frames, capacity;
  int16_t *buf;   /* rows * capacity */
  int32_t *count; /* rows */
} framer_data;

static xai_status framer_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  bool prefill;
  int32_t fs, step;
  xai_status st = xai_sig_io(ctx, 1, 2);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 1, XAI_TYPE_BOOL);
  if (!st) st = xai_sig_rank(ctx, OUT, 1, 0);
  if (!st) st = xai_sig_options(ctx, &map);
  if (!st) st = xai_sig_opt_int(ctx, &map, "frame_size", 1, 1 << 20, &fs);
  if (!st) st = xai_sig_opt_int(ctx, &map, "frame_step", 1, 1 << 20, &step);
  if (!st) st = xai_sig_opt_bool(ctx, &map, "prefill", &prefill);
  if (st) return st;
  const xai_rt_tensor *in = xai_op_input(ctx, 0), *out = xai_op_output(ctx, 0);
  const int32_t inner = xai_sig_last_dim(ctx, IN, 0);
  if (in->rank < 1 || out->rank != in->rank + 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "output rank %u must be the input's %u plus one",
                       out->rank, in->rank);
  if (inner < step || inner % step)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the input's last dimension %d is not a whole number "
                       "of frame steps (%d)", (int)inner, (int)step);
  if (prefill && fs < step)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "prefill with frame_size %d below frame_step %d (TFLM "
                       "would prefill a negative count)", (int)fs, (int)step);
  const int32_t rows = xai_sig_elements(ctx, IN, 0) / inner;
  const int32_t frames = inner / step;
  const int64_t want = (int64_t)rows * frames * fs;
  if (xai_sig_last_dim(ctx, OUT, 0) != fs ||
      xai_sig_elements(ctx, OUT, 0) != want)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the output has %d elements; %d rows of %d frames of "
                       "%d need %lld", xai_sig_elements(ctx, OUT, 0),
                       (int)rows, (int)frames, (int)fs, (long long)want);
  framer_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->frame_size = fs;
  d->step = step;
  d->rows = rows;
  d->frames = frames;
  d->capacity = (fs + step - 1) / step * step;
  d->buf = xai_sig_alloc(ctx, (size_t)rows * d->capacity * sizeof *d->buf);
  d->count = d->buf ? xai_sig_alloc(ctx, (size_t)rows * sizeof *d->count) : NULL;
  if (!d->count) return XAI_ERR_NO_MEMORY;
  /* the prefill is zeros, which the zeroed buffer already holds */
  for (int32_t r = 0; r < rows; r++) d->count[r] = prefill ? fs - step : 0;
  return XAI_OK;
}

static xai_status framer_eval(xai_op_ctx *ctx) {
  framer_data *d = ctx->data;
  const int16_t *in = xai_op_input(ctx, 0)->data;
  int16_t *out = xai_op_output(ctx, 0)->data;
  bool valid = true;
  for (int32_t r = 0; r < d->rows; r++)
    for (int32_t f = 0; f < d->frames; f++) {
      const int32_t k = r * d->frames + f;
      valid &= xai_signal_framer_push(
          d->buf + (size_t)r * d->capacity, &d->count[r], d->frame_size,
          d->step, in + (size_t)k * d->step, out + (size_t)k * d->frame_size);
    }
  *(bool *)xai_op_output(ctx, 1)->data = valid;
  xai_sig_cost(ctx, COPY_BUNDLES * (uint64_t)d->rows * (uint64_t)d->frames *
                        (uint64_t)(d->step + 2 * d->frame_size) + 40);
  return XAI_OK;
}

typedef struct {
  int32_t channels, left, right, step, size, count;
  bool started;
  int16_t *buf; /* size */
} stacker_data;

static xai_status stacker_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  int32_t c, l, r, step;
  xai_status st = xai_sig_io(ctx, 1, 2);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 1, XAI_TYPE_BOOL);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 1, 0);
  if (!st) st = xai_sig_options(ctx, &map);
  if (!st) st = xai_sig_opt_int(ctx, &map, "num_channels", 1, 1 << 16, &c);
  if (!st) st = xai_sig_opt_int(ctx, &map, "stacker_left_context", 0, 1 << 10, &l);
  if (!st) st = xai_sig_opt_int(ctx, &map, "stacker_right_context", 0, 1 << 10, &r);
  if (!st) st = xai_sig_opt_int(ctx, &map, "stacker_step", 1, l + r + 1, &step);
  if (st) return st;
  if (xai_sig_elements(ctx, IN, 0) != c ||
      xai_sig_elements(ctx, OUT, 0) != c * (l + r + 1))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input of %d and output of %d values; %d channels "
                       "with context %d + %d need %d and %d",
                       xai_sig_elements(ctx, IN, 0),
                       xai_sig_elements(ctx, OUT, 0), (int)c, (int)l, (int)r,
                       (int)c, (int)(c * (l + r + 1)));
  stacker_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->channels = c;
  d->left = l;
  d->right = r;
  d->step = step;
  d->size = c * (l + r + 1);
  d->buf = xai_sig_alloc(ctx, (size_t)d->size * sizeof *d->buf);
  return d->buf ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status stacker_eval(xai_op_ctx *ctx) {
  stacker_data *d = ctx->data;
  *(bool *)xai_op_output(ctx, 1)->data = xai_signal_stacker_push(
      d->buf, &d->count, &d->started, d->channels, d->left, d->right, d->step,
      xai_op_input(ctx, 0)->data, xai_op_output(ctx, 0)->data);
  xai_sig_cost(ctx, COPY_BUNDLES * (uint64_t)(d->channels + 2 * d->size) + 40);
  return XAI_OK;
}

typedef struct {
  int32_t delay, frame, rows, scratch;
  int16_t *hist; /* rows * delay */
} delay_data;

static xai_status delay_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  int32_t delay;
  xai_status st = xai_sig_io(ctx, 1, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_options(ctx, &map);
  if (!st) st = xai_sig_opt_int(ctx, &map, "delay_length", 0, 1 << 20, &delay);
  if (st) return st;
  const int32_t frame = xai_sig_last_dim(ctx, IN, 0);
  if (xai_op_input(ctx, 0)->rank < 1 || frame < 1 ||
      xai_sig_elements(ctx, OUT, 0) != xai_sig_elements(ctx, IN, 0))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input (%d values, rank %u) and output (%d) must be "
                       "the same non-empty size",
                       xai_sig_elements(ctx, IN, 0),
                       xai_op_input(ctx, 0)->rank,
                       xai_sig_elements(ctx, OUT, 0));
  delay_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->delay = delay;
  d->frame = frame;
  d->rows = xai_sig_elements(ctx, IN, 0) / frame;
  d->hist = xai_sig_alloc(ctx, (size_t)d->rows * delay * sizeof *d->hist);
  if (!d->hist) return XAI_ERR_NO_MEMORY;
  return xai_op_request_scratch(ctx, (size_t)(frame + delay) * sizeof(int16_t),
                                &d->scratch);
}

static xai_status delay_eval(xai_op_ctx *ctx) {
  delay_data *d = ctx->data;
  const int16_t *in = xai_op_input(ctx, 0)->data;
  int16_t *out = xai_op_output(ctx, 0)->data;
  int16_t *work = xai_op_scratch(ctx, d->scratch);
  for (int32_t r = 0; r < d->rows; r++)
    xai_signal_delay_row(d->hist + (size_t)r * d->delay, d->delay, d->frame,
                         in + (size_t)r * d->frame, work,
                         out + (size_t)r * d->frame);
  xai_sig_cost(ctx, COPY_BUNDLES * (uint64_t)d->rows *
                        (uint64_t)(2 * d->frame + 2 * d->delay) + 40);
  return XAI_OK;
}

typedef struct {
  int32_t frame_size, step, frames, rows;
  int8_t type;
  void *buf; /* rows * frame_size of the type */
} overlap_data;

static xai_status overlap_prepare(xai_op_ctx *ctx) {
  static const int8_t types[] = {XAI_TYPE_INT16, XAI_TYPE_FLOAT32};
  xai_flexbuf_ref map;
  int8_t type;
  int32_t step;
  xai_status st = xai_sig_io(ctx, 1, 1);
  if (!st) st = xai_sig_type_of(ctx, IN, 0, types, 2, &type);
  if (!st) st = xai_sig_type(ctx, OUT, 0, type);
  if (!st) st = xai_sig_options(ctx, &map);
  if (!st) st = xai_sig_type_option(ctx, &map, type);
  if (!st) st = xai_sig_opt_int(ctx, &map, "frame_step", 1, 1 << 20, &step);
  if (st) return st;
  const xai_rt_tensor *in = xai_op_input(ctx, 0), *out = xai_op_output(ctx, 0);
  if (in->rank < 2 || out->rank + 1 != in->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input rank %u must be at least 2 and the output's "
                       "(%u) plus one", in->rank, out->rank);
  const int32_t fs = in->dims[in->rank - 1], frames = in->dims[in->rank - 2];
  if (fs < step || frames < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "frames of %d are shorter than option 'frame_step' "
                       "%d", (int)fs, (int)step);
  const int32_t rows =
      (int32_t)(xai_sig_elements(ctx, IN, 0) / ((int64_t)fs * frames));
  const int64_t want = (int64_t)rows * frames * step;
  if (xai_sig_elements(ctx, OUT, 0) != want)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the output has %d elements; %d rows of %d frames "
                       "of step %d give %lld", xai_sig_elements(ctx, OUT, 0),
                       (int)rows, (int)frames, (int)step, (long long)want);
  overlap_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->frame_size = fs;
  d->step = step;
  d->frames = frames;
  d->rows = rows;
  d->type = type;
  d->buf = xai_sig_alloc(ctx, (size_t)rows * fs * xai_tensor_type_size(type));
  return d->buf ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status overlap_eval(xai_op_ctx *ctx) {
  overlap_data *d = ctx->data;
  const size_t es = xai_tensor_type_size(d->type);
  const uint8_t *in = xai_op_input(ctx, 0)->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  for (int32_t r = 0; r < d->rows; r++) {
    void *buf = (uint8_t *)d->buf + (size_t)r * d->frame_size * es;
    for (int32_t f = 0; f < d->frames; f++) {
      const size_t k = (size_t)r * d->frames + f;
      const void *i = in + k * d->frame_size * es;
      void *o = out + k * d->step * es;
      if (d->type == XAI_TYPE_INT16)
        xai_signal_overlap_add_s16(buf, d->frame_size, d->step, i, o);
      else
        xai_signal_overlap_add_f32(buf, d->frame_size, d->step, i, o);
    }
  }
  /* per frame sample: add (and saturate), then the shift of the buffer */
  xai_sig_cost(ctx, (4u + COPY_BUNDLES) * (uint64_t)d->rows *
                        (uint64_t)d->frames * (uint64_t)d->frame_size + 40);
  return XAI_OK;
}

const xai_op_registration xai_op_signal_framer = {
    XAI_OP_CUSTOM, "SignalFramer", framer_prepare, framer_eval, NULL};
const xai_op_registration xai_op_signal_stacker = {
    XAI_OP_CUSTOM, "SignalStacker", stacker_prepare, stacker_eval, NULL};
const xai_op_registration xai_op_signal_delay = {
    XAI_OP_CUSTOM, "SignalDelay", delay_prepare, delay_eval, NULL};
const xai_op_registration xai_op_signal_overlap_add = {
    XAI_OP_CUSTOM, "SignalOverlapAdd", overlap_prepare, overlap_eval, NULL};
