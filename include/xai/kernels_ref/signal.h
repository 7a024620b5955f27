/* TFLite Micro's signal library (the Signal* custom ops of its audio front
 * end), bit-exact with TFLM's reference implementation: window, FFT
 * auto-scale, real FFT and inverse (KISS FFT's fixed-point and float
 * arithmetic, radix 2/3/4/5), energy, mel filter bank, its square root and
 * log, spectral subtraction, PCAN gain control, and the streaming ops
 * (framer, stacker, delay, overlap-add) whose state the caller keeps.
 * Pure functions over arrays: no allocation, no printing. */
#ifndef XAI_KERNELS_REF_SIGNAL_H
#define XAI_KERNELS_REF_SIGNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Real FFT (SignalRfft / SignalIrfft) ---------------------------------
 * A length-N real transform runs as a complex FFT of N/2 points plus a
 * split step, as KISS FFT's kiss_fftr does: each radix-p stage of the
 * fixed-point types divides by p (rounded multiplies), so the int16/int32
 * outputs are the spectrum / N; float is unscaled forward and scaled by
 * 1/N inverse (as TFLM's IrfftFloatApply). The forward output and the
 * inverse input are N/2 + 1 complex values (re, im interleaved). */
#define XAI_RFFT_MAX_FACTORS 32

typedef struct {
  int32_t fft_length; /* N, even */
  int32_t n;          /* N/2 complex points */
  int8_t type;        /* XAI_TYPE_INT16, XAI_TYPE_INT32 or XAI_TYPE_FLOAT32 */
  bool inverse;
  int32_t factor_count;
  int32_t factors[2 * XAI_RFFT_MAX_FACTORS]; /* (radix, remaining) pairs */
  void *twiddles;       /* n complex */
  void *super_twiddles; /* n/2 complex */
  void *work; /* n complex of scratch: the caller points it before a run */
} xai_rfft_plan;

/* Bytes of the twiddle buffers a plan keeps; 0 if fft_length is
 * not even, below 4, or N/2 has a prime factor other than 2, 3 and 5 (the
 * radices TFLM's build of KISS FFT runs: its generic butterfly needs a heap
 * buffer, which TFLM does not give it). */
size_t xai_rfft_plan_bytes(int type, int32_t fft_length);
/* Fills p, with its twiddles (as KISS FFT computes them) in mem
 * (xai_rfft_plan_bytes, 8-byte aligned); work is left NULL. */
xai_status xai_rfft_plan_init(xai_rfft_plan *p, int type, int32_t fft_length,
                              bool inverse, void *mem);
/* Bytes of the work buffer a transform needs (n complex values). */
size_t xai_rfft_work_bytes(const xai_rfft_plan *p);
/* in: fft_length values (the caller zero-pads); out: 2 * (n + 1). in may
 * be the start of out: it is read before out is written. */
void xai_rfft_s16_ref(const xai_rfft_plan *p, const int16_t *in,
                      int16_t *out);
void xai_rfft_s32_ref(const xai_rfft_plan *p, const int32_t *in,
                      int32_t *out);
void xai_rfft_f32_ref(const xai_rfft_plan *p, const float *in, float *out);
/* in: 2 * (n + 1); out: fft_length values. */
void xai_irfft_s16_ref(const xai_rfft_plan *p, const int16_t *in,
                       int16_t *out);
void xai_irfft_s32_ref(const xai_rfft_plan *p, const int32_t *in,
                       int32_t *out);
void xai_irfft_f32_ref(const xai_rfft_plan *p, const float *in, float *out);

/* ---- Spectrum and filter bank ---------------------------------------- */

/* out[i] = saturate16((in[i] * window[i % size]) >> shift) for n values
 * (n a multiple of size). */
void xai_signal_window_ref(const int16_t *in, const int16_t *window,
                           int32_t size, int32_t n, int32_t shift,
                           int16_t *out);
/* Shifts in left by the headroom of its largest magnitude (TFLM's MaxAbs16
 * and MostSignificantBit32, quirks included); returns the shift. */
int32_t xai_signal_fft_auto_scale_ref(const int16_t *in, int32_t n,
                                      int16_t *out);
/* out[i] = re^2 + im^2 (uint32) for i in [start, end) of complex in. */
void xai_signal_energy_ref(const int16_t *in, int32_t start, int32_t end,
                           uint32_t *out);

/* Triangular mel filter bank over uint32 energies: num_channels + 1
 * (start, weight start, width) triples; channel i accumulates its weights
 * and channel i + 1 the unweights (TFLM's FilterbankAccumulateChannels,
 * uint64 accumulators). out gets channels 1..num_channels. work:
 * num_channels + 1 uint64. */
typedef struct {
  int32_t num_channels;
  const int16_t *weights, *unweights;
  const int16_t *freq_starts, *weight_starts, *widths;
} xai_signal_filter_bank;
void xai_signal_filter_bank_ref(const xai_signal_filter_bank *fb,
                                const uint32_t *in, uint64_t *work,
                                uint64_t *out);
/* Integer square root with TFLM's Sqrt64 rounding, then >> shift. */
uint32_t xai_signal_sqrt64(uint64_t x);
void xai_signal_filter_bank_sqrt_ref(const uint64_t *in, int32_t n,
                                     int32_t shift, uint32_t *out);
/* TFLM's Log32: log2 from a 128-segment table, to ln, times out_scale/2^16. */
uint32_t xai_signal_log32(uint32_t x, uint32_t out_scale);
/* out = min(log(in << correction_bits) scaled, INT16_MAX), 0 for <= 1. */
void xai_signal_filter_bank_log_ref(const uint32_t *in, int32_t n,
                                    int32_t output_scale,
                                    uint32_t correction_bits, int16_t *out);

typedef struct {
  int32_t num_channels;
  uint32_t smoothing, one_minus_smoothing;
  uint32_t alternate_smoothing, alternate_one_minus_smoothing;
  uint32_t smoothing_bits, spectral_subtraction_bits;
  uint32_t min_signal_remaining;
  bool clamping;
} xai_signal_spectral_subtraction;
/* Updates noise (num_channels, kept across calls) and writes out. */
void xai_signal_spectral_subtraction_ref(
    const xai_signal_spectral_subtraction *p, const uint32_t *in,
    uint32_t *noise, uint32_t *out);

/* PCAN auto gain control: gain from the 125-entry lut at the noise
 * estimate, snr = in * gain >> snr_shift, then the shrink function. */
#define XAI_PCAN_LUT_SIZE 125
void xai_signal_pcan_ref(const uint32_t *in, const uint32_t *noise,
                         const int16_t *lut, int32_t snr_shift, int32_t n,
                         uint32_t *out);

/* ---- Streaming ops (state owned by the caller) -----------------------
 * Each keeps the samples it has seen but not yet emitted in a linear
 * buffer with a count: the same values TFLM's circular buffers hold. */

/* Framer, one row: buf holds `capacity` = frame_size rounded up to a
 * multiple of frame_step; *count its samples (frame_size - frame_step
 * zeros after a reset with prefill). Pushes frame_step samples; if a frame
 * is complete, writes it to out, drops frame_step and returns true. */
bool xai_signal_framer_push(int16_t *buf, int32_t *count, int32_t frame_size,
                            int32_t frame_step, const int16_t *in,
                            int16_t *out);
/* Stacker: buf holds size = channels * (left + right + 1). Pushes one
 * frame of `channels` (the first frame repeated left more times when
 * *started is false); when full, writes size values to out, drops
 * channels * step, returns true. */
bool xai_signal_stacker_push(int16_t *buf, int32_t *count, bool *started,
                             int32_t channels, int32_t left, int32_t right,
                             int32_t step, const int16_t *in, int16_t *out);
/* Delay, one row: hist holds the last `delay` samples (zeros at reset);
 * out = the row delayed by `delay` samples. work: frame + delay values. */
void xai_signal_delay_row(int16_t *hist, int32_t delay, int32_t frame,
                          const int16_t *in, int16_t *work, int16_t *out);
/* Overlap-add of one frame into buf (frame_size values, zeros at reset):
 * buf += in (int16 saturating), out = first step values, buf shifts by
 * step with zeros behind. */
void xai_signal_overlap_add_s16(int16_t *buf, int32_t frame_size,
                                int32_t step, const int16_t *in,
                                int16_t *out);
void xai_signal_overlap_add_f32(float *buf, int32_t frame_size, int32_t step,
                                const float *in, float *out);

#ifdef __cplusplus
}
#endif

#endif
