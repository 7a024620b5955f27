/* Reference int8/int16 kernels, bit-exact with TFLite's reference kernels.
 * Pure functions over arrays and small parameter structs: no tensors, no
 * allocation, no printing. Each family has its own header below. */
#ifndef XAI_KERNELS_REF_H
#define XAI_KERNELS_REF_H

#include "xai/kernels_ref/quant.h"
#include "xai/kernels_ref/conv.h"
#include "xai/kernels_ref/fully_connected.h"
#include "xai/kernels_ref/pooling.h"
#include "xai/kernels_ref/shape.h"
#include "xai/kernels_ref/recurrent.h"
#include "xai/kernels_ref/elementwise.h"
#include "xai/kernels_ref/activations.h"
#include "xai/kernels_ref/reduce.h"
#include "xai/kernels_ref/lce.h"

#endif
