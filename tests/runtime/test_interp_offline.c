/* OfflineMemoryAllocation metadata (TFLite Micro's format: int32 [version
 * 0, subgraph, n tensors, n offsets, -1 = plan online]) is honoured. */
#include <stdlib.h>
#include <string.h>

#include "rt_models.h"
#include "interp_heap.h"

static _Alignas(16) uint8_t g_arena[16 * 1024];

/* The chain model (tensors in, mid, mid2, shape, out) plus metadata. */
static int chain_with_offsets(const int32_t *words, uint32_t count,
                              uint8_t **data, size_t *size) {
  uint8_t *plain;
  size_t plain_size;
  if (!rt_chain_model(&plain, &plain_size)) return 0;
  xai_tfl_view v;
  xai_model m;
  xai_error err;
  xai_error_clear(&err);
  int ok = xai_tfl_open(&v, plain, plain_size, &err) == XAI_OK &&
           xai_model_from_view(&m, &v, 0, &err) == XAI_OK;
  free(plain);
  if (!ok) return 0;
  xai_model_set_metadata(&m, "OfflineMemoryAllocation", words,
                         count * sizeof(int32_t));
  ok = rt_write(&m, data, size);
  xai_model_free(&m);
  return ok;
}

static xai_status init(const uint8_t *model, size_t size,
                       xai_planner_kind kind, xai_interp **ip,
                       xai_error *err) {
  xai_interp_config c =
      xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  c.resolver = rt_test_resolver();
  c.planner = kind;
  return xai_interp_init(ip, &c, err);
}

int main(void) {
  /* in @256, mid @512, mid2 online, shape (constant: ignored), out @64. */
  const int32_t words[] = {0, 0, 5, 256, 512, -1, 0, 64};
  uint8_t *model;
  size_t size;
  CHECK(chain_with_offsets(words, 8, &model, &size));
  xai_interp *ip;
  xai_error err;
  xai_status st = init(model, size, XAI_PLANNER_AUTO, &ip, &err);
  if (st) fprintf(stderr, "init: %s\n", err.message);
  CHECK_EQ_INT(st, XAI_OK);
  if (!st) {
    CHECK((uint8_t *)xai_interp_input(ip, 0)->data == g_arena + 256);
    CHECK((uint8_t *)xai_interp_subgraph_tensor(ip, 0, 1)->data ==
          g_arena + 512);
    CHECK((uint8_t *)xai_interp_output(ip, 0)->data == g_arena + 64);
    /* mid2 is live with mid (512..528) and op 1's scratch; the online
     * buffers avoid the fixed ones. Head reaches at least mid's end. */
    CHECK(xai_interp_arena_head(ip) >= 528);
    const int8_t x[4] = {1, 2, 3, 4};
    xai_interp_set_input(ip, 0, x, 4, &err);
    CHECK_EQ_INT(xai_interp_invoke(ip, &err), XAI_OK);
    const int8_t *y = xai_interp_output(ip, 0)->data;
    CHECK_EQ_INT(y[0], 3);
    CHECK_EQ_INT(y[3], 6);
  }
  /* The greedy planner ignores the metadata. */
  CHECK_EQ_INT(init(model, size, XAI_PLANNER_GREEDY, &ip, &err), XAI_OK);
  CHECK_EQ_INT(xai_interp_arena_head(ip), 48);
  free(model);

  /* Offsets that put live tensors on the same bytes are refused. */
  const int32_t clash[] = {0, 0, 5, 0, 0, -1, 0, -1};
  CHECK(chain_with_offsets(clash, 8, &model, &size));
  CHECK_EQ_INT(init(model, size, XAI_PLANNER_AUTO, &ip, &err),
               XAI_ERR_FORMAT);
  CHECK(strstr(err.message, "live together"));
  free(model);

  /* Wrong tensor count. */
  const int32_t wrong[] = {0, 0, 4, -1, -1, -1, -1};
  CHECK(chain_with_offsets(wrong, 7, &model, &size));
  CHECK_EQ_INT(init(model, size, XAI_PLANNER_AUTO, &ip, &err),
               XAI_ERR_FORMAT);
  CHECK(strstr(err.message, "4 offsets but the model has 5 tensors"));
  free(model);

  /* Offline asked for, none present. */
  CHECK(rt_chain_model(&model, &size));
  CHECK_EQ_INT(init(model, size, XAI_PLANNER_OFFLINE, &ip, &err),
               XAI_ERR_ARGUMENT);
  free(model);
  return xai_test_finish("runtime_interp_offline");
}
