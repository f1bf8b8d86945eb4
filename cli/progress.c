/*
 * progress.c — what a long run shows and how it is stopped.  On a terminal
 * the analyses' progress is a bar on stderr with the rate and the time
 * left, redrawn in place; elsewhere nothing (a log is not the place for
 * carriage returns).  Ctrl-C sets a flag the progress callback returns, so
 * the library finishes the blocks in hand and gives a partial result; a
 * second Ctrl-C ends the program at once, as usual.
 */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted = 0;

static void on_sigint(int sig) {
  (void)sig;
  interrupted = 1;
  signal(SIGINT, SIG_DFL); /* the second Ctrl-C is not caught */
}

void cli_interrupt_install(void) {
  interrupted = 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
}

void cli_interrupt_restore(void) { signal(SIGINT, SIG_DFL); }

bool cli_interrupted(void) { return interrupted != 0; }

double cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cli_progress_init(cli_progress *p, bool quiet) {
  memset(p, 0, sizeof *p);
  p->tty = !quiet && isatty(STDERR_FILENO);
  p->start = cli_now();
}

void cli_clock_text(char *out, size_t n, double s) {
  if (!(s >= 0) || s > 360000) {
    snprintf(out, n, "--:--");
    return;
  }
  long t = (long)(s + 0.5);
  if (t >= 3600) snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

int cli_progress_cb(void *ud, const char *analysis, uint64_t done, uint64_t total) {
  cli_progress *p = ud;
  if (!p->tty) return cli_interrupted();
  if (!p->name || strcmp(p->name, analysis) != 0) {
    p->name = analysis;
    p->start = cli_now();
  }
  double el = cli_now() - p->start, rate = el > 0 ? (double)done / el : 0;
  double frac = total ? (double)done / (double)total : 0;
  char bar[31], left[24];
  int fill = (int)(frac * 30);
  for (int i = 0; i < 30; i++) bar[i] = i < fill ? '#' : '.';
  bar[30] = '\0';
  cli_clock_text(left, sizeof left, rate > 0 ? (double)(total - done) / rate : -1);
  fprintf(stderr, "\r%-16s [%s] %3d%%  %llu/%llu  %.0f/s  %s left%s", analysis, bar,
          (int)(frac * 100), (unsigned long long)done, (unsigned long long)total, rate, left,
          cli_interrupted() ? "  (stopping)" : "");
  fflush(stderr);
  p->shown = true;
  return cli_interrupted();
}

void cli_progress_end(cli_progress *p) {
  if (p->shown) fprintf(stderr, "\r%*s\r", 100, "");
  p->shown = false;
}
