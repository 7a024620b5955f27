/* TFLite_Detection_PostProcess (include/xai/kernels_ref/detection.h). */
#include "xai/kernels_ref/detection.h"

#include <math.h>
#include <string.h>

typedef struct {
  float *decoded;         /* num_boxes * 4: ymin, xmin, ymax, xmax */
  float *class_scores;    /* num_boxes */
  float *keep_scores;     /* num_boxes */
  int32_t *keep_indices;  /* num_boxes */
  int32_t *sorted;        /* num_boxes + max_detections */
  int32_t *selected;      /* num_boxes */
  uint8_t *active;        /* num_boxes */
  int32_t *merged_index;  /* regular: num_boxes + max_detections */
  float *merged_score;    /* regular: num_boxes + max_detections */
  float *merged_tmp;      /* regular: num_boxes + max_detections */
  int32_t *class_order;   /* fast: num_boxes * num_classes */
  int32_t *tmp;           /* sort scratch: that or num_classes */
} work_t;

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

static size_t layout(const xai_detection_params *p, uint8_t *base,
                     work_t *w) {
  const size_t nb = (size_t)p->num_boxes;
  const size_t nm = nb + (size_t)p->max_detections;
  const size_t sizes[12] = {
      nb * 4 * sizeof(float), nb * sizeof(float),   nb * sizeof(float),
      nb * sizeof(int32_t),   nm * sizeof(int32_t), nb * sizeof(int32_t),
      nb,                     nm * sizeof(int32_t), nm * sizeof(float),
      nm * sizeof(float),     nb * (size_t)p->num_classes * sizeof(int32_t),
      (nm > (size_t)p->num_classes ? nm : (size_t)p->num_classes) *
          sizeof(int32_t)};
  void **slots[12] = {(void **)&w->decoded,      (void **)&w->class_scores,
                      (void **)&w->keep_scores,  (void **)&w->keep_indices,
                      (void **)&w->sorted,       (void **)&w->selected,
                      (void **)&w->active,       (void **)&w->merged_index,
                      (void **)&w->merged_score, (void **)&w->merged_tmp,
                      (void **)&w->class_order,  (void **)&w->tmp};
  size_t at = 0;
  for (int i = 0; i < 12; i++) {
    if (base) *slots[i] = base + at;
    at += align8(sizes[i]);
  }
  return at;
}

size_t xai_detection_work_bytes(const xai_detection_params *p) {
  work_t w;
  return layout(p, NULL, &w);
}

/* Stable merge sort of idx[0..n) by v, highest first: equal values keep
 * their index order, as in TFLM's merge sort and in its partial sort on
 * (value, -index). */
static void arg_sort(const float *v, int32_t n, int32_t *idx, int32_t *tmp) {
  for (int32_t i = 0; i < n; i++) idx[i] = i;
  for (int32_t width = 1; width < n; width *= 2) {
    for (int32_t lo = 0; lo < n; lo += 2 * width) {
      const int32_t mid = lo + width < n ? lo + width : n;
      const int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int32_t l = lo, r = mid, o = lo;
      while (l < mid && r < hi)
        tmp[o++] = v[idx[r]] > v[idx[l]] ? idx[r++] : idx[l++];
      while (l < mid) tmp[o++] = idx[l++];
      while (r < hi) tmp[o++] = idx[r++];
    }
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
  }
}

static void decode(const xai_detection_params *p, const float *enc,
                   const float *anchors, float *out) {
  for (int32_t i = 0; i < p->num_boxes; i++) {
    const float *e = enc + (size_t)i * (size_t)p->box_width;
    const float *a = anchors + (size_t)i * 4; /* y, x, h, w */
    const float yc = (float)((double)e[0] / (double)p->y_scale * (double)a[2] +
                             (double)a[0]);
    const float xc = (float)((double)e[1] / (double)p->x_scale * (double)a[3] +
                             (double)a[1]);
    const float hh =
        (float)(0.5 * exp((double)e[2] / (double)p->h_scale) * (double)a[2]);
    const float hw =
        (float)(0.5 * exp((double)e[3] / (double)p->w_scale) * (double)a[3]);
    float *b = out + (size_t)i * 4;
    b[0] = yc - hh;
    b[1] = xc - hw;
    b[2] = yc + hh;
    b[3] = xc + hw;
  }
}

static float iou(const float *boxes, int32_t i, int32_t j) {
  const float *a = boxes + (size_t)i * 4, *b = boxes + (size_t)j * 4;
  const float area_a = (a[2] - a[0]) * (a[3] - a[1]);
  const float area_b = (b[2] - b[0]) * (b[3] - b[1]);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float ymin = fmaxf(a[0], b[0]), xmin = fmaxf(a[1], b[1]);
  const float ymax = fminf(a[2], b[2]), xmax = fminf(a[3], b[3]);
  const float inter = fmaxf(ymax - ymin, 0.0f) * fmaxf(xmax - xmin, 0.0f);
  return inter / (area_a + area_b - inter);
}

/* TFLM's NonMaxSuppressionSingleClassHelper: the selected box indices. */
static int32_t nms_single(const xai_detection_params *p, const work_t *w,
                          const float *scores, int32_t max_det,
                          int32_t *selected) {
  int32_t kept = 0;
  for (int32_t i = 0; i < p->num_boxes; i++)
    if (scores[i] >= p->score_threshold) {
      w->keep_scores[kept] = scores[i];
      w->keep_indices[kept++] = i;
    }
  arg_sort(w->keep_scores, kept, w->sorted, w->tmp);
  const int32_t out_size = kept < max_det ? kept : max_det;
  int32_t n_sel = 0, active_left = kept;
  memset(w->active, 1, (size_t)kept);
  for (int32_t i = 0; i < kept; i++) {
    if (active_left == 0 || n_sel >= out_size) break;
    if (!w->active[i]) continue;
    const int32_t bi = w->keep_indices[w->sorted[i]];
    selected[n_sel++] = bi;
    w->active[i] = 0;
    active_left--;
    for (int32_t j = i + 1; j < kept; j++)
      if (w->active[j] &&
          iou(w->decoded, bi, w->keep_indices[w->sorted[j]]) >
              p->iou_threshold) {
        w->active[j] = 0;
        active_left--;
      }
  }
  return n_sel;
}

static void put_row(const work_t *w, int32_t row, int32_t box, float cls,
                    float score, float *boxes, float *classes,
                    float *out_scores) {
  memcpy(boxes + (size_t)row * 4, w->decoded + (size_t)box * 4,
         4 * sizeof(float));
  classes[row] = cls;
  out_scores[row] = score;
}

static void regular(const xai_detection_params *p, const work_t *w,
                    const float *scores, float *boxes, float *classes,
                    float *out_scores, float *num) {
  const int32_t stride = p->num_classes + p->label_offset;
  int32_t merged = 0;
  for (int32_t c = 0; c < p->num_classes; c++) {
    for (int32_t r = 0; r < p->num_boxes; r++)
      w->class_scores[r] = scores[(size_t)r * stride + c + p->label_offset];
    const int32_t n_sel = nms_single(p, w, w->class_scores,
                                     p->detections_per_class, w->selected);
    int32_t n = merged;
    for (int32_t i = 0; i < n_sel; i++, n++) {
      w->merged_index[n] = w->selected[i] * stride + c + p->label_offset;
      w->merged_score[n] = w->class_scores[w->selected[i]];
    }
    const int32_t keep = n < p->max_detections ? n : p->max_detections;
    arg_sort(w->merged_score, n, w->sorted, w->tmp);
    for (int32_t r = 0; r < keep; r++) {
      w->merged_tmp[r] = w->merged_score[w->sorted[r]];
      w->sorted[r] = w->merged_index[w->sorted[r]];
    }
    for (int32_t r = 0; r < keep; r++) {
      w->merged_index[r] = w->sorted[r];
      w->merged_score[r] = w->merged_tmp[r];
    }
    merged = keep;
  }
  for (int32_t r = 0; r < p->max_detections && r < p->out_rows; r++) {
    if (r < merged) {
      const int32_t anchor = w->merged_index[r] / stride;
      const int32_t cls = w->merged_index[r] - anchor * stride - p->label_offset;
      put_row(w, r, anchor, (float)cls, w->merged_score[r], boxes, classes,
              out_scores);
    } else {
      memset(boxes + (size_t)r * 4, 0, 4 * sizeof(float));
      classes[r] = out_scores[r] = 0.0f;
    }
  }
  *num = (float)merged;
}

static void fast(const xai_detection_params *p, const work_t *w,
                 const float *scores, float *boxes, float *classes,
                 float *out_scores, float *num) {
  const int32_t stride = p->num_classes + p->label_offset;
  const int32_t per = p->max_classes_per_detection < p->num_classes
                          ? p->max_classes_per_detection
                          : p->num_classes;
  for (int32_t r = 0; r < p->num_boxes; r++) {
    const float *s = scores + (size_t)r * stride + p->label_offset;
    int32_t *order = w->class_order + (size_t)r * p->num_classes;
    arg_sort(s, p->num_classes, order, w->tmp);
    w->class_scores[r] = s[order[0]];
  }
  const int32_t n_sel =
      nms_single(p, w, w->class_scores, p->max_detections, w->selected);
  /* TFLM advances the row per class written, and places class `col` of a
   * box at per * row + col: with per > 1 rows are skipped (and can fall
   * past the output, which is not written here). */
  int32_t row = 0;
  memset(boxes, 0, (size_t)p->out_rows * 4 * sizeof(float));
  memset(classes, 0, (size_t)p->out_rows * sizeof(float));
  memset(out_scores, 0, (size_t)p->out_rows * sizeof(float));
  for (int32_t i = 0; i < n_sel; i++) {
    const int32_t b = w->selected[i];
    const float *s = scores + (size_t)b * stride + p->label_offset;
    const int32_t *order = w->class_order + (size_t)b * p->num_classes;
    for (int32_t col = 0; col < per; col++, row++) {
      const int64_t at = (int64_t)per * row + col;
      if (at < p->out_rows)
        put_row(w, (int32_t)at, b, (float)order[col], s[order[col]], boxes,
                classes, out_scores);
    }
  }
  *num = (float)row;
}

xai_status xai_detection_postprocess_f32_ref(
    const xai_detection_params *p, const float *encodings,
    const float *scores, const float *anchors, void *work, float *boxes,
    float *classes, float *out_scores, float *num_detections,
    xai_error *err) {
  work_t w;
  layout(p, work, &w);
  decode(p, encodings, anchors, w.decoded);
  for (int32_t i = 0; i < p->num_boxes; i++) {
    const float *b = w.decoded + (size_t)i * 4;
    if (b[0] >= b[2] || b[1] >= b[3])
      return xai_fail(err, XAI_ERR_FORMAT,
                      "box %d decodes empty (ymin %g, xmin %g, ymax %g, "
                      "xmax %g): TFLM's kernel fails on it", (int)i,
                      (double)b[0], (double)b[1], (double)b[2], (double)b[3]);
  }
  if (p->regular)
    regular(p, &w, scores, boxes, classes, out_scores, num_detections);
  else
    fast(p, &w, scores, boxes, classes, out_scores, num_detections);
  return XAI_OK;
}
