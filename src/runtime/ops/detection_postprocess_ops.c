/* TFLite_Detection_PostProcess, the custom op ending TF Object Detection
 * API SSD models, as TFLite Micro runs it: float32 box encodings
 * [1, boxes, >= 4], class scores [1, boxes, classes (+ 1 background)] and
 * anchors [boxes, 4]; float32 boxes, classes, scores and the detection
 * count out. Options (flexbuffer map): max_detections,
 * max_classes_per_detection, detections_per_class (default 100),
 * use_regular_nms (default false), nms_score_threshold, nms_iou_threshold,
 * num_classes, y_scale, x_scale, h_scale, w_scale; a missing one reads 0
 * as in TFLM. Working memory is the op's scratch. */
#include "signal_ops_internal.h"
#include "xai/kernels_ref/detection.h"

#define IN false
#define OUT true

typedef struct {
  xai_detection_params p;
  int32_t work;
} det_data;

static xai_status opt_int(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                          const char *key, int32_t dflt, int32_t *out) {
  xai_flexbuf_ref v;
  xai_error e;
  xai_error_clear(&e);
  int64_t x = dflt;
  if (xai_flexbuf_map_get(map, key, &v, &e) == XAI_OK) {
    bool b = false; /* use_regular_nms is a bool, the others ints */
    if (v.type == XAI_FLEXBUF_BOOL ? xai_flexbuf_get_bool(&v, &b, &e)
                                   : xai_flexbuf_get_int(&v, &x, &e))
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                         e.message);
    if (v.type == XAI_FLEXBUF_BOOL) x = b;
  } else if (e.status != XAI_ERR_RANGE) {
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                       e.message);
  }
  if (x < -(1ll << 24) || x > (1ll << 24))
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s' %lld is out of "
                       "range", key, (long long)x);
  *out = (int32_t)x;
  return XAI_OK;
}

static xai_status opt_float(xai_op_ctx *ctx, const xai_flexbuf_ref *map,
                            const char *key, float *out) {
  xai_flexbuf_ref v;
  xai_error e;
  xai_error_clear(&e);
  double x = 0.0;
  if (xai_flexbuf_map_get(map, key, &v, &e) == XAI_OK) {
    if (xai_flexbuf_get_float(&v, &x, &e))
      return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                         e.message);
  } else if (e.status != XAI_ERR_RANGE) {
    return xai_op_fail(ctx, XAI_ERR_FORMAT, "option '%s': %s", key,
                       e.message);
  }
  *out = (float)x;
  return XAI_OK;
}

static xai_status det_prepare(xai_op_ctx *ctx) {
  xai_flexbuf_ref map;
  xai_status st = xai_sig_io(ctx, 3, 4);
  for (uint32_t i = 0; !st && i < 3; i++)
    st = xai_sig_type(ctx, IN, i, XAI_TYPE_FLOAT32);
  for (uint32_t i = 0; !st && i < 4; i++)
    st = xai_sig_type(ctx, OUT, i, XAI_TYPE_FLOAT32);
  if (!st) st = xai_sig_rank(ctx, IN, 0, 3);
  if (!st) st = xai_sig_rank(ctx, IN, 1, 3);
  if (!st) st = xai_sig_rank(ctx, IN, 2, 2);
  if (!st) st = xai_sig_options(ctx, &map);
  if (st) return st;
  det_data *d = xai_sig_alloc(ctx, sizeof *d);
  if (!d) return XAI_ERR_NO_MEMORY;
  ctx->data = d;
  xai_detection_params *p = &d->p;
  int32_t regular = 0;
  if ((st = opt_int(ctx, &map, "max_detections", 0, &p->max_detections)) ||
      (st = opt_int(ctx, &map, "max_classes_per_detection", 0,
                    &p->max_classes_per_detection)) ||
      (st = opt_int(ctx, &map, "detections_per_class", 100,
                    &p->detections_per_class)) ||
      (st = opt_int(ctx, &map, "use_regular_nms", 0, &regular)) ||
      (st = opt_int(ctx, &map, "num_classes", 0, &p->num_classes)) ||
      (st = opt_float(ctx, &map, "nms_score_threshold", &p->score_threshold)) ||
      (st = opt_float(ctx, &map, "nms_iou_threshold", &p->iou_threshold)) ||
      (st = opt_float(ctx, &map, "y_scale", &p->y_scale)) ||
      (st = opt_float(ctx, &map, "x_scale", &p->x_scale)) ||
      (st = opt_float(ctx, &map, "h_scale", &p->h_scale)) ||
      (st = opt_float(ctx, &map, "w_scale", &p->w_scale)))
    return st;
  p->regular = regular != 0;
  const xai_rt_tensor *enc = xai_op_input(ctx, 0), *cls = xai_op_input(ctx, 1);
  const xai_rt_tensor *anc = xai_op_input(ctx, 2);
  p->num_boxes = enc->dims[1];
  p->box_width = enc->dims[2];
  p->label_offset = cls->dims[2] - p->num_classes;
  if (enc->dims[0] != 1 || p->box_width < 4 || cls->dims[0] != 1 ||
      cls->dims[1] != p->num_boxes || anc->dims[0] != p->num_boxes ||
      anc->dims[1] != 4)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "encodings [%d, %d, %d], scores [%d, %d, %d] and "
                       "anchors [%d, %d]; TFLM's kernel takes [1, N, >= 4], "
                       "[1, N, classes] and [N, 4]", (int)enc->dims[0],
                       (int)enc->dims[1], (int)enc->dims[2],
                       (int)cls->dims[0], (int)cls->dims[1],
                       (int)cls->dims[2], (int)anc->dims[0],
                       (int)anc->dims[1]);
  if (p->num_classes < 1 || p->label_offset < 0 || p->label_offset > 1)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "option 'num_classes' %d with %d score columns; TFLM "
                       "takes the classes plus at most one background column",
                       (int)p->num_classes, (int)cls->dims[2]);
  if (p->max_detections < 0 ||
      !(p->iou_threshold > 0.0f && p->iou_threshold <= 1.0f) ||
      (p->regular ? p->detections_per_class < 1
                  : p->max_classes_per_detection < 1))
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "options max_detections %d, nms_iou_threshold %g, "
                       "%s %d: TFLM needs max_detections >= 0, the threshold "
                       "in (0, 1] and that count >= 1", (int)p->max_detections,
                       (double)p->iou_threshold,
                       p->regular ? "detections_per_class"
                                  : "max_classes_per_detection",
                       (int)(p->regular ? p->detections_per_class
                                        : p->max_classes_per_detection));
  p->out_rows = xai_sig_elements(ctx, OUT, 1);
  if (xai_sig_elements(ctx, OUT, 0) != 4 * p->out_rows ||
      xai_sig_elements(ctx, OUT, 2) != p->out_rows ||
      xai_sig_elements(ctx, OUT, 3) != 1 || p->out_rows < p->max_detections)
    return xai_op_fail(ctx, XAI_ERR_FORMAT,
                       "outputs of %d, %d, %d and %d values; %d detections "
                       "need [.., R, 4], [.., R], [.., R] and [1] with R >= "
                       "%d", xai_sig_elements(ctx, OUT, 0),
                       xai_sig_elements(ctx, OUT, 1),
                       xai_sig_elements(ctx, OUT, 2),
                       xai_sig_elements(ctx, OUT, 3), (int)p->max_detections,
                       (int)p->max_detections);
  return xai_op_request_scratch(ctx, xai_detection_work_bytes(p), &d->work);
}

static xai_status det_eval(xai_op_ctx *ctx) {
  det_data *d = ctx->data;
  const xai_detection_params *p = &d->p;
  xai_error e;
  xai_error_clear(&e);
  if (xai_detection_postprocess_f32_ref(
          p, xai_op_input(ctx, 0)->data, xai_op_input(ctx, 1)->data,
          xai_op_input(ctx, 2)->data, xai_op_scratch(ctx, d->work),
          xai_op_output(ctx, 0)->data, xai_op_output(ctx, 1)->data,
          xai_op_output(ctx, 2)->data, xai_op_output(ctx, 3)->data, &e))
    return xai_op_fail(ctx, e.status, "%s", e.message);
  /* ESTIMATE: decoding is two exps and a few multiplies per box (~120
   * scalar bundles with the float library); NMS a pass over the scores per
   * class and an IoU (~30) per candidate pair among the kept boxes. */
  const uint64_t nb = (uint64_t)p->num_boxes;
  const uint64_t classes = p->regular ? (uint64_t)p->num_classes : 1;
  xai_sig_cost(ctx, 120 * nb + classes * (8 * nb + 30 * nb * 4) +
                        (uint64_t)p->num_classes * nb * 4 + 200);
  return XAI_OK;
}

const xai_op_registration xai_op_detection_postprocess = {
    XAI_OP_CUSTOM, "TFLite_Detection_PostProcess", det_prepare, det_eval,
    NULL};
