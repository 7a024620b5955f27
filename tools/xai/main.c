/* `xai`: the umbrella command (inspect, run, device, bench, flash-info). */
#include <stdio.h>
#include <string.h>

#include "commands.h"

typedef struct {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
    {"inspect", xai_cmd_inspect, "print a model's tensors, ops, MACs and sizes"},
    {"run", xai_cmd_run, "run a model on the host: outputs, per-op time, arena plan"},
    {"ops", xai_cmd_ops, "list the supported ops, their tensor types and what the xformer lowers"},
    {"report", xai_cmd_report, "write an optimised model's report as an HTML page"},
    {"flash-info", xai_cmd_flash_info, "list a flash image's entries and verify their CRCs"},
    {"device", xai_cmd_device, "start, stop or query the device emulator"},
};

static void usage(FILE *out) {
  fprintf(out, "usage: xai COMMAND [ARGS]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(out, "\n'xai COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
      !strcmp(argv[1], "help")) {
    usage(stdout);
    return 0;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (!strcmp(argv[1], commands[i].name))
      return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "xai: unknown command '%s'\n", argv[1]);
  usage(stderr);
  return 2;
}
