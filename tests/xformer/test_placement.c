/* Memory placement (docs/weights.md): target description parsing, the
 * auto choice, named placements and the "does not fit" messages, on sizes
 * whose budgets are worked out by hand below. */
#include <stdio.h>
#include <string.h>

#include "testlib.h"
#include "xformer_internal.h"

/* Default target: (512 - 128) KiB of SRAM for model + arena = 393216
 * bytes, 64 MiB LPDDR, 16 MiB flash. */
/* The hand-worked sizes below use a target that keeps 128 KiB for the
 * firmware: 512 - 128 KiB = 393216 bytes for model and arena. */
#define SRAM_BUDGET 393216u
#define FIRMWARE_KIB 128u

static void test_parse(void) {
  xf_target t;
  xai_error err;
  xf_target_default(&t);
  CHECK_EQ_INT(t.sram_kib, 512);
  CHECK_EQ_INT(t.firmware_kib, XAI_XCORE_FIRMWARE_BYTES_PER_TILE / 1024);
  CHECK_EQ_INT(t.lpddr_mib, 64);
  CHECK_EQ_INT(t.flash_mib, 16);
  CHECK_EQ_INT(xf_target_parse(&t, "# board\nsram_kib = 1024\nlpddr_mib=0\n"
                               "arena_memory = lpddr # tail comment\n",
                               "t.cfg", &err), XAI_OK);
  CHECK_EQ_INT(t.sram_kib, 1024);
  CHECK_EQ_INT(t.lpddr_mib, 0);
  CHECK_EQ_INT(t.arena_memory, XF_MEM_LPDDR);
  CHECK_EQ_INT(t.model_memory, -1);
  xf_target_default(&t);
  t.firmware_kib = FIRMWARE_KIB;
  CHECK_EQ_INT(xf_target_parse(&t, "{\"sram_kib\": 256, \"flash_mib\": 8,\n"
                               " \"params_memory\": \"flash\"}", "t.json",
                               &err), XAI_OK);
  CHECK_EQ_INT(t.sram_kib, 256);
  CHECK_EQ_INT(t.flash_mib, 8);
  CHECK_EQ_INT(t.params_memory, XF_MEM_FLASH);
  xai_error_clear(&err);
  CHECK(xf_target_parse(&t, "sram_kb = 5", "t.cfg", &err) != XAI_OK);
  CHECK(strstr(err.message, "t.cfg line 1: unknown key 'sram_kb'") != NULL);
  xai_error_clear(&err);
  CHECK(xf_target_parse(&t, "\nflash_mib = lots", "t.cfg", &err) != XAI_OK);
  CHECK(strstr(err.message, "line 2") != NULL);
  xai_error_clear(&err);
  CHECK(xf_target_parse(&t, "model_memory = rom", "t.cfg", &err) != XAI_OK);
  CHECK(strstr(err.message, "sram, lpddr or flash") != NULL);
  /* Issue #12: a config that sets nothing, or is malformed. */
  const char *bad[] = {"", "# only a comment\n", "  \n\t\n", "{}",
                       "sram_kib", "sram_kib =", "= 5", "sram_kib = 5 6",
                       "sram_kib = 99999999999", "sram_kib = -1"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    xai_error_clear(&err);
    CHECK(xf_target_parse(&t, bad[i], "t.cfg", &err) == XAI_ERR_ARGUMENT);
    CHECK(strncmp(err.message, "t.cfg", 5) == 0 && !strchr(err.message, '\n'));
  }
}

static void test_auto(void) {
  xf_target t;
  xf_target_default(&t);
  t.firmware_kib = FIRMWARE_KIB;
  xf_placement p;
  xai_error err;
  /* 300000 + 80000 = 380000 <= 393216: all in SRAM. */
  xf_sizes s = {300000, 218608, 80000, false};
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_AUTO, &s, &p, &err),
               XAI_OK);
  CHECK_EQ_INT(p.model, XF_MEM_SRAM);
  CHECK_EQ_INT(p.arena, XF_MEM_SRAM);
  CHECK(!p.split);
  CHECK_EQ_INT(p.sram_bytes, 380000);
  CHECK_EQ_INT(p.lpddr_bytes, 0);

  /* 400000 + 80000 = 480000 > 393216: model to LPDDR, arena stays. */
  s.model_bytes = 400000;
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_AUTO, &s, &p, &err),
               XAI_OK);
  CHECK_EQ_INT(p.model, XF_MEM_LPDDR);
  CHECK_EQ_INT(p.arena, XF_MEM_SRAM);
  CHECK_EQ_INT(p.sram_bytes, 80000);
  CHECK_EQ_INT(p.lpddr_bytes, 400000);

  /* With a params file, params go to flash: SRAM holds 400000 - 218608 +
   * 80000 = 261392, flash 218608. */
  s.params_file = true;
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_AUTO, &s, &p, &err),
               XAI_OK);
  CHECK_EQ_INT(p.params, XF_MEM_FLASH);
  CHECK(p.split);
  CHECK_EQ_INT(p.sram_bytes, 261392);
  CHECK_EQ_INT(p.flash_bytes, 218608);

  /* No LPDDR, no params file: SRAM short by 480000 - 393216 = 86784; a
   * params file would fit it. */
  t.lpddr_mib = 0;
  s.params_file = false;
  xai_error_clear(&err);
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_AUTO, &s, &p, &err),
               XAI_ERR_NO_MEMORY);
  CHECK(strstr(err.message, "short by 86784") != NULL);
  CHECK(strstr(err.message, "--xcore-flash-image-file") != NULL);
  printf("no fit: %s\n", err.message);

  /* Arena alone too big for SRAM and no LPDDR: LPDDR would fit it. */
  s.model_bytes = 1000;
  s.movable_bytes = 0;
  s.arena_bytes = SRAM_BUDGET + 16;
  xai_error_clear(&err);
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_AUTO, &s, &p, &err),
               XAI_ERR_NO_MEMORY);
  CHECK(strstr(err.message, "has no LPDDR") != NULL);
}

static void test_named(void) {
  xf_target t;
  xf_target_default(&t);
  t.firmware_kib = FIRMWARE_KIB;
  xf_placement p;
  xai_error err;
  xf_sizes s = {400000, 218608, 80000, false};
  /* internal does not fit (480000 > 393216), auto would. */
  xai_error_clear(&err);
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_INTERNAL, &s, &p, &err),
               XAI_ERR_NO_MEMORY);
  CHECK(strstr(err.message, "--xcore-memory=internal") != NULL);
  CHECK(strstr(err.message, "short by 86784") != NULL);
  CHECK(strstr(err.message, "--xcore-memory=auto fits it") != NULL);
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_EXTERNAL, &s, &p, &err),
               XAI_OK);
  CHECK_EQ_INT(p.lpddr_bytes, 480000);
  xai_error_clear(&err);
  CHECK(xf_placement_choose(&t, XAI_XF_MEMORY_FLASH, &s, &p, &err) != XAI_OK);
  CHECK(strstr(err.message, "needs --xcore-flash-image-file") != NULL);
  s.params_file = true;
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_FLASH, &s, &p, &err),
               XAI_OK);
  CHECK_EQ_INT(p.model, XF_MEM_SRAM);
  CHECK_EQ_INT(p.params, XF_MEM_FLASH);
  /* custom: model in LPDDR, arena in SRAM, params in flash. */
  t.model_memory = XF_MEM_LPDDR;
  t.params_memory = XF_MEM_FLASH;
  CHECK_EQ_INT(xf_placement_choose(&t, XAI_XF_MEMORY_CUSTOM, &s, &p, &err),
               XAI_OK);
  CHECK_EQ_INT(p.model, XF_MEM_LPDDR);
  CHECK_EQ_INT(p.arena, XF_MEM_SRAM);
  CHECK_EQ_INT(p.lpddr_bytes, 400000 - 218608);
  CHECK_EQ_INT(p.flash_bytes, 218608);
  /* custom with no memory key at all says so. */
  xf_target none;
  xf_target_default(&none);
  xai_error_clear(&err);
  CHECK(xf_placement_choose(&none, XAI_XF_MEMORY_CUSTOM, &s, &p, &err) !=
        XAI_OK);
  CHECK(strstr(err.message, "sets none of model_memory") != NULL);
  t.arena_memory = XF_MEM_FLASH;
  xai_error_clear(&err);
  CHECK(xf_placement_choose(&t, XAI_XF_MEMORY_CUSTOM, &s, &p, &err) != XAI_OK);
  CHECK(strstr(err.message, "only params_memory may be flash") != NULL);
}

int main(void) {
  test_parse();
  test_auto();
  test_named();
  return xai_test_finish("xformer_test_placement");
}
