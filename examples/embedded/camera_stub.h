/* A stub camera for the example: deterministic 160x120 RGB888 frames of
 * the demo classifier's shapes (circle, square, triangle, cross, stripes)
 * on a shaded background with a little noise, in integer arithmetic so
 * every target draws the same bytes. */
#ifndef CAMERA_STUB_H
#define CAMERA_STUB_H

#include <stdint.h>

#define CAMERA_WIDTH 160
#define CAMERA_HEIGHT 120

/* Fills rgb[CAMERA_HEIGHT][CAMERA_WIDTH][3] with frame `index`; returns the
 * class drawn (0..4, the demo's labels.txt order). */
int camera_capture(uint32_t index, uint8_t *rgb);

#endif
