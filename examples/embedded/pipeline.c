/* Pre- and post-processing of the example (pipeline.h). */
#include "pipeline.h"

void preprocess(const uint8_t *rgb, int w, int h, int8_t *out, int size,
                float scale, int zero_point) {
  int side = w < h ? w : h;
  int x0 = (w - side) / 2, y0 = (h - side) / 2;
  float k = 1.0f / (255.0f * scale);
  for (int y = 0; y < size; y++) {
    int sy = y0 + y * side / size;
    for (int x = 0; x < size; x++) {
      int sx = x0 + x * side / size;
      for (int c = 0; c < 3; c++) {
        float v = (float)rgb[(sy * w + sx) * 3 + c] * k;
        int32_t q = (int32_t)(v + 0.5f) + zero_point;
        out[(y * size + x) * 3 + c] =
            (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
      }
    }
  }
}

void detector_init(detector *d) {
  for (int c = 0; c < PIPELINE_CLASSES; c++) d->smooth[c] = 0;
  d->detected = -1;
}

int detector_update(detector *d, const int8_t *scores, float scale,
                    int zero_point, int32_t *permille) {
  int best = 0;
  for (int c = 0; c < PIPELINE_CLASSES; c++) {
    float p = (float)(scores[c] - zero_point) * scale * 1000.0f;
    permille[c] = (int32_t)(p + 0.5f);
    d->smooth[c] = (d->smooth[c] * 3 + permille[c]) / 4;
    if (d->smooth[c] > d->smooth[best]) best = c;
  }
  /* hysteresis: detect above 600, forget below 300 */
  if (d->detected >= 0 && d->smooth[d->detected] < 300) d->detected = -1;
  if (d->smooth[best] >= 600 && d->detected != best) {
    d->detected = best;
    return best;
  }
  return -1;
}
