/* xmos_infer --pipeline N (pipeline_stream.c). */
#ifndef XAI_TOOLS_PIPELINE_STREAM_H
#define XAI_TOOLS_PIPELINE_STREAM_H

#include "xai/host.h"

/* Runs the stream in the files in[0..n_in) through engines first ..
 * first + stages - 1 and writes the outputs to out[0]; returns the exit
 * code. */
int xmos_infer_pipeline(xai_host_device *dev, unsigned first, unsigned stages,
                        const char *const *in, unsigned n_in,
                        const char *const *out, unsigned n_out);

#endif
