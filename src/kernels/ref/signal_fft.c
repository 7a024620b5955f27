/* SignalRfft / SignalIrfft kernels (xai/kernels_ref/signal.h): KISS FFT's
 * arithmetic for int16, int32 and float, instantiated from
 * signal_fft_impl.h. Float products must not fuse into multiply-adds (KISS
 * FFT as TFLM ships it rounds each one), hence the contraction pragmas. */
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <math.h>
#include <string.h>

#include "xai/kernels_ref/signal.h"
#include "xai/tflite.h"

#define T int16_t
#define SFX s16
#define FIXED 1
#define P int32_t
#define UP uint32_t
#define FRAC 15
#define SMAX INT16_MAX
#include "signal_fft_impl.h"
#undef T
#undef SFX
#undef P
#undef UP
#undef FRAC
#undef SMAX

#define T int32_t
#define SFX s32
#define P int64_t
#define UP uint64_t
#define FRAC 31
#define SMAX INT32_MAX
#include "signal_fft_impl.h"
#undef T
#undef SFX
#undef FIXED
#undef P
#undef UP
#undef FRAC
#undef SMAX

#define T float
#define SFX f32
#define FIXED 0
#include "signal_fft_impl.h"
#undef T
#undef SFX
#undef FIXED

/* kf_factor: powers of 4, then 2, then odd numbers up to floor(sqrt(n));
 * what is left is one last factor. false if any factor is not 2..5. */
static bool factor(int32_t n, int32_t *factors, int32_t *count) {
  if (n < 2) return false;
  const double floor_sqrt = floor(sqrt((double)n));
  int32_t p = 4, k = 0;
  do {
    while (n % p) {
      switch (p) {
        case 4: p = 2; break;
        case 2: p = 3; break;
        default: p += 2; break;
      }
      if (p > floor_sqrt) p = n;
    }
    if (p > 5 || k >= XAI_RFFT_MAX_FACTORS) return false;
    n /= p;
    factors[2 * k] = p;
    factors[2 * k + 1] = n;
    k++;
  } while (n > 1);
  *count = k;
  return true;
}

static size_t scalar_bytes(int type) {
  switch (type) {
    case XAI_TYPE_INT16: return 2;
    case XAI_TYPE_INT32:
    case XAI_TYPE_FLOAT32: return 4;
    default: return 0;
  }
}

size_t xai_rfft_plan_bytes(int type, int32_t fft_length) {
  int32_t f[2 * XAI_RFFT_MAX_FACTORS], count;
  size_t s = scalar_bytes(type);
  if (!s || fft_length < 4 || fft_length % 2 || fft_length > (1 << 24) ||
      !factor(fft_length / 2, f, &count))
    return 0;
  const size_t n = (size_t)fft_length / 2;
  /* twiddles and super twiddles, each rounded to 8 bytes */
  size_t cpx = 2 * s;
  return ((n * cpx + 7) & ~(size_t)7) + ((n / 2 * cpx + 7) & ~(size_t)7);
}

size_t xai_rfft_work_bytes(const xai_rfft_plan *p) {
  return (size_t)p->n * 2 * scalar_bytes(p->type);
}

xai_status xai_rfft_plan_init(xai_rfft_plan *p, int type, int32_t fft_length,
                              bool inverse, void *mem) {
  if (!xai_rfft_plan_bytes(type, fft_length)) return XAI_ERR_UNSUPPORTED;
  memset(p, 0, sizeof *p);
  p->fft_length = fft_length;
  p->n = fft_length / 2;
  p->type = (int8_t)type;
  p->inverse = inverse;
  factor(p->n, p->factors, &p->factor_count);
  const size_t cpx = 2 * scalar_bytes(type), n = (size_t)p->n;
  uint8_t *b = mem;
  p->twiddles = b;
  b += (n * cpx + 7) & ~(size_t)7;
  p->super_twiddles = b;
  if (type == XAI_TYPE_INT16) twiddles_s16(p);
  else if (type == XAI_TYPE_INT32) twiddles_s32(p);
  else twiddles_f32(p);
  return XAI_OK;
}

void xai_rfft_s16_ref(const xai_rfft_plan *p, const int16_t *in,
                      int16_t *out) {
  rfft_s16(p, in, out);
}
void xai_rfft_s32_ref(const xai_rfft_plan *p, const int32_t *in,
                      int32_t *out) {
  rfft_s32(p, in, out);
}
void xai_rfft_f32_ref(const xai_rfft_plan *p, const float *in, float *out) {
  rfft_f32(p, in, out);
}
void xai_irfft_s16_ref(const xai_rfft_plan *p, const int16_t *in,
                       int16_t *out) {
  irfft_s16(p, in, out);
}
void xai_irfft_s32_ref(const xai_rfft_plan *p, const int32_t *in,
                       int32_t *out) {
  irfft_s32(p, in, out);
}
/* KISS FFT's inverse is unnormalised; TFLM divides by the real length. */
void xai_irfft_f32_ref(const xai_rfft_plan *p, const float *in, float *out) {
  irfft_f32(p, in, out);
  for (int32_t i = 0; i < p->fft_length; i++) out[i] /= (float)p->fft_length;
}
