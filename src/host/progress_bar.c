/* A stderr progress bar for the command-line tools, shown only on a
 * terminal (nothing when stderr is piped or a file) and only when a
 * transfer takes over a second (quick ones stay quiet): bar, percentage,
 * rate and the time left at that rate. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "xai/host.h"

#define BAR_WIDTH 30
#define SHOW_AFTER_S 1.0

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void xai_host_progress_bar_init(xai_host_progress_bar_state *s,
                                const char *label) {
  s->label = label;
  s->start_s = -1.0;
  s->shown = false;
  s->last_percent = -1;
  s->tty = isatty(fileno(stderr)) == 1;
}

void xai_host_progress_bar(void *state, uint64_t done, uint64_t total) {
  xai_host_progress_bar_state *s = state;
  if (!s->tty) return;
  double now = now_s();
  if (s->start_s < 0) s->start_s = now;
  double elapsed = now - s->start_s;
  if (!s->shown && elapsed < SHOW_AFTER_S) return;
  int percent = total ? (int)(done * 100 / total) : 100;
  if (s->shown && percent == s->last_percent && done < total) return;
  s->shown = true;
  s->last_percent = percent;
  int fill = percent * BAR_WIDTH / 100;
  char bar[BAR_WIDTH + 1];
  for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < fill ? '#' : ' ';
  bar[BAR_WIDTH] = '\0';
  double rate = elapsed > 0 ? (double)done / elapsed : 0.0;
  double left = rate > 0 ? (double)(total - done) / rate : 0.0;
  unsigned eta = (unsigned)(left + 0.5);
  fprintf(stderr, "\r%s [%s] %3d%% %.2f MB/s ETA %u:%02u ",
          s->label ? s->label : "", bar, percent, rate / 1e6, eta / 60,
          eta % 60);
  if (done >= total) fputc('\n', stderr);
  fflush(stderr);
}
