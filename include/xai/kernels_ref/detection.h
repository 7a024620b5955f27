/* TFLite_Detection_PostProcess as TFLite Micro's kernel computes it
 * (float32): centre-size box encodings decoded against the anchors in
 * double, then fast (one NMS over each box's best class) or regular (NMS
 * per class, merged) non-max suppression. Every sort orders by score,
 * highest first, equal scores by index, as TFLM's stable sorts do. */
#ifndef XAI_KERNELS_REF_DETECTION_H
#define XAI_KERNELS_REF_DETECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t num_boxes, box_width;   /* encodings [1, num_boxes, box_width] */
  int32_t num_classes, label_offset; /* scores' last dim num_classes + off */
  int32_t max_detections, max_classes_per_detection, detections_per_class;
  bool regular;
  float score_threshold, iou_threshold;
  float y_scale, x_scale, h_scale, w_scale;
  int32_t out_rows; /* rows of the boxes/classes/scores outputs */
} xai_detection_params;

/* Working memory (caller-owned): sizes from xai_detection_work_bytes. */
size_t xai_detection_work_bytes(const xai_detection_params *p);

/* XAI_ERR_FORMAT when a decoded box is empty (TFLM's ValidateBoxes). Rows
 * the fast NMS leaves unwritten in TFLM are zeroed here. */
xai_status xai_detection_postprocess_f32_ref(
    const xai_detection_params *p, const float *encodings,
    const float *scores, const float *anchors, void *work, float *boxes,
    float *classes, float *out_scores, float *num_detections, xai_error *err);

#ifdef __cplusplus
}
#endif

#endif
