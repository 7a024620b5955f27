/* TFLite Micro or LiteRT arithmetic: which one a model asks for. The
 * xformer records its choice as "semantics" in the `xai` metadata map, so a
 * compiled model runs the same on the host and on the device. */
#include <string.h>

#include "interp_internal.h"
#include "xai/flexbuf.h"

const char *xai_semantics_name(xai_semantics s) {
  switch (s) {
    case XAI_SEMANTICS_TFLM: return "tflm";
    case XAI_SEMANTICS_LITERT: return "litert";
    default: return "model";
  }
}

bool xai_semantics_parse(const char *text, xai_semantics *out) {
  if (!strcmp(text, "tflm")) *out = XAI_SEMANTICS_TFLM;
  else if (!strcmp(text, "litert")) *out = XAI_SEMANTICS_LITERT;
  else return false;
  return true;
}

xai_semantics xai_view_semantics(const xai_tfl_view *view) {
  size_t md_size = 0;
  const uint8_t *md = xai_tfl_find_metadata(view, "xai", &md_size);
  xai_flexbuf_ref root, value;
  const char *text;
  size_t len;
  xai_semantics s = XAI_SEMANTICS_TFLM;
  if (md && xai_flexbuf_verify(md, md_size, NULL) == XAI_OK &&
      xai_flexbuf_root(md, md_size, &root, NULL) == XAI_OK &&
      xai_flexbuf_map_get(&root, "semantics", &value, NULL) == XAI_OK &&
      xai_flexbuf_get_string(&value, &text, &len, NULL) == XAI_OK &&
      xai_semantics_parse(text, &s))
    return s;
  return XAI_SEMANTICS_TFLM;
}

xai_semantics xai_model_semantics(const uint8_t *model, size_t size) {
  xai_tfl_view view;
  if (xai_tfl_open(&view, model, size, NULL) != XAI_OK)
    return XAI_SEMANTICS_TFLM;
  return xai_view_semantics(&view);
}

xai_semantics xai_op_semantics(const xai_op_ctx *ctx) {
  return ctx->interp->semantics;
}
