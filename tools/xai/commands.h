/* Subcommands of `xai`; each takes argv starting at its own name. */
#ifndef XAI_TOOLS_COMMANDS_H
#define XAI_TOOLS_COMMANDS_H

int xai_cmd_inspect(int argc, char **argv);
int xai_cmd_run(int argc, char **argv);
int xai_cmd_flash_info(int argc, char **argv);
int xai_cmd_device(int argc, char **argv);
int xai_cmd_report(int argc, char **argv);
int xai_cmd_ops(int argc, char **argv);

#endif
