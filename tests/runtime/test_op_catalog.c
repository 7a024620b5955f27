/* The op catalog (types per op, for `xai ops` and docs/ops.md) and the
 * registry cannot drift: every registration has a row, every row a
 * registration, and each op is registered once. */
#include <string.h>

#include "testlib.h"
#include "xai/op_catalog.h"
#include "xai/runtime.h"

static int same_op(int32_t code, const char *custom,
                   const xai_op_registration *r) {
  if (r->builtin_code != code) return 0;
  if (code != XAI_OP_CUSTOM) return 1;
  return custom && r->custom_name && !strcmp(custom, r->custom_name);
}

int main(void) {
  const xai_op_resolver *r = xai_all_ops_resolver();
  for (size_t i = 0; i < r->count; i++) {
    const xai_op_registration *reg = r->ops[i];
    if (!reg) continue;
    const xai_op_info *info =
        xai_op_catalog_find(reg->builtin_code, reg->custom_name);
    if (!info)
      fprintf(stderr, "no catalog row for builtin %d %s\n",
              (int)reg->builtin_code, reg->custom_name ? reg->custom_name : "");
    CHECK(info != NULL);
    for (size_t k = i + 1; k < r->count; k++)
      if (r->ops[k])
        CHECK(!same_op(reg->builtin_code, reg->custom_name, r->ops[k]));
  }
  for (size_t i = 0; i < xai_op_catalog_count(); i++) {
    const xai_op_info *info = xai_op_catalog_at(i);
    const xai_op_registration *reg =
        xai_resolver_find(r, info->builtin_code, info->custom_name);
    if (!reg)
      fprintf(stderr, "catalog row for builtin %d %s has no registration\n",
              (int)info->builtin_code,
              info->custom_name ? info->custom_name : "");
    CHECK(reg != NULL);
    CHECK(info->types && info->types[0]);
  }
  return xai_test_finish("runtime_test_op_catalog");
}
