/* Checks and emission shared by the convolution-family lowerings. The
 * arithmetic mirrors the reference ops exactly (conv_ops_common.c,
 * conv_fully_connected.c), since the XAI_* op must give the same bits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lower_conv_internal.h"
#include "xai/kernels_ref/quant.h"
#include "xai/xcore_machine.h"

static const char *tname(xf_ctx *x, int32_t t) {
  xai_tensor *tt = xf_tensor(x, t);
  return tt && tt->name ? tt->name : "";
}

bool xf_conv_int8_act(xf_ctx *x, uint32_t op, int32_t t, const char *what,
                      float *scale, int32_t *zero_point) {
  xai_tensor *tt = xf_tensor(x, t);
  if (!tt) {
    xf_keep(x, op, "%s is missing", what);
    return false;
  }
  if (tt->type == XAI_TYPE_INT16) {
    /* 16x8: the VPU's 8-bit MAC path has no int16 activations, and an
     * int16 x int8 split into byte halves would not be exact with TFLite's
     * int64-bias requantization. */
    xf_keep(x, op, "%s is INT16 (16x8): stays a builtin; the xcore conv/FC "
            "kernels multiply int8 activations only", what);
    return false;
  }
  if (tt->type != XAI_TYPE_INT8) {
    xf_keep(x, op, "%s '%.40s' is %s; xcore kernels take INT8 only", what,
            tname(x, t), xai_tensor_type_name(tt->type));
    return false;
  }
  if (!xf_quant(x, t, scale, zero_point) || !isfinite(*scale) ||
      *scale <= 0.0f || *zero_point < -128 || *zero_point > 127) {
    xf_keep(x, op, "%s '%s' has no usable int8 quantization", what,
            tname(x, t));
    return false;
  }
  return true;
}

bool xf_conv_dims4(xf_ctx *x, uint32_t op, int32_t t, const char *what,
                   xai_dims4 *d) {
  xai_tensor *tt = xf_tensor(x, t);
  if (!tt || tt->rank != 4) {
    xf_keep(x, op, "%s has rank %u; expected 4", what, tt ? tt->rank : 0u);
    return false;
  }
  d->n = tt->shape[0];
  d->h = tt->shape[1];
  d->w = tt->shape[2];
  d->c = tt->shape[3];
  if (d->n < 1 || d->h < 1 || d->w < 1 || d->c < 1) {
    xf_keep(x, op, "%s has an empty or dynamic shape", what);
    return false;
  }
  return true;
}

const int8_t *xf_conv_weights(xf_ctx *x, uint32_t op, int32_t t, size_t n,
                              const char *what) {
  xai_tensor *tt = xf_tensor(x, t);
  size_t size = 0;
  const uint8_t *data = xf_const_data(x, t, &size);
  if (!tt || tt->type != XAI_TYPE_INT8) {
    xf_keep(x, op, "%s is %s; xcore kernels take INT8 weights", what,
            tt ? xai_tensor_type_name(tt->type) : "missing");
    return NULL;
  }
  if (!data) {
    xf_keep(x, op, "%s '%s' is not constant", what, tname(x, t));
    return NULL;
  }
  if (size != n) {
    xf_keep(x, op, "%s '%s' holds %zu bytes; its shape needs %zu", what,
            tname(x, t), size, n);
    return NULL;
  }
  return (const int8_t *)data;
}

bool xf_conv_bias(xf_ctx *x, uint32_t op, int32_t t, int32_t n,
                  int32_t **bias, bool *oom) {
  *bias = NULL;
  *oom = false;
  if (t < 0) return true;
  xai_tensor *tt = xf_tensor(x, t);
  size_t size = 0;
  const uint8_t *data = xf_const_data(x, t, &size);
  if (!tt || tt->type != XAI_TYPE_INT32) {
    xf_keep(x, op, "bias is %s; xcore kernels take an INT32 bias",
            tt ? xai_tensor_type_name(tt->type) : "missing");
    return false;
  }
  if (!data || size != (size_t)n * sizeof(int32_t)) {
    xf_keep(x, op, "bias '%s' is not a constant of %d int32 values",
            tname(x, t), (int)n);
    return false;
  }
  *bias = malloc(size);
  if (!*bias) {
    *oom = true;
    return false;
  }
  memcpy(*bias, data, size);
  return true;
}

bool xf_conv_quant(xf_ctx *x, uint32_t op, float in_scale, int32_t filter,
                   float out_scale, int32_t n, int32_t quant_dim,
                   bool fc_per_tensor, int32_t *mult, int32_t *shift) {
  xai_tensor *f = xf_tensor(x, filter);
  if (!f || !f->quant.present || f->quant.scale_count == 0) {
    xf_keep(x, op, "weights '%s' have no quantization scales",
            tname(x, filter));
    return false;
  }
  const xai_quant *q = &f->quant;
  bool per_channel = q->scale_count > 1;
  if (per_channel && ((int32_t)q->scale_count != n ||
                      q->quantized_dimension != quant_dim)) {
    xf_keep(x, op, "weights '%s' have %u scales along dimension %d; "
            "expected 1 or %d along %d", tname(x, filter), q->scale_count,
            (int)q->quantized_dimension, (int)n, (int)quant_dim);
    return false;
  }
  for (int32_t c = 0; c < n; c++) {
    float fs = q->scale[per_channel ? c : 0];
    double real;
    if (!per_channel && fc_per_tensor) {
      const float product = in_scale * fs; /* float, as LiteRT */
      real = (double)product / (double)out_scale;
    } else {
      real = (double)in_scale * (double)fs / (double)out_scale;
    }
    int s = 0;
    xai_quantize_multiplier(real, &mult[c], &s);
    shift[c] = s;
  }
  return true;
}

void xf_conv_act_range(int activation, float out_scale, int32_t out_zp,
                       int32_t *act_min, int32_t *act_max) {
  xai_activation_range_quantized(activation, out_scale, out_zp, INT8_MIN,
                                 INT8_MAX, act_min, act_max);
}

uint32_t xf_conv_threads(const xf_ctx *x, int64_t work_items,
                         uint64_t item_bundles) {
  uint32_t best = 1;
  uint64_t best_cycles = UINT64_MAX;
  for (uint32_t n = 1; n <= x->opt->thread_count; n++) {
    if ((int64_t)n > work_items && n > 1) break;
    uint64_t period = n > XAI_XCORE_ISSUE_SLOTS ? n : XAI_XCORE_ISSUE_SLOTS;
    uint64_t per_thread = (uint64_t)((work_items + (int64_t)n - 1) / n);
    uint64_t cycles = per_thread * item_bundles * period;
    if (n > 1)
      cycles += (XAI_XCORE_FORK_JOIN_BASE_BUNDLES +
                 XAI_XCORE_FORK_JOIN_PER_THREAD_BUNDLES * (uint64_t)(n - 1)) *
                period;
    if (cycles < best_cycles) {
      best_cycles = cycles;
      best = n;
    }
  }
  return best;
}

xai_status xf_conv_emit_begin(xf_conv_emit *e, size_t blob_size,
                              uint32_t th, xai_error *err) {
  memset(e, 0, sizeof *e);
  /* malloc alignment (>= 16) covers the kernels' 4-byte requirement. */
  e->blob = calloc(1, blob_size ? blob_size : 1);
  if (!e->blob)
    return xai_fail(err, XAI_ERR_NO_MEMORY,
                    "xformer: out of memory for a %zu-byte packed blob",
                    blob_size);
  e->blob_size = blob_size;
  xai_flexbuf_builder_init(&e->opts, NULL, 0);
  xai_flexbuf_map_begin(&e->opts, NULL);
  xai_flexbuf_add_int(&e->opts, "th", (int64_t)(th ? th : 1));
  return XAI_OK;
}

void xf_conv_emit_free(xf_conv_emit *e) {
  free(e->blob);
  e->blob = NULL;
  xai_flexbuf_builder_free(&e->opts);
}

xai_status xf_conv_emit_finish(xf_ctx *x, uint32_t op, xf_conv_emit *e,
                               const char *code, int32_t in, int32_t out,
                               xai_error *err) {
  xai_flexbuf_map_end(&e->opts);
  const uint8_t *opts = NULL;
  size_t opts_size = 0;
  xai_status st = xai_flexbuf_finish(&e->opts, &opts, &opts_size, err);
  if (st) {
    xf_conv_emit_free(e);
    return st;
  }
  if (e->blob_size > INT32_MAX) {
    xf_conv_emit_free(e);
    return xai_fail(err, XAI_ERR_RANGE, "op %u %s: packed blob of %zu bytes "
                    "is too large for a tensor", op, code, e->blob_size);
  }
  char name[160];
  snprintf(name, sizeof name, "%s/xai_packed", tname(x, out));
  int32_t shape[1] = {(int32_t)e->blob_size};
  int32_t packed = xf_add_const(x, name, XAI_TYPE_UINT8, shape, 1, e->blob,
                                e->blob_size);
  if (packed < 0) {
    xf_conv_emit_free(e);
    return xai_fail(err, XAI_ERR_NO_MEMORY, "xformer: out of memory");
  }
  int32_t ins[2] = {in, packed}, outs[1] = {out};
  st = xf_replace_custom(x, op, code, ins, 2, outs, 1, opts, opts_size, err);
  xf_conv_emit_free(e);
  return st;
}

bool xf_conv_pack_refused(xf_ctx *x, uint32_t op, xai_status st,
                          const xai_error *kerr) {
  if (st == XAI_ERR_UNSUPPORTED || st == XAI_ERR_RANGE ||
      st == XAI_ERR_ARGUMENT) {
    xf_keep(x, op, "%s", kerr->message);
    return true;
  }
  return false;
}
