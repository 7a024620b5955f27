/* xcore-optimised int8 kernels, written only against the VPU model
 * (xai/vpu.h) and bit-exact with the reference kernels (xai/kernels_ref.h).
 * Each family has its own header below. */
#ifndef XAI_KERNELS_XCORE_H
#define XAI_KERNELS_XCORE_H

#include "xai/kernels_xcore/conv.h"
#include "xai/kernels_xcore/elementwise.h"
#include "xai/kernels_xcore/fc.h"
#include "xai/kernels_xcore/lut.h"
#include "xai/kernels_xcore/pool.h"
#include "xai/kernels_xcore/requant.h"
#include "xai/kernels_xcore/softmax.h"

#endif
