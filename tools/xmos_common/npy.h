/* NumPy .npy files (format version 1.0/2.0: magic, header dict with
 * 'descr', 'fortran_order', 'shape', then the raw C-order data), for the
 * xmos_* tools that read tensors from files or write them. */
#ifndef XAI_TOOLS_NPY_H
#define XAI_TOOLS_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "xai/common.h"

/* True when data starts with the .npy magic. */
int npy_is_npy(const uint8_t *data, size_t size);

/* The array in a .npy file in memory: *dtype is the TFLite type code
 * (INT8 9, UINT8 3, INT16 7, INT32 2, FLOAT32 0, INT64 4, BOOL 6), the
 * data points into `data`. Refuses Fortran order, big-endian and other
 * types with a message. */
xai_status npy_parse(const uint8_t *data, size_t size, int *dtype,
                     int64_t *shape, int *rank, const uint8_t **array,
                     size_t *array_bytes, xai_error *err);

/* Writes `bytes` of a C-order array of TFLite type `dtype` and `shape`
 * as a .npy file at path. */
xai_status npy_write(const char *path, int dtype, const int32_t *shape,
                     int rank, const void *array, size_t bytes,
                     xai_error *err);

/* "int8", "float32", ... for messages. */
const char *npy_type_name(int dtype);

#endif
