/* A model whose arena exceeds the device is refused before the xformer
 * allocates that arena: one line naming the arena bytes and the device's,
 * XAI_ERR_NO_MEMORY, and the process never touches the arena's pages (it
 * used to allocate and clear the whole planned arena, up to 2 GiB, first). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "test_model_build.h"
#include "testlib.h"
#include "xai/xformer.h"

/* ADD of an int8 [1, n] input and a one-element constant: the input alone
 * needs n bytes of arena. */
static uint8_t *add_model(int32_t n, size_t *size) {
  xai_model m;
  xai_error err;
  CHECK_EQ_INT(xai_model_init(&m, &err), XAI_OK);
  const int32_t shape[] = {1, n}, one[] = {1};
  static const int8_t c1[1] = {3};
  int32_t in = mb_tensor(&m, "in", XAI_TYPE_INT8, shape, 2, 0.5f, 0, NULL, 0);
  int32_t c = mb_tensor(&m, "c", XAI_TYPE_INT8, one, 1, 0.5f, 0, c1, 1);
  int32_t out = mb_tensor(&m, "out", XAI_TYPE_INT8, shape, 2, 0.5f, 0, NULL, 0);
  const int32_t ins[] = {in, c};
  mb_op(&m, XAI_OP_ADD, ins, 2, out, NULL);
  xai_model_set_subgraph_io(&m, 0, &in, 1, &out, 1);
  uint8_t *data = NULL;
  CHECK_EQ_INT(xai_model_write(&m, &data, size, &err), XAI_OK);
  xai_model_free(&m);
  return data;
}

static long max_rss_kib(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

static xai_status xform(int32_t n, const char *target, xai_error *err) {
  size_t size = 0;
  uint8_t *model = add_model(n, &size);
  xai_xformer_options o;
  xai_xformer_options_init(&o);
  o.quiet = 1;
  o.target_config = target;
  uint8_t *out = NULL;
  size_t out_size = 0;
  xai_status st =
      xai_xformer_run(model, size, &o, &out, &out_size, NULL, NULL, NULL, err);
  free(out);
  free(model);
  return st;
}

int main(void) {
  xai_error err;
  /* 70 MiB of input against the default target's 64 MiB of LPDDR. */
  long rss0 = max_rss_kib();
  CHECK_EQ_INT(xform(70 << 20, NULL, &err), XAI_ERR_NO_MEMORY);
  long grew = max_rss_kib() - rss0;
  printf("refused: %s (peak RSS +%ld KiB)\n", err.message, grew);
  CHECK(strstr(err.message, "model check: the model needs ") != NULL);
  CHECK(strstr(err.message, "bytes of arena but the device has 67108864 "
                            "bytes of lpddr for it") != NULL);
  CHECK(strchr(err.message, '\n') == NULL);
  CHECK(grew < 32 * 1024); /* the 70 MiB arena was never cleared */

  /* No LPDDR: the arena's room is the tile's SRAM less the firmware's. */
  const char *path = "test_arena_limit.target";
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  fputs("lpddr_mib = 0\nsram_kib = 512\nfirmware_kib = 64\n", f);
  fclose(f);
  CHECK_EQ_INT(xform(600 * 1024, path, &err), XAI_ERR_NO_MEMORY);
  printf("refused: %s\n", err.message);
  CHECK(strstr(err.message, "bytes of arena but the device has 458752 bytes "
                            "of sram for it (test_arena_limit.target)") !=
        NULL);
  /* What fits still compiles. */
  CHECK_EQ_INT(xform(100 * 1024, path, &err), XAI_OK);
  CHECK_EQ_INT(xform(1024, NULL, &err), XAI_OK);
  remove(path);
  return xai_test_finish("xformer_arena_limit");
}
