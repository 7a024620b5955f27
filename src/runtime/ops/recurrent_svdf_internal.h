/* The float32 SVDF (recurrent_svdf_f32.c), which recurrent_svdf.c's
 * registration hands float inputs to. */
#ifndef XAI_RUNTIME_OPS_RECURRENT_SVDF_INTERNAL_H
#define XAI_RUNTIME_OPS_RECURRENT_SVDF_INTERNAL_H

#include "xai/runtime.h"

xai_status xai_svdf_f32_prepare(xai_op_ctx *ctx);
xai_status xai_svdf_f32_eval(xai_op_ctx *ctx);

#endif
