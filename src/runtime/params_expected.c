/* Which params file a model was compiled with: the `xai_params` metadata
 * the xformer records when it splits weights off (docs/weights.md). Used
 * by the server at load and by build_flash_file when it pairs files. */
#include "xai/flexbuf.h"
#include "xai/runtime.h"
#include "xai/tflite.h"

bool xai_params_expected(const uint8_t *model, size_t bytes, uint64_t *hash,
                         uint64_t *file_bytes) {
  xai_tfl_view view;
  xai_error e;
  xai_error_clear(&e);
  if (xai_tfl_open(&view, model, bytes, &e) != XAI_OK) return false;
  size_t n = 0;
  const uint8_t *md = xai_tfl_find_metadata(&view, "xai_params", &n);
  xai_flexbuf_ref map, v;
  if (!md || !n || xai_flexbuf_verify(md, n, &e) != XAI_OK ||
      xai_flexbuf_root(md, n, &map, &e) != XAI_OK ||
      map.type != XAI_FLEXBUF_MAP ||
      xai_flexbuf_map_get(&map, "hash", &v, &e) != XAI_OK ||
      xai_flexbuf_get_uint(&v, hash, &e) != XAI_OK)
    return false;
  *file_bytes = 0;
  if (xai_flexbuf_map_get(&map, "bytes", &v, &e) == XAI_OK)
    xai_flexbuf_get_uint(&v, file_bytes, &e);
  return true;
}
