/* The example's signal chain around the model: pre-processing (crop,
 * scale, quantize with the model's input quantization) and
 * post-processing (dequantize, smooth over frames, detect with
 * hysteresis). Integer and IEEE float only, so the host and the
 * Cortex-M build give the same bits. */
#ifndef PIPELINE_H
#define PIPELINE_H

#include <stdint.h>

#define PIPELINE_CLASSES 5

/* Centre-crops the square middle of a w x h RGB888 frame and resizes it
 * (nearest neighbour) to size x size, quantizing each byte p as
 * round(p / 255 / scale) + zero_point. */
void preprocess(const uint8_t *rgb, int w, int h, int8_t *out, int size,
                float scale, int zero_point);

typedef struct {
  int32_t smooth[PIPELINE_CLASSES]; /* per mille, exponential average */
  int detected;                     /* class, or -1 */
} detector;

void detector_init(detector *d);
/* Feeds one frame's scores (int8, with the output quantization); fills
 * permille[] with the dequantized scores and returns the class newly
 * detected on this frame, or -1. */
int detector_update(detector *d, const int8_t *scores, float scale,
                    int zero_point, int32_t *permille);

#endif
