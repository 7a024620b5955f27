/* SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND
 * (TFLite reference_ops), element-size generic. */
#include <string.h>

#include "xai/kernels_ref/movement.h"

static void copy_elem(void *out, size_t oi, const void *in, size_t ii,
                      size_t elem) {
  memcpy((uint8_t *)out + oi * elem, (const uint8_t *)in + ii * elem, elem);
}

void xai_space_to_depth_ref(const int32_t d[4], int32_t bs, size_t elem,
                            const void *in, void *out) {
  const int32_t oh = d[1] / bs, ow = d[2] / bs, oc = d[3] * bs * bs;
  for (int32_t b = 0; b < d[0]; b++)
    for (int32_t h = 0; h < d[1]; h++)
      for (int32_t w = 0; w < d[2]; w++)
        for (int32_t c = 0; c < d[3]; c++) {
          const size_t ii = (((size_t)b * d[1] + h) * d[2] + w) * d[3] + c;
          const int32_t od = ((h % bs) * bs + (w % bs)) * d[3] + c;
          const size_t oi =
              (((size_t)b * oh + h / bs) * ow + w / bs) * oc + od;
          copy_elem(out, oi, in, ii, elem);
        }
}

void xai_depth_to_space_ref(const int32_t d[4], int32_t bs, size_t elem,
                            const void *in, void *out) {
  const int32_t oh = d[1] * bs, ow = d[2] * bs, oc = d[3] / (bs * bs);
  for (int32_t b = 0; b < d[0]; b++)
    for (int32_t h = 0; h < oh; h++)
      for (int32_t w = 0; w < ow; w++)
        for (int32_t c = 0; c < oc; c++) {
          const int32_t id = ((h % bs) * bs + (w % bs)) * oc + c;
          const size_t ii =
              (((size_t)b * d[1] + h / bs) * d[2] + w / bs) * d[3] + id;
          const size_t oi = (((size_t)b * oh + h) * ow + w) * oc + c;
          copy_elem(out, oi, in, ii, elem);
        }
}

void xai_space_to_batch_ref(const int32_t d[4], const int32_t block[2],
                            const int32_t pads[4], size_t elem,
                            const void *pad_value, const void *in,
                            void *out) {
  const int32_t ph = d[1] + pads[0] + pads[1], pw = d[2] + pads[2] + pads[3];
  const int32_t oh = ph / block[0], ow = pw / block[1];
  const int32_t ob = d[0] * block[0] * block[1];
  for (int32_t b = 0; b < ob; b++) {
    const int32_t ib = b % d[0], sp = b / d[0];
    const int32_t sh = sp / block[1], sw = sp % block[1];
    for (int32_t h = 0; h < oh; h++)
      for (int32_t w = 0; w < ow; w++) {
        const int32_t ih = h * block[0] + sh - pads[0];
        const int32_t iw = w * block[1] + sw - pads[2];
        const size_t oi = (((size_t)b * oh + h) * ow + w) * d[3];
        const int inside = ih >= 0 && ih < d[1] && iw >= 0 && iw < d[2];
        for (int32_t c = 0; c < d[3]; c++) {
          if (inside)
            copy_elem(out, oi + c, in,
                      (((size_t)ib * d[1] + ih) * d[2] + iw) * d[3] + c,
                      elem);
          else
            memcpy((uint8_t *)out + (oi + c) * elem, pad_value, elem);
        }
      }
  }
}

void xai_batch_to_space_ref(const int32_t d[4], const int32_t block[2],
                            const int32_t crops[4], const int32_t o[4],
                            size_t elem, const void *in, void *out) {
  for (int32_t b = 0; b < o[0]; b++)
    for (int32_t h = 0; h < o[1]; h++)
      for (int32_t w = 0; w < o[2]; w++) {
        const int32_t fh = h + crops[0], fw = w + crops[2];
        const int32_t ib =
            ((fh % block[0]) * block[1] + fw % block[1]) * o[0] + b;
        const size_t ii =
            (((size_t)ib * d[1] + fh / block[0]) * d[2] + fw / block[1]) *
            d[3];
        const size_t oi = (((size_t)b * o[1] + h) * o[2] + w) * o[3];
        memcpy((uint8_t *)out + oi * elem, (const uint8_t *)in + ii * elem,
               (size_t)o[3] * elem);
      }
}
