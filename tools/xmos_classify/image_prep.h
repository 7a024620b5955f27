/* Image preparation for xmos_classify: bilinear resize and conversion to
 * the model's input type; softmax for models that end without one. Pure
 * functions, tested in tests/host/test_image_prep.c. */
#ifndef XMOS_CLASSIFY_IMAGE_PREP_H
#define XMOS_CLASSIFY_IMAGE_PREP_H

#include <stddef.h>
#include <stdint.h>

/* Resizes an interleaved 8-bit image (channels c) from sw x sh to dw x dh
 * with bilinear interpolation and half-pixel centres (the convention of
 * TensorFlow's resize with half_pixel_centers and of OpenCV's INTER_LINEAR):
 * output pixel x samples the source at (x + 0.5) * sw / dw - 0.5, clamped
 * to the image. Output values are floats in the source's 0..255 range. */
void xc_resize_bilinear(const uint8_t *src, int sw, int sh, int c, float *dst,
                        int dw, int dh);

/* Converts 0..255 pixel values to the model's real input range
 * [lo, hi] (value / 255 * (hi - lo) + lo), then to dtype (TFLite codes:
 * FLOAT32 0, UINT8 3, INT16 7, INT8 9) with q = round(real / scale) + zp,
 * rounded half away from zero and saturated. nchw transposes the
 * interleaved HWC data to CHW. dst holds n * element size bytes. Returns 0,
 * or -1 for an unsupported dtype. */
int xc_quantize_input(const float *hwc, int h, int w, int c, int nchw,
                      float lo, float hi, int dtype, float scale,
                      int32_t zero_point, void *dst);

/* Real value of element i of a raw output tensor (scale 0 = not
 * quantized). */
double xc_dequantize(const void *raw, size_t i, int dtype, float scale,
                     int32_t zero_point);

/* In-place softmax (max subtracted first, so large logits do not
 * overflow). */
void xc_softmax(double *v, size_t n);

/* An image tensor's layout: [1,H,W,C] or [H,W,C] with C in {1,3} (or
 * {1,3,4} when alpha is allowed), else [1,C,H,W] (NCHW). -1 if neither. */
typedef struct {
  int h, w, c, nchw;
} xc_layout;
int xc_image_layout(unsigned rank, const int32_t *shape, xc_layout *l);
int xc_image_layout_alpha(unsigned rank, const int32_t *shape, xc_layout *l);

/* The real range a tensor's quantization covers, [scale x (qmin - zp),
 * scale x (qmax - zp)]: pixels 0..255 span it (one step per pixel value
 * for 8-bit tensors). [0, 1] for float32 and unquantized tensors. */
void xc_quantized_range(int dtype, float scale, int32_t zero_point,
                        float *lo, float *hi);

#endif
