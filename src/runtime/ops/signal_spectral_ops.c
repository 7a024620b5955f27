/* SignalWindow, SignalFftAutoScale, SignalEnergy, SignalFilterBank,
 * SignalFilterBankSquareRoot, SignalFilterBankLog, SignalPCAN and
 * SignalFilterBankSpectralSubtraction, checked as TFLM's kernels check them
 * (signal/micro/kernels/) plus the bounds TFLM leaves to the model. Their
 * options are flexbuffer maps: Window {shift}, Energy {start_index,
 * end_index}, FilterBank {num_channels}, FilterBankLog
 * {input_correction_bits, output_scale}, PCAN {snr_shift},
 * FilterBankSpectralSubtraction {smoothing, one_minus_smoothing,
 * alternate_smoothing, alternate_one_minus_smoothing, smoothing_bits,
 * spectral_subtraction_bits, min_signal_remaining, num_channels, clamping}.
 * Costs are ESTIMATES in scalar bundles per element (one load, the
 * arithmetic beside it, a store and the loop branch), as op_default_cost.c
 * charges builtins. */
#include <string.h>

#include "signal_ops_internal.h"

#define IN false
#define OUT true

typedef struct {
  int32_t a, b, n; /* op-specific: shift/bits, size/scale, element count */
} sig_params;

static sig_params *params(xai_op_ctx *ctx) {
  sig_params *d = xai_sig_alloc(ctx, sizeof *d);
  ctx->data = d;
  return d;
}

static xai_status same_elements(xai_op_ctx *ctx, bool a_out, uint32_t a,
                                bool b_out, uint32_t b) {
  int32_t na = xai_sig_elements(ctx, a_out, a),
          nb = xai_sig_elements(ctx, b_out, b);
  if (na == nb) return XAI_OK;
  return xai_op_fail(ctx, XAI_ERR_FORMAT,
                     "%s %u has %d elements but %s %u has %d; they must match",
                     a_out ? "output" : "input", a, (int)na,
                     b_out ? "output" : "input", b, (int)nb);
}

/* ---- SignalWindow: int16 in * int16 weights >> shift ---------------- */

static xai_status window_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 2, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, IN, 1, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_rank(ctx, IN, 1, 1);
  if (!st) st = same_elements(ctx, IN, 0, OUT, 0);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  sig_params *d = params(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  if ((st = xai_sig_opt_int(ctx, &map, "shift", 0, 31, &d->a))) return st;
  d->b = xai_sig_elements(ctx, IN, 1);
  d->n = xai_sig_elements(ctx, IN, 0);
  if (xai_op_input(ctx, 0)->rank < 1 || d->b < 1 || d->n % d->b)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the input's %d values are not whole windows of the "
                       "%d weights", (int)d->n, (int)d->b);
  return XAI_OK;
}

static xai_status window_eval(xai_op_ctx *ctx) {
  const sig_params *d = ctx->data;
  xai_signal_window_ref(xai_op_input(ctx, 0)->data,
                        xai_op_input(ctx, 1)->data, d->b, d->n, d->a,
                        xai_op_output(ctx, 0)->data);
  xai_sig_cost(ctx, 6u * (uint64_t)d->n + 40);
  return XAI_OK;
}

/* ---- SignalFftAutoScale: int16 -> int16, int32 scalar shift --------- */

static xai_status auto_scale_prepare(xai_op_ctx *ctx) {
  xai_status st = xai_sig_io(ctx, 1, 2);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 1, XAI_TYPE_INT32);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 1, 0);
  if (!st) st = same_elements(ctx, IN, 0, OUT, 0);
  if (st) return st;
  sig_params *d = params(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->n = xai_sig_elements(ctx, OUT, 0);
  return XAI_OK;
}

static xai_status auto_scale_eval(xai_op_ctx *ctx) {
  const sig_params *d = ctx->data;
  int32_t *bits = xai_op_output(ctx, 1)->data;
  *bits = xai_signal_fft_auto_scale_ref(xai_op_input(ctx, 0)->data, d->n,
                                        xai_op_output(ctx, 0)->data);
  xai_sig_cost(ctx, 7u * (uint64_t)d->n + 40);
  return XAI_OK;
}

/* ---- SignalEnergy: complex int16 -> uint32 |x|^2 over a bin range ---- */

static xai_status energy_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 1, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  sig_params *d = params(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  const int32_t bins = xai_sig_elements(ctx, IN, 0) / 2;
  d->n = xai_sig_elements(ctx, OUT, 0);
  if ((st = xai_sig_opt_int(ctx, &map, "start_index", 0, bins, &d->a)) ||
      (st = xai_sig_opt_int(ctx, &map, "end_index", d->a, bins, &d->b)))
    return st;
  if (d->b > d->n)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option 'end_index' %d is past the output's %d "
                       "elements", (int)d->b, (int)d->n);
  return XAI_OK;
}

static xai_status energy_eval(xai_op_ctx *ctx) {
  const sig_params *d = ctx->data;
  uint32_t *out = xai_op_output(ctx, 0)->data;
  /* TFLM leaves the bins outside the range unwritten; xai zeroes them so
   * the output never holds stale arena bytes. */
  memset(out, 0, (size_t)d->a * sizeof *out);
  memset(out + d->b, 0, (size_t)(d->n - d->b) * sizeof *out);
  xai_signal_energy_ref(xai_op_input(ctx, 0)->data, d->a, d->b, out);
  xai_sig_cost(ctx, 5u * (uint64_t)(d->b - d->a) + (uint64_t)d->n + 40);
  return XAI_OK;
}

/* ---- SignalFilterBank: uint32 energies -> uint64 channels ------------ */

typedef struct {
  int32_t channels, scratch;
  bool checked; /* the tables are constant and passed the bounds check */
} filter_bank_data;

/* Every channel's (start, weight start, width) inside its tensors. */
static xai_status filter_bank_bounds(xai_op_ctx *ctx, int32_t channels) {
  const int16_t *fs = xai_op_input(ctx, 3)->data,
                *ws = xai_op_input(ctx, 4)->data,
                *wd = xai_op_input(ctx, 5)->data;
  const int32_t n_in = xai_sig_elements(ctx, IN, 0);
  int32_t n_w = xai_sig_elements(ctx, IN, 1);
  if (xai_sig_elements(ctx, IN, 2) < n_w) n_w = xai_sig_elements(ctx, IN, 2);
  for (int32_t i = 0; i <= channels; i++)
    if (fs[i] < 0 || ws[i] < 0 || wd[i] < 0 || fs[i] + wd[i] > n_in ||
        ws[i] + wd[i] > n_w)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "channel %d reads bins [%d, %d) of %d and weights "
                         "[%d, %d) of %d: out of range", (int)i, (int)fs[i],
                         fs[i] + wd[i], (int)n_in, (int)ws[i], ws[i] + wd[i],
                         (int)n_w);
  return XAI_OK;
}

static xai_status filter_bank_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 6, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_UINT32);
  for (uint32_t i = 1; i < 6 && !st; i++)
    st = xai_sig_type(ctx, IN, i, XAI_TYPE_INT16);
  for (uint32_t i = 0; i < 6 && !st; i++) st = xai_sig_rank(ctx, IN, i, 1);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_UINT64);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  filter_bank_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  if ((st = xai_sig_opt_int(ctx, &map, "num_channels", 1, 65535,
                            &d->channels)))
    return st;
  if (xai_sig_elements(ctx, OUT, 0) != d->channels)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the output has %d elements; option 'num_channels' "
                       "is %d", xai_sig_elements(ctx, OUT, 0),
                       (int)d->channels);
  bool constant = true;
  for (uint32_t i = 3; i < 6; i++) {
    if (xai_sig_elements(ctx, IN, i) < d->channels + 1)
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "input %u has %d entries; %d channels need %d", i,
                         xai_sig_elements(ctx, IN, i), (int)d->channels,
                         (int)d->channels + 1);
    constant = constant && xai_op_input(ctx, i)->mem == XAI_MEM_CONST;
  }
  if (constant) {
    if ((st = filter_bank_bounds(ctx, d->channels))) return st;
    d->checked = true;
  }
  return xai_op_request_scratch(ctx, (size_t)(d->channels + 1) * 8,
                                &d->scratch);
}

static xai_status filter_bank_eval(xai_op_ctx *ctx) {
  const filter_bank_data *d = ctx->data;
  xai_status st;
  if (!d->checked && (st = filter_bank_bounds(ctx, d->channels))) return st;
  xai_signal_filter_bank fb = {
      d->channels,
      xai_op_input(ctx, 1)->data, xai_op_input(ctx, 2)->data,
      xai_op_input(ctx, 3)->data, xai_op_input(ctx, 4)->data,
      xai_op_input(ctx, 5)->data};
  xai_signal_filter_bank_ref(&fb, xai_op_input(ctx, 0)->data,
                             xai_op_scratch(ctx, d->scratch),
                             xai_op_output(ctx, 0)->data);
  uint64_t taps = 0;
  for (int32_t i = 0; i <= d->channels; i++) taps += (uint64_t)fb.widths[i];
  /* per tap: one input and two weight loads, two 32x32->64 MACs (two
   * bundles each for the 64-bit accumulators), the loop branch */
  xai_sig_cost(ctx, 8 * taps + 12u * (uint64_t)d->channels + 60);
  return XAI_OK;
}

/* ---- SignalFilterBankSquareRoot: uint64 -> uint32 sqrt >> bits ------- */

static xai_status sqrt_prepare(xai_op_ctx *ctx) {
  xai_status st = xai_sig_io(ctx, 2, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_UINT64);
  if (!st) st = xai_sig_type(ctx, IN, 1, XAI_TYPE_INT32);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 1);
  if (!st) st = xai_sig_rank(ctx, IN, 1, 0);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = same_elements(ctx, IN, 0, OUT, 0);
  if (st) return st;
  sig_params *d = params(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  d->n = xai_sig_elements(ctx, IN, 0);
  return XAI_OK;
}

static xai_status sqrt_eval(xai_op_ctx *ctx) {
  const sig_params *d = ctx->data;
  const int32_t *bits = xai_op_input(ctx, 1)->data;
  xai_signal_filter_bank_sqrt_ref(xai_op_input(ctx, 0)->data, d->n, *bits,
                                  xai_op_output(ctx, 0)->data);
  /* 16 to 32 iterations of compare, subtract, shift: ~100 bundles */
  xai_sig_cost(ctx, 100u * (uint64_t)d->n + 40);
  return XAI_OK;
}

/* ---- SignalFilterBankLog: uint32 -> int16 scaled log ------------------ */

static xai_status log_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 1, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_INT16);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = same_elements(ctx, IN, 0, OUT, 0);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  sig_params *d = params(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  if (!st) st = xai_sig_opt_int(ctx, &map, "input_correction_bits", 0, 31, &d->a);
  if (!st) st = xai_sig_opt_int(ctx, &map, "output_scale", INT32_MIN, INT32_MAX, &d->b);
  d->n = xai_sig_elements(ctx, IN, 0);
  return XAI_OK;
}

static xai_status log_eval(xai_op_ctx *ctx) {
  const sig_params *d = ctx->data;
  xai_signal_filter_bank_log_ref(xai_op_input(ctx, 0)->data, d->n, d->b,
                                 (uint32_t)d->a, xai_op_output(ctx, 0)->data);
  /* clz, table pair, interpolation multiply, two 64-bit scalings */
  xai_sig_cost(ctx, 40u * (uint64_t)d->n + 40);
  return XAI_OK;
}

/* ---- SignalPCAN: per-channel automatic gain control ------------------- */

static xai_status pcan_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 3, 1);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_type(ctx, IN, 1, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_type(ctx, IN, 2, XAI_TYPE_INT16);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_UINT32);
  for (uint32_t i = 0; i < 3 && !st; i++) st = xai_sig_rank(ctx, IN, i, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = same_elements(ctx, IN, 0, IN, 1);
  if (!st) st = same_elements(ctx, IN, 0, OUT, 0);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  sig_params *d = params(ctx);
  if (!d) return XAI_ERR_NO_MEMORY;
  if ((st = xai_sig_opt_int(ctx, &map, "snr_shift", 0, 63, &d->a))) return st;
  d->n = xai_sig_elements(ctx, IN, 0);
  if (xai_sig_elements(ctx, IN, 2) < XAI_PCAN_LUT_SIZE)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "the gain table (input 2) has %d entries; PCAN reads "
                       "%d", xai_sig_elements(ctx, IN, 2), XAI_PCAN_LUT_SIZE);
  return XAI_OK;
}

static xai_status pcan_eval(xai_op_ctx *ctx) {
  const sig_params *d = ctx->data;
  xai_signal_pcan_ref(xai_op_input(ctx, 0)->data, xai_op_input(ctx, 1)->data,
                      xai_op_input(ctx, 2)->data, d->a, d->n,
                      xai_op_output(ctx, 0)->data);
  xai_sig_cost(ctx, 35u * (uint64_t)d->n + 40);
  return XAI_OK;
}

/* ---- SignalFilterBankSpectralSubtraction (noise estimate state) ------ */

typedef struct {
  xai_signal_spectral_subtraction p;
  uint32_t *noise; /* persistent: lives across invokes, zero at prepare */
} spectral_data;

static xai_status spectral_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 1, 2);
  if (!st) st = xai_sig_type(ctx, IN, 0, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_type(ctx, OUT, 0, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_type(ctx, OUT, 1, XAI_TYPE_UINT32);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 0, 1);
  if (!st) st = xai_sig_rank(ctx, OUT, 1, 1);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  spectral_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  int32_t v[8];
  static const char *const keys[8] = {
      "smoothing", "one_minus_smoothing", "alternate_smoothing",
      "alternate_one_minus_smoothing", "min_signal_remaining",
      "smoothing_bits", "spectral_subtraction_bits", "num_channels"};
  static const int64_t hi[8] = {INT32_MAX, INT32_MAX, INT32_MAX, INT32_MAX,
                                INT32_MAX, 31, 63, 65535};
  for (int k = 0; k < 8 && !st; k++)
    st = xai_sig_opt_int(ctx, &map, keys[k], k == 7 ? 1 : 0, hi[k], &v[k]);
  if (!st) st = xai_sig_opt_bool(ctx, &map, "clamping", &d->p.clamping);
  if (st) return st;
  d->p.smoothing = (uint32_t)v[0];
  d->p.one_minus_smoothing = (uint32_t)v[1];
  d->p.alternate_smoothing = (uint32_t)v[2];
  d->p.alternate_one_minus_smoothing = (uint32_t)v[3];
  d->p.min_signal_remaining = (uint32_t)v[4];
  d->p.smoothing_bits = (uint32_t)v[5];
  d->p.spectral_subtraction_bits = (uint32_t)v[6];
  d->p.num_channels = v[7];
  for (uint32_t i = 0; i < 3; i++) {
    bool out = i > 0;
    if (xai_sig_elements(ctx, out, out ? i - 1 : 0) != v[7])
      return xai_op_fail(ctx, XAI_ERR_FORMAT,
                         "%s %u has %d elements; option 'num_channels' is %d",
                         out ? "output" : "input", out ? i - 1 : 0,
                         xai_sig_elements(ctx, out, out ? i - 1 : 0),
                         (int)v[7]);
  }
  d->noise = xai_sig_alloc(ctx, (size_t)v[7] * sizeof *d->noise);
  return d->noise ? XAI_OK : XAI_ERR_NO_MEMORY;
}

static xai_status spectral_eval(xai_op_ctx *ctx) {
  const spectral_data *d = ctx->data;
  xai_signal_spectral_subtraction_ref(&d->p, xai_op_input(ctx, 0)->data,
                                      d->noise, xai_op_output(ctx, 0)->data);
  memcpy(xai_op_output(ctx, 1)->data, d->noise,
         (size_t)d->p.num_channels * sizeof *d->noise);
  xai_sig_cost(ctx, 30u * (uint64_t)d->p.num_channels + 40);
  return XAI_OK;
}

const xai_op_registration xai_op_signal_window = {
    XAI_OP_CUSTOM, "SignalWindow", window_prepare, window_eval, NULL};
const xai_op_registration xai_op_signal_fft_auto_scale = {
    XAI_OP_CUSTOM, "SignalFftAutoScale", auto_scale_prepare, auto_scale_eval,
    NULL};
const xai_op_registration xai_op_signal_energy = {
    XAI_OP_CUSTOM, "SignalEnergy", energy_prepare, energy_eval, NULL};
const xai_op_registration xai_op_signal_filter_bank = {
    XAI_OP_CUSTOM, "SignalFilterBank", filter_bank_prepare, filter_bank_eval,
    NULL};
const xai_op_registration xai_op_signal_filter_bank_square_root = {
    XAI_OP_CUSTOM, "SignalFilterBankSquareRoot", sqrt_prepare, sqrt_eval,
    NULL};
const xai_op_registration xai_op_signal_filter_bank_log = {
    XAI_OP_CUSTOM, "SignalFilterBankLog", log_prepare, log_eval, NULL};
const xai_op_registration xai_op_signal_pcan = {
    XAI_OP_CUSTOM, "SignalPCAN", pcan_prepare, pcan_eval, NULL};
const xai_op_registration xai_op_signal_filter_bank_spectral_subtraction = {
    XAI_OP_CUSTOM, "SignalFilterBankSpectralSubtraction", spectral_prepare,
    spectral_eval, NULL};
