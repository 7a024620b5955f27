/* The spectral half of TFLM's signal library (xai/kernels_ref/signal.h):
 * window, FFT auto-scale, energy, filter bank with its square root and
 * log, spectral subtraction and PCAN, with TFLM's integer arithmetic. */
#include "xai/kernels_ref/signal.h"

/* TFLM's MostSignificantBit32/64: bit count, and 32 (64) for zero. */
static uint32_t msb32(uint32_t x) {
  uint32_t n = 0;
  if (!x) return 32;
  while (x) x >>= 1, n++;
  return n;
}

static uint32_t msb64(uint64_t x) {
  uint32_t n = 0;
  if (!x) return 64;
  while (x) x >>= 1, n++;
  return n;
}

static int16_t sat16(int32_t v) {
  return v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : (int16_t)v;
}

void xai_signal_window_ref(const int16_t *in, const int16_t *window,
                           int32_t size, int32_t n, int32_t shift,
                           int16_t *out) {
  for (int32_t base = 0; base < n; base += size)
    for (int32_t i = 0; i < size; i++)
      out[base + i] = sat16(((int32_t)in[base + i] * window[i]) >> shift);
}

int32_t xai_signal_fft_auto_scale_ref(const int16_t *in, int32_t n,
                                      int16_t *out) {
  /* MaxAbs16 keeps an int16: -(-32768) wraps back to -32768, which any
   * later value then exceeds. */
  int16_t max = 0;
  for (int32_t i = 0; i < n; i++) {
    const int16_t v = in[i];
    if (v > max) max = v;
    else if (-v > max) max = (int16_t)-v;
  }
  int32_t bits = 16 - (int32_t)msb32((uint32_t)(int32_t)max) - 1;
  if (bits <= 0) bits = 0;
  for (int32_t i = 0; i < n; i++)
    out[i] = (int16_t)(uint16_t)((uint32_t)(int32_t)in[i] << bits);
  return bits;
}

void xai_signal_energy_ref(const int16_t *in, int32_t start, int32_t end,
                           uint32_t *out) {
  for (int32_t i = start; i < end; i++) {
    const int32_t re = in[2 * i], im = in[2 * i + 1];
    out[i] = (uint32_t)(re * re) + (uint32_t)(im * im);
  }
}

void xai_signal_filter_bank_ref(const xai_signal_filter_bank *fb,
                                const uint32_t *in, uint64_t *work,
                                uint64_t *out) {
  uint64_t weighted = 0, unweighted = 0;
  for (int32_t i = 0; i <= fb->num_channels; i++) {
    const int32_t f0 = fb->freq_starts[i], w0 = fb->weight_starts[i];
    for (int32_t j = 0; j < fb->widths[i]; j++) {
      /* int16 weights convert to uint64 as TFLM's do (sign-extended) */
      const uint64_t x = in[f0 + j];
      weighted += (uint64_t)(int64_t)fb->weights[w0 + j] * x;
      unweighted += (uint64_t)(int64_t)fb->unweights[w0 + j] * x;
    }
    work[i] = weighted;
    weighted = unweighted;
    unweighted = 0;
  }
  for (int32_t i = 0; i < fb->num_channels; i++) out[i] = work[i + 1];
}

/* Bit-by-bit square root of a `width`-bit number from its top odd bit
 * position, rounded up when the remainder exceeds the root unless the root
 * is already `cap` (TFLM's Sqrt32 and Sqrt64). */
static uint64_t isqrt(uint64_t num, int32_t width, uint64_t cap) {
  uint64_t res = 0;
  const int32_t top = (width - (int32_t)msb64(num)) | 1;
  uint64_t bit = (uint64_t)1 << (width - 1 - top);
  for (int32_t it = (width - 1 - top) / 2 + 1; it > 0; it--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = (res >> 1) + bit;
    } else {
      res >>= 1;
    }
    bit >>= 2;
  }
  if (num > res && res != cap) ++res;
  return res;
}

/* Below 2^32 TFLM takes the 32-bit path (its cap and rounding differ). */
uint32_t xai_signal_sqrt64(uint64_t num) {
  if (num == 0) return 0;
  if ((num >> 32) == 0) return (uint32_t)isqrt(num, 32, 0xFFFFu);
  return (uint32_t)isqrt(num, 64, 0xFFFFFFFFu);
}

void xai_signal_filter_bank_sqrt_ref(const uint64_t *in, int32_t n,
                                     int32_t shift, uint32_t *out) {
  /* TFLM shifts a uint32 by an int: counts past 31 are the host's; x86
   * (where TFLM's oracle runs) uses the count mod 32. */
  const uint32_t s = (uint32_t)shift & 31u;
  for (int32_t i = 0; i < n; i++) out[i] = xai_signal_sqrt64(in[i]) >> s;
}

/* log2's fraction: 128 segments of a quadratic correction over the
 * linear part, scaled by 2^16 (TFLM's kLogLut). */
static const uint16_t k_log_lut[130] = {
    0,    224,  442,  654,  861,  1063, 1259, 1450, 1636, 1817, 1992, 2163,
    2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848,
    3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934,
    5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
    5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
    5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370,
    5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
    4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
    3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659,
    2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
    1094, 963,  830,  695,  559,  421,  282,  142,  0,    0};

static uint32_t log2_fraction(uint32_t x, uint32_t log2x) {
  int32_t frac = (int32_t)((int64_t)x - ((int64_t)1 << log2x));
  if (log2x < 16) frac = (int32_t)((uint32_t)frac << (16 - log2x));
  else frac >>= log2x - 16;
  const uint32_t seg = (uint32_t)frac >> 9; /* 16 - 7 bits */
  const int32_t c0 = k_log_lut[seg], c1 = k_log_lut[seg + 1];
  const int32_t rel = ((c1 - c0) * (frac - (int32_t)(512 * seg))) >> 16;
  return (uint32_t)(frac + c0 + rel);
}

uint32_t xai_signal_log32(uint32_t x, uint32_t out_scale) {
  const uint32_t integer = msb32(x) - 1;
  const uint32_t log2 = (integer << 16) + log2_fraction(x, integer);
  const uint32_t loge = (uint32_t)(((uint64_t)45426 * log2 + 32768) >> 16);
  return (out_scale * loge + 32768) >> 16;
}

void xai_signal_filter_bank_log_ref(const uint32_t *in, int32_t n,
                                    int32_t output_scale,
                                    uint32_t correction_bits, int16_t *out) {
  for (int32_t i = 0; i < n; i++) {
    const uint32_t scaled = in[i] << (correction_bits & 31u);
    if (scaled > 1) {
      const uint32_t v = xai_signal_log32(scaled, (uint32_t)output_scale);
      out[i] = (int16_t)(v < INT16_MAX ? v : INT16_MAX);
    } else {
      out[i] = 0;
    }
  }
}

void xai_signal_spectral_subtraction_ref(
    const xai_signal_spectral_subtraction *p, const uint32_t *in,
    uint32_t *noise, uint32_t *out) {
  const uint32_t sb = p->smoothing_bits & 31u;
  const uint32_t ssb = p->spectral_subtraction_bits & 63u;
  for (int32_t i = 0; i < p->num_channels; i++) {
    /* odd channels use the alternate smoothing */
    const uint32_t s = (i & 1) ? p->alternate_smoothing : p->smoothing;
    const uint32_t oms =
        (i & 1) ? p->alternate_one_minus_smoothing : p->one_minus_smoothing;
    const uint32_t up = in[i] << sb;
    noise[i] = (uint32_t)(((uint64_t)up * s + (uint64_t)noise[i] * oms) >> ssb);
    uint32_t estimate = noise[i];
    if (estimate > up) {
      estimate = up;
      if (p->clamping) noise[i] = estimate;
    }
    const uint32_t floor =
        (uint32_t)(((uint64_t)in[i] * p->min_signal_remaining) >> ssb);
    const uint32_t sub = (up - estimate) >> sb;
    out[i] = sub > floor ? sub : floor;
  }
}

/* The gain curve: a quadratic per quarter-octave segment of x, from the
 * lut (TFLM's WideDynamicFunction). */
static int16_t pcan_gain(uint32_t x, const int16_t *lut) {
  if (x <= 2) return lut[x];
  const int32_t interval = (int32_t)msb32(x);
  lut += 4 * interval - 6;
  const int16_t frac =
      (int16_t)(((interval < 11) ? (x << (11 - interval))
                                 : (x >> (interval - 11))) & 0x3FF);
  /* int32 arithmetic that wraps where TFLM's would overflow */
  int32_t r = ((int32_t)lut[2] * frac) >> 5;
  r = (int32_t)((uint32_t)r + ((uint32_t)(int32_t)lut[1] << 5));
  r = (int32_t)((uint32_t)r * (uint32_t)(int32_t)frac);
  r = (int32_t)((uint32_t)r + (1u << 14)) >> 15;
  return (int16_t)(r + lut[0]);
}

/* x^2 / 4 below 2, x - 1 above: 12 fraction bits in, 6 out. */
static uint32_t pcan_shrink(uint32_t x) {
  if (x < (2u << 12)) return (x * x) >> (2 + 2 * 12 - 6);
  return (x >> 6) - (1u << 6);
}

void xai_signal_pcan_ref(const uint32_t *in, const uint32_t *noise,
                         const int16_t *lut, int32_t snr_shift, int32_t n,
                         uint32_t *out) {
  const uint32_t s = (uint32_t)snr_shift & 63u;
  for (int32_t i = 0; i < n; i++) {
    const uint32_t gain = (uint32_t)(int32_t)pcan_gain(noise[i], lut);
    const uint32_t snr = (uint32_t)(((uint64_t)in[i] * gain) >> s);
    out[i] = pcan_shrink(snr);
  }
}
