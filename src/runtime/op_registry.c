/* The op resolvers: every registration listed in the op-family X-macro
 * files (ops/ops_ref.def: reference ops; ops/ops_all.def adds the XAI_*
 * ops), so adding an op touches only its family's files. */
#include <string.h>

#include "xai/runtime.h"

#define XAI_OP(name) extern const xai_op_registration xai_op_##name;
#include "ops/ops_all.def"
#undef XAI_OP

#define XAI_OP(name) &xai_op_##name,
static const xai_op_registration *const k_ref_ops[] = {
#include "ops/ops_ref.def"
    NULL, /* keeps the array non-empty while the lists are */
};

static const xai_op_resolver k_ref_resolver = {
    k_ref_ops, sizeof k_ref_ops / sizeof k_ref_ops[0] - 1};

static const xai_op_registration *const k_all_ops[] = {
#include "ops/ops_all.def"
    NULL,
};
#undef XAI_OP

static const xai_op_resolver k_all_resolver = {
    k_all_ops, sizeof k_all_ops / sizeof k_all_ops[0] - 1};

const xai_op_resolver *xai_ref_resolver(void) { return &k_ref_resolver; }
const xai_op_resolver *xai_all_ops_resolver(void) { return &k_all_resolver; }

const xai_op_registration *xai_resolver_find(const xai_op_resolver *r,
                                             int32_t builtin_code,
                                             const char *custom_name) {
  if (!r) return NULL;
  for (size_t i = 0; i < r->count; i++) {
    const xai_op_registration *reg = r->ops[i];
    if (!reg || reg->builtin_code != builtin_code) continue;
    if (builtin_code != XAI_OP_CUSTOM) return reg;
    if (custom_name && reg->custom_name &&
        strcmp(custom_name, reg->custom_name) == 0)
      return reg;
  }
  return NULL;
}
