/* Writes the TFLite Micro builtin suite into a directory:
 *   xai_oracle_gen_builtins OUT_DIR
 * Single-op models for the ops the LiteRT suite (gen_single_op.c) does not
 * cover, in every tensor type TFLite Micro's kernels take;
 * tests/oracle/oracle_tflm_ops.py runs them on TFLM and on xai (before and
 * after the xformer). */
#include <stdio.h>
#include <sys/stat.h>

#include "gen_builtins_util.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: xai_oracle_gen_builtins OUT_DIR\n");
    return 2;
  }
  mkdir(argv[1], 0755);
  gen_ctx g = {.dir = argv[1], .rng = 0x7f1a11b5u};
  gen_builtins_unary(&g);
  gen_builtins_binary(&g);
  gen_builtins_shape(&g);
  gen_builtins_misc(&g);
  gen_builtins_nn(&g);
  gen_builtins_variables(&g);
  gen_builtins_float(&g);
  gen_builtins_log_softmax(&g);
  gen_builtins_call_once(&g);
  gen_builtins_int16(&g);
  printf("xai_oracle_gen_builtins: wrote %d models to %s (%d failed)\n",
         g.written, argv[1], g.failed);
  return g.failed ? 1 : 0;
}
