/* Proves the runtime never uses the heap during init and invoke: malloc,
 * calloc, realloc, aligned_alloc and posix_memalign are wrapped by the
 * linker (see CMakeLists.txt) and counted while the interpreter runs. */
#include <stdlib.h>
#include <string.h>

#include "rt_models.h"
#include "interp_heap.h"

static int g_counting;
static int g_calls;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);
int __real_posix_memalign(void **p, size_t a, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t a, size_t n);
int __wrap_posix_memalign(void **p, size_t a, size_t n);

void *__wrap_malloc(size_t n) {
  g_calls += g_counting;
  return __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m) {
  g_calls += g_counting;
  return __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n) {
  g_calls += g_counting;
  return __real_realloc(p, n);
}
void *__wrap_aligned_alloc(size_t a, size_t n) {
  g_calls += g_counting;
  return __real_aligned_alloc(a, n);
}
int __wrap_posix_memalign(void **p, size_t a, size_t n) {
  g_calls += g_counting;
  return __real_posix_memalign(p, a, n);
}

static _Alignas(16) uint8_t g_arena[16 * 1024];

int main(void) {
  uint8_t *model;
  size_t size;
  CHECK(rt_chain_model(&model, &size));
  /* The wrapper is live: the builder's allocations were seen. */
  g_counting = 1;
  void *(*volatile alloc)(size_t) = malloc; /* not elided by the compiler */
  void *probe = alloc(8);
  CHECK_EQ_INT(g_calls, 1);
  g_counting = 0;
  free(probe);
  g_calls = 0;

  xai_interp_config c =
      xai_test_interp_config(model, size, g_arena, sizeof g_arena);
  c.resolver = rt_test_resolver();
  xai_interp *ip;
  xai_error err;
  g_counting = 1;
  xai_status st = xai_interp_init(&ip, &c, &err);
  const int8_t x[4] = {1, 2, 3, 4};
  if (!st) st = xai_interp_set_input(ip, 0, x, 4, &err);
  for (int i = 0; !st && i < 3; i++) st = xai_interp_invoke(ip, &err);
  /* Failing paths must not allocate either. */
  xai_interp *ip2;
  c.arena_size = 64;
  xai_status st2 = xai_interp_init(&ip2, &c, &err);
  g_counting = 0;
  CHECK_EQ_INT(st, XAI_OK);
  CHECK_EQ_INT(st2, XAI_ERR_NO_MEMORY);
  CHECK_EQ_INT(g_calls, 0);

  /* Real models, when present: the audio front end's stateful signal ops
   * keep their state in the arena tail too. */
  const char *dir = xai_test_models_dir();
  static const char *const k_real[] = {"hello_world_int8",
                                       "audio_preprocessor_int8"};
  for (size_t k = 0; dir && k < sizeof k_real / sizeof k_real[0]; k++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tflm/%s.tflite", dir, k_real[k]);
    uint8_t *hw;
    size_t hw_size;
    if (xai_file_read(path, &hw, &hw_size, &err) == XAI_OK) {
      c.model = hw;
      c.model_size = hw_size;
      c.resolver = NULL;
      c.arena_size = sizeof g_arena;
      g_counting = 1;
      st = xai_interp_init(&ip, &c, &err);
      for (int i = 0; !st && i < 3; i++) st = xai_interp_invoke(ip, &err);
      g_counting = 0;
      if (st) fprintf(stderr, "%s not run: %s\n", k_real[k], err.message);
      CHECK_EQ_INT(st, XAI_OK);
      CHECK_EQ_INT(g_calls, 0);
      xai_file_free(hw);
    }
  }
  free(model);
  return xai_test_finish("runtime_interp_no_malloc");
}
