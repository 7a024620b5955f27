/* The streaming ops of TFLM's signal library (xai/kernels_ref/signal.h).
 * TFLM keeps their samples in circular buffers; a linear buffer with a
 * count holds the same samples in the same order, which is all the ops
 * read, and is simpler to check. */
#include <string.h>

#include "xai/kernels_ref/signal.h"

/* Drops the oldest n of *count samples. */
static void drop16(int16_t *buf, int32_t *count, int32_t n) {
  memmove(buf, buf + n, (size_t)(*count - n) * sizeof *buf);
  *count -= n;
}

bool xai_signal_framer_push(int16_t *buf, int32_t *count, int32_t frame_size,
                            int32_t frame_step, const int16_t *in,
                            int16_t *out) {
  memcpy(buf + *count, in, (size_t)frame_step * sizeof *buf);
  *count += frame_step;
  if (*count < frame_size) return false;
  memcpy(out, buf, (size_t)frame_size * sizeof *buf);
  drop16(buf, count, frame_step);
  return true;
}

bool xai_signal_stacker_push(int16_t *buf, int32_t *count, bool *started,
                             int32_t channels, int32_t left, int32_t right,
                             int32_t step, const int16_t *in, int16_t *out) {
  const int32_t size = channels * (left + right + 1);
  memcpy(buf + *count, in, (size_t)channels * sizeof *buf);
  *count += channels;
  if (!*started) {
    /* the first frame stands in for the left context not seen yet */
    for (int32_t k = 0; k < left; k++, *count += channels)
      memcpy(buf + *count, in, (size_t)channels * sizeof *buf);
    *started = true;
  }
  if (*count < size) return false;
  memcpy(out, buf, (size_t)size * sizeof *buf);
  drop16(buf, count, channels * step);
  return true;
}

void xai_signal_delay_row(int16_t *hist, int32_t delay, int32_t frame,
                          const int16_t *in, int16_t *work, int16_t *out) {
  memcpy(work, hist, (size_t)delay * sizeof *work);
  memcpy(work + delay, in, (size_t)frame * sizeof *work);
  memcpy(out, work, (size_t)frame * sizeof *work);
  memcpy(hist, work + frame, (size_t)delay * sizeof *work);
}

void xai_signal_overlap_add_s16(int16_t *buf, int32_t frame_size,
                                int32_t step, const int16_t *in,
                                int16_t *out) {
  for (int32_t i = 0; i < frame_size; i++) {
    const int32_t v = (int32_t)in[i] + buf[i];
    buf[i] = v < INT16_MIN ? INT16_MIN : v > INT16_MAX ? INT16_MAX : (int16_t)v;
  }
  memcpy(out, buf, (size_t)step * sizeof *buf);
  memmove(buf, buf + step, (size_t)(frame_size - step) * sizeof *buf);
  memset(buf + frame_size - step, 0, (size_t)step * sizeof *buf);
}

void xai_signal_overlap_add_f32(float *buf, int32_t frame_size, int32_t step,
                                const float *in, float *out) {
  for (int32_t i = 0; i < frame_size; i++) buf[i] += in[i];
  memcpy(out, buf, (size_t)step * sizeof *buf);
  memmove(buf, buf + step, (size_t)(frame_size - step) * sizeof *buf);
  memset(buf + frame_size - step, 0, (size_t)step * sizeof *buf);
}
