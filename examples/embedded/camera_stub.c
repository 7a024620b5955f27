/* The stub camera (camera_stub.h). The scene changes every few frames so
 * the post-processing has something to smooth and detect. */
#include "camera_stub.h"

/* cos and sin of k x 15 degrees in Q14, k = 0..23 */
static const int16_t k_cos[24] = {
    16384, 15826, 14189, 11585, 8192,   4240,   0,      -4240,
    -8192, -11585, -14189, -15826, -16384, -15826, -14189, -11585,
    -8192, -4240,  0,      4240,   8192,   11585,  14189,  15826};
#define SIN(k) k_cos[((k) + 18) % 24]
#define COS(k) k_cos[(k) % 24]

static uint32_t next(uint32_t *s) {
  *s = *s * 1664525u + 1013904223u;
  return *s >> 8;
}

static int inside(int cls, int32_t u, int32_t v, int32_t r, int32_t period) {
  int32_t au = u < 0 ? -u : u, av = v < 0 ? -v : v;
  switch (cls) {
    case 0: return u * u + v * v <= r * r;
    case 1: return au * 20 <= r * 17 && av * 20 <= r * 17;
    case 2: /* three edges at the inradius r/2, normals 0, 120, 240 deg */
      for (int k = 0; k < 24; k += 8)
        if ((COS(k) * u + SIN(k) * v) > (r << 13)) return 0;
      return 1;
    case 3: {
      int32_t w = r * 28 / 100;
      return (au <= w && av <= r) || (av <= w && au <= r);
    }
    default: {
      int32_t m = u % period;
      if (m < 0) m += period;
      return m < period / 2;
    }
  }
}

int camera_capture(uint32_t index, uint8_t *rgb) {
  /* scene: class changes every 4 frames; the pose varies per frame */
  static const int k_scene[] = {2, 0, 3, 1, 4};
  int cls = k_scene[(index / 4) % 5];
  uint32_t s = 0x2545f491u ^ (index * 2654435761u);
  uint8_t bg[3], fg[3];
  for (;;) {
    int diff = 0;
    for (int c = 0; c < 3; c++) {
      bg[c] = (uint8_t)(next(&s) % 256);
      fg[c] = (uint8_t)(next(&s) % 256);
      diff += bg[c] > fg[c] ? bg[c] - fg[c] : fg[c] - bg[c];
    }
    if (diff > 150) break;
  }
  int32_t cx = 60 + (int32_t)(next(&s) % 40), cy = 40 + (int32_t)(next(&s) % 40);
  int32_t r = 22 + (int32_t)(next(&s) % 14);
  int32_t period = 12 + (int32_t)(next(&s) % 12);
  int k = (int)(next(&s) % 24);
  int32_t gx = (int32_t)(next(&s) % 61) - 30, gy = (int32_t)(next(&s) % 61) - 30;
  for (int32_t y = 0; y < CAMERA_HEIGHT; y++) {
    for (int32_t x = 0; x < CAMERA_WIDTH; x++) {
      int32_t dx = x - cx, dy = y - cy;
      int32_t u = (COS(k) * dx + SIN(k) * dy) >> 14;
      int32_t v = (-SIN(k) * dx + COS(k) * dy) >> 14;
      int in = inside(cls, u, v, r, period);
      int32_t shade = (gx * (x - 80) + gy * (y - 60)) / 80;
      for (int c = 0; c < 3; c++) {
        int32_t p = in ? fg[c] : bg[c] + shade;
        p += (int32_t)(next(&s) % 9) - 4;
        rgb[(y * CAMERA_WIDTH + x) * 3 + c] =
            (uint8_t)(p < 0 ? 0 : p > 255 ? 255 : p);
      }
    }
  }
  return cls;
}
