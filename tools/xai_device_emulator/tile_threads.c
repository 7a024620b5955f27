/* One host thread per tile (docs/multitile.md, "Device"): the server hands
 * each engine's invoke to its tile's thread, so the engines of an
 * INVOKE_TILES compute truly at the same time, and waits for all. A tile's
 * thread also takes one side job at a time from another tile (a
 * channel-split half), when it has nothing else to do. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "emu.h"

typedef struct emu_tile {
  pthread_t thread;
  struct emu_tiles *all;
  uint32_t index;
  bool started;
  uint32_t claims;        /* round work or a side job given, not finished */
  void (*side_fn)(void *arg);
  void *side_arg;
  bool side_done;
} emu_tile;

struct emu_tiles {
  pthread_mutex_t lock;
  pthread_cond_t go, done;
  uint32_t count;
  uint64_t round;       /* bumped for every run */
  uint32_t mask;        /* tiles of the current round */
  uint32_t pending;     /* of them, still running */
  bool quit;
  void (*fn)(void *arg, uint32_t tile);
  void *arg;
  emu_tile tile[XAI_AISRV_MAX_TILES];
};

static void *tile_main(void *p) {
  emu_tile *t = p;
  emu_tiles *all = t->all;
  uint64_t seen = 0;
  pthread_mutex_lock(&all->lock);
  for (;;) {
    while (!all->quit && all->round == seen && !t->side_fn)
      pthread_cond_wait(&all->go, &all->lock);
    if (all->quit) break;
    if (t->side_fn) {
      void (*side)(void *) = t->side_fn;
      void *side_arg = t->side_arg;
      pthread_mutex_unlock(&all->lock);
      side(side_arg);
      pthread_mutex_lock(&all->lock);
      t->side_fn = NULL;
      t->side_done = true;
      t->claims--;
      pthread_cond_broadcast(&all->done);
      continue;
    }
    seen = all->round;
    if (!(all->mask & (1u << t->index))) continue;
    void (*fn)(void *, uint32_t) = all->fn;
    void *arg = all->arg;
    pthread_mutex_unlock(&all->lock);
    fn(arg, t->index);
    pthread_mutex_lock(&all->lock);
    t->claims--;
    if (--all->pending == 0) pthread_cond_broadcast(&all->done);
  }
  pthread_mutex_unlock(&all->lock);
  return NULL;
}

static void run(void *user, uint32_t mask, void (*fn)(void *, uint32_t),
                void *arg) {
  emu_tiles *all = user;
  pthread_mutex_lock(&all->lock);
  all->fn = fn;
  all->arg = arg;
  all->mask = mask;
  all->pending = 0;
  for (uint32_t i = 0; i < all->count; i++)
    if (mask & (1u << i)) {
      all->pending++;
      all->tile[i].claims++;
    }
  all->round++;
  pthread_cond_broadcast(&all->go);
  while (all->pending) pthread_cond_wait(&all->done, &all->lock);
  pthread_mutex_unlock(&all->lock);
}

/* Called from another tile's thread during a round. */
static bool side_start(void *user, uint32_t tile, void (*fn)(void *),
                       void *arg) {
  emu_tiles *all = user;
  if (tile >= all->count) return false;
  emu_tile *t = &all->tile[tile];
  pthread_mutex_lock(&all->lock);
  bool free_now = t->claims == 0 && !all->quit;
  if (free_now) {
    t->claims++;
    t->side_fn = fn;
    t->side_arg = arg;
    t->side_done = false;
    pthread_cond_broadcast(&all->go);
  }
  pthread_mutex_unlock(&all->lock);
  return free_now;
}

static void side_join(void *user, uint32_t tile) {
  emu_tiles *all = user;
  emu_tile *t = &all->tile[tile];
  pthread_mutex_lock(&all->lock);
  while (!t->side_done) pthread_cond_wait(&all->done, &all->lock);
  pthread_mutex_unlock(&all->lock);
}

static emu_tiles g_tiles;

int emu_tiles_start(uint32_t count, xai_aisrv_config *cfg) {
  emu_tiles *all = &g_tiles;
  memset(all, 0, sizeof *all);
  pthread_mutex_init(&all->lock, NULL);
  pthread_cond_init(&all->go, NULL);
  pthread_cond_init(&all->done, NULL);
  all->count = count;
  /* SIGTERM/SIGINT must reach the socket loop's thread (its poll() wakes
   * on them), so the tile threads block every signal. */
  sigset_t all_signals, old;
  sigfillset(&all_signals);
  pthread_sigmask(SIG_BLOCK, &all_signals, &old);
  for (uint32_t i = 0; i < count; i++) {
    emu_tile *t = &all->tile[i];
    t->all = all;
    t->index = i;
    if (pthread_create(&t->thread, NULL, tile_main, t) != 0) {
      pthread_sigmask(SIG_SETMASK, &old, NULL);
      fprintf(stderr, "xai_device_emulator: cannot start tile %u's thread\n",
              i);
      emu_tiles_stop();
      return -1;
    }
    t->started = true;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  cfg->tile_threads.run = run;
  cfg->tile_threads.start = side_start;
  cfg->tile_threads.join = side_join;
  cfg->tile_threads.user = all;
  return 0;
}

void emu_tiles_stop(void) {
  emu_tiles *all = &g_tiles;
  if (!all->count) return;
  pthread_mutex_lock(&all->lock);
  all->quit = true;
  pthread_cond_broadcast(&all->go);
  pthread_mutex_unlock(&all->lock);
  for (uint32_t i = 0; i < all->count; i++)
    if (all->tile[i].started) pthread_join(all->tile[i].thread, NULL);
  all->count = 0;
}
