/* What each registered op accepts, for `xai ops`, docs/ops.md and error
 * messages: one row per registration of xai_all_ops_resolver() (a test
 * checks that every registration has a row and every row a registration). */
#ifndef XAI_OP_CATALOG_H
#define XAI_OP_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  int32_t builtin_code;    /* XAI_OP_CUSTOM for custom ops */
  const char *custom_name; /* custom code, NULL for builtins */
  const char *types;       /* tensor types, e.g. "float32, int8, int16" */
  const char *note;        /* conditions on them ("" when none) */
} xai_op_info;

size_t xai_op_catalog_count(void);
const xai_op_info *xai_op_catalog_at(size_t i);
/* The row for an op, NULL when it has none. */
const xai_op_info *xai_op_catalog_find(int32_t builtin_code,
                                       const char *custom_name);

#ifdef __cplusplus
}
#endif

#endif
