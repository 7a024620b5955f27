/* The C side of the xmos_ai_ie Python module: the whole host library
 * (include/xai/host.h) is linked into this shared library and called
 * directly through ctypes. This file only lets Python check that its
 * ctypes mirrors of the structs have the C sizes, so a layout change
 * fails loudly instead of corrupting memory. */
#include <stddef.h>

#include "xai/host.h"

size_t xai_host_py_sizeof(const char *what);

size_t xai_host_py_sizeof(const char *what) {
  if (!what) return 0;
  switch (what[0]) {
    case 'e': return sizeof(xai_error);
    case 'h': return sizeof(xai_proto_hello);
    case 's': return sizeof(xai_host_spec);
    case 't': return sizeof(xai_proto_tensor_info);
    case 'l': return sizeof(xai_proto_layer_timing);
    case 'u': return sizeof(xai_proto_layer_tile);
    case 'T': return sizeof(xai_proto_tile_timings);
    case 'P': return sizeof(xai_host_pipeline_stats);
    default: return 0;
  }
}
