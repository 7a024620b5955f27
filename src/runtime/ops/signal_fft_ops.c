/* SignalRfft and SignalIrfft over the last axis, int16 / int32 / float32
 * as TFLM's kernels: options {T: tensor type, fft_length: N}. Rfft zero-
 * pads each row of up to N values and writes N/2 + 1 complex values
 * (2 * (N/2 + 1) scalars); Irfft reads those and writes N.
 * The twiddles live in the arena tail; KISS FFT's work buffer (which TFLM
 * keeps there too) is scratch, overlapping dead activations. */
#include <string.h>

#include "signal_ops_internal.h"

typedef struct {
  xai_rfft_plan plan;
  int32_t rows, in_len, out_len;
  int32_t scratch; /* KISS FFT's work buffer */
} fft_data;

/* ESTIMATE, scalar bundles per complex point per radix stage: a radix-4
 * butterfly's 4 divide-by-radix scalings, 3 complex multiplies and 16 adds
 * over 4 points; int32 products take two bundles, float is single issue. */
static uint32_t per_point_stage(int8_t type) {
  return type == XAI_TYPE_INT16 ? 15u : type == XAI_TYPE_INT32 ? 20u : 18u;
}

static void fft_cost(xai_op_ctx *ctx, const fft_data *d) {
  const xai_rfft_plan *p = &d->plan;
  uint64_t per_row = (uint64_t)p->n * (uint64_t)p->factor_count *
                         per_point_stage(p->type) +
                     40u * (uint64_t)(p->n / 2) + 2u * (uint64_t)p->fft_length;
  xai_sig_cost(ctx, per_row * (uint64_t)d->rows + 60);
}

static xai_status prepare(xai_op_ctx *ctx, bool inverse) {
  static const int8_t types[] = {XAI_TYPE_INT16, XAI_TYPE_INT32,
                                 XAI_TYPE_FLOAT32};
  xai_flexbuf_ref map;
  int8_t type;
  int32_t n;
  xai_status st = xai_sig_io(ctx, 1, 1);
  if (!st) st = xai_sig_type_of(ctx, false, 0, types, 3, &type);
  if (!st) st = xai_sig_type(ctx, true, 0, type);
  if (!st) st = xai_sig_options(ctx, &map);
  if (!st) st = xai_sig_type_option(ctx, &map, type);
  if (!st) st = xai_sig_opt_int(ctx, &map, "fft_length", 1, 1 << 24, &n);
  if (st) return st;
  const xai_rt_tensor *in = xai_op_input(ctx, 0), *out = xai_op_output(ctx, 0);
  size_t bytes = xai_rfft_plan_bytes(type, n);
  if (!bytes)
    return xai_op_fail(ctx, XAI_ERR_UNSUPPORTED,
                       "option 'fft_length' %d: TFLM's KISS FFT runs even "
                       "lengths of at least 4 whose half factors into 2, 3 "
                       "and 5 (use such a length, e.g. a power of two)",
                       (int)n);
  if (in->rank < 1 || in->rank != out->rank)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "input rank %u and output rank %u must be equal and "
                       "at least 1", in->rank, out->rank);
  const int32_t in_len = xai_sig_last_dim(ctx, false, 0),
                out_len = xai_sig_last_dim(ctx, true, 0);
  const int32_t want_in = inverse ? n + 2 : 0, want_out = inverse ? n : n + 2;
  if ((inverse && in_len != want_in) || (!inverse && in_len > n) ||
      out_len != want_out || in_len < 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "rows of %d in and %d out; a %d-point %s takes %s and "
                       "gives %d", (int)in_len, (int)out_len, (int)n,
                       inverse ? "inverse FFT" : "FFT",
                       inverse ? "N + 2 (N/2 + 1 complex)" : "at most N",
                       (int)want_out);
  const int32_t rows = xai_sig_elements(ctx, false, 0) / in_len;
  if (rows != xai_sig_elements(ctx, true, 0) / out_len)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the input has %d rows and the output %d",
                       (int)rows, xai_sig_elements(ctx, true, 0) / out_len);
  fft_data *d = xai_sig_alloc(ctx, sizeof *d);
  void *mem = d ? xai_sig_alloc(ctx, bytes) : NULL;
  if (!mem) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  d->rows = rows;
  d->in_len = in_len;
  d->out_len = out_len;
  xai_rfft_plan_init(&d->plan, type, n, inverse, mem);
  return xai_op_request_scratch(ctx, xai_rfft_work_bytes(&d->plan),
                                &d->scratch);
}

static xai_status rfft_prepare(xai_op_ctx *ctx) { return prepare(ctx, false); }
static xai_status irfft_prepare(xai_op_ctx *ctx) { return prepare(ctx, true); }

/* Points the plan's work buffer at this eval's scratch. */
static xai_rfft_plan *plan_for_eval(xai_op_ctx *ctx) {
  fft_data *d = ctx->data;
  d->plan.work = xai_op_scratch(ctx, d->scratch);
  return &d->plan;
}

/* Each row is zero-padded in its own output row (N + 2 >= N values): the
 * transform reads its input only before it writes its output, so TFLM's
 * separate padding buffer is not needed. */
static xai_status rfft_eval(xai_op_ctx *ctx) {
  const fft_data *d = ctx->data;
  const xai_rfft_plan *p = plan_for_eval(ctx);
  const size_t es = xai_tensor_type_size(p->type);
  const uint8_t *in = xai_op_input(ctx, 0)->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  for (int32_t r = 0; r < d->rows; r++) {
    uint8_t *o = out + (size_t)r * d->out_len * es, *pad = o;
    memcpy(pad, in + (size_t)r * d->in_len * es, (size_t)d->in_len * es);
    memset(pad + (size_t)d->in_len * es, 0,
           (size_t)(p->fft_length - d->in_len) * es);
    if (p->type == XAI_TYPE_INT16)
      xai_rfft_s16_ref(p, (const int16_t *)pad, (int16_t *)o);
    else if (p->type == XAI_TYPE_INT32)
      xai_rfft_s32_ref(p, (const int32_t *)pad, (int32_t *)o);
    else
      xai_rfft_f32_ref(p, (const float *)pad, (float *)o);
  }
  fft_cost(ctx, d);
  return XAI_OK;
}

static xai_status irfft_eval(xai_op_ctx *ctx) {
  const fft_data *d = ctx->data;
  const xai_rfft_plan *p = plan_for_eval(ctx);
  const size_t es = xai_tensor_type_size(p->type);
  const uint8_t *in = xai_op_input(ctx, 0)->data;
  uint8_t *out = xai_op_output(ctx, 0)->data;
  for (int32_t r = 0; r < d->rows; r++) {
    const void *i = in + (size_t)r * d->in_len * es;
    void *o = out + (size_t)r * d->out_len * es;
    if (p->type == XAI_TYPE_INT16) xai_irfft_s16_ref(p, i, o);
    else if (p->type == XAI_TYPE_INT32) xai_irfft_s32_ref(p, i, o);
    else xai_irfft_f32_ref(p, i, o);
  }
  fft_cost(ctx, d);
  return XAI_OK;
}

const xai_op_registration xai_op_signal_rfft = {
    XAI_OP_CUSTOM, "SignalRfft", rfft_prepare, rfft_eval, NULL};
const xai_op_registration xai_op_signal_irfft = {
    XAI_OP_CUSTOM, "SignalIrfft", irfft_prepare, irfft_eval, NULL};
