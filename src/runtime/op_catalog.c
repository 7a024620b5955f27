/* The types each registered op takes (include/xai/op_catalog.h). Builtins
 * follow TFLite Micro's kernels: where TFLM refuses a type, so does xai. */
#include "xai/op_catalog.h"

#include <string.h>

#include "xai/tflite.h"

#define B(code, types, note) {code, NULL, types, note}
#define C(name, types, note) {XAI_OP_CUSTOM, name, types, note}

static const xai_op_info k_catalog[] = {
    /* Convolutions and pooling. */
    B(XAI_OP_CONV_2D, "float32, int8, int16", "per-channel int8 weights; int16 activations take int64 (or int32) bias"),
    B(XAI_OP_DEPTHWISE_CONV_2D, "float32, int8, int16", "per-channel int8 weights for int8/int16"),
    B(XAI_OP_TRANSPOSE_CONV, "float32, int8, int16", "per-channel int8 weights for int8/int16"),
    B(XAI_OP_FULLY_CONNECTED, "float32, int8, int16", "int8 weights for int8/int16 activations; int16 takes int64 or int32 bias"),
    B(XAI_OP_AVERAGE_POOL_2D, "float32, int8, int16", ""),
    B(XAI_OP_MAX_POOL_2D, "float32, int8, int16", ""),
    B(XAI_OP_L2_POOL_2D, "float32", ""),
    B(XAI_OP_BATCH_MATMUL, "float32, int8, int16", "batch dims broadcast, rank 2 to 5; int16 zero points 0"),
    B(XAI_OP_L2_NORMALIZATION, "float32, int8", "over the last dimension; int8 output in 1/128 steps"),
    B(XAI_OP_LOG_SOFTMAX, "float32, int8", "over the last dimension; int8 output at scale 16/256, zero point 127"),
    /* Element-wise arithmetic. */
    B(XAI_OP_ADD, "float32, int8, int16, int32", "int16 zero points 0"),
    B(XAI_OP_SUB, "float32, int8, int16, int32", "int16 zero points 0"),
    B(XAI_OP_MUL, "float32, int8, int16, int32", "int16 zero points 0"),
    B(XAI_OP_DIV, "float32, int8, int32", "int32 truncates toward zero"),
    B(XAI_OP_FLOOR_DIV, "float32", ""),
    B(XAI_OP_FLOOR_MOD, "float32", ""),
    B(XAI_OP_SQUARED_DIFFERENCE, "float32, int8, int16, int32", "int16 zero points 0"),
    B(XAI_OP_MAXIMUM, "float32, int8, int16, int32, int64", ""),
    B(XAI_OP_MINIMUM, "float32, int8, int16, int32, int64", ""),
    B(XAI_OP_ADD_N, "float32, int8", "int8 inputs share one quantization"),
    /* Unary math. */
    B(XAI_OP_ABS, "float32, int8, int16", "int16 zero points 0"),
    B(XAI_OP_CEIL, "float32", ""),
    B(XAI_OP_COS, "float32", ""),
    B(XAI_OP_EXP, "float32", ""),
    B(XAI_OP_FLOOR, "float32", ""),
    B(XAI_OP_LOG, "float32", ""),
    B(XAI_OP_NEG, "float32", ""),
    B(XAI_OP_ROUND, "float32", "half to even"),
    B(XAI_OP_RSQRT, "float32, int8, int16", "input at or above its zero point; int16 zero points 0"),
    B(XAI_OP_SIN, "float32", ""),
    B(XAI_OP_SQRT, "float32", ""),
    B(XAI_OP_SQUARE, "float32", ""),
    B(XAI_OP_ZEROS_LIKE, "float32, int8, int32, int64", "int8 writes 0, not the zero point, as TFLM"),
    /* Comparisons and logic. */
    B(XAI_OP_EQUAL, "float32, int8, int32, int64, bool", "bool output"),
    B(XAI_OP_NOT_EQUAL, "float32, int8, int32, int64, bool", "bool output"),
    B(XAI_OP_GREATER, "float32, int8, int32, int64", "bool output"),
    B(XAI_OP_GREATER_EQUAL, "float32, int8, int32, int64", "bool output"),
    B(XAI_OP_LESS, "float32, int8, int32, int64", "bool output"),
    B(XAI_OP_LESS_EQUAL, "float32, int8, int32, int64", "bool output"),
    B(XAI_OP_LOGICAL_AND, "bool", ""),
    B(XAI_OP_LOGICAL_OR, "bool", ""),
    B(XAI_OP_LOGICAL_NOT, "bool", ""),
    B(XAI_OP_SELECT_V2, "float32, int8, int16", "bool condition"),
    /* Activations. */
    B(XAI_OP_SOFTMAX, "float32, int8, int16", "int8 in: int8 or int16 output; int16 out at scale 1/32768, zero point 0"),
    B(XAI_OP_LOGISTIC, "float32, int8, int16", ""),
    B(XAI_OP_TANH, "float32, int8, int16", ""),
    B(XAI_OP_RELU, "float32, int8, int16", ""),
    B(XAI_OP_RELU6, "float32, int8, int16", ""),
    B(XAI_OP_RELU_N1_TO_1, "float32, int8", ""),
    B(XAI_OP_LEAKY_RELU, "float32, int8, int16", ""),
    B(XAI_OP_PRELU, "float32, int8", "alpha broadcast to the input"),
    B(XAI_OP_HARD_SWISH, "float32, int8", ""),
    B(XAI_OP_ELU, "float32, int8", ""),
    /* Quantization and reductions. */
    B(XAI_OP_QUANTIZE, "float32, int8, uint8, int16, int32 in; int8, uint8, int16 out", ""),
    B(XAI_OP_DEQUANTIZE, "int8, uint8, int16 in; float32 out", ""),
    B(XAI_OP_CAST, "float32, int8, int16, int32, uint32, bool", "any pair"),
    B(XAI_OP_MEAN, "float32, int8, int16", "constant axes"),
    B(XAI_OP_SUM, "float32, int8, int16", "constant axes"),
    B(XAI_OP_REDUCE_MAX, "float32, int8", "constant axes; int8 keeps its quantization"),
    B(XAI_OP_REDUCE_MIN, "float32, int8", "constant axes; int8 keeps its quantization"),
    B(XAI_OP_REDUCE_ALL, "bool", "constant axes"),
    B(XAI_OP_ARG_MAX, "float32, int8, int16", "int32 or int64 output"),
    B(XAI_OP_ARG_MIN, "float32, int8", "int32 output"),
    B(XAI_OP_CUMSUM, "float32, int8", "constant axis"),
    /* Shapes and data movement. */
    B(XAI_OP_RESHAPE, "any", ""),
    B(XAI_OP_SQUEEZE, "any", ""),
    B(XAI_OP_EXPAND_DIMS, "any", ""),
    B(XAI_OP_SHAPE, "any in; int32 out", ""),
    B(XAI_OP_FILL, "float32, int8, int32", ""),
    B(XAI_OP_BROADCAST_TO, "float32, int8, int16, int32, int64, bool, uint8", "constant shape"),
    B(XAI_OP_BROADCAST_ARGS, "int32, int64", ""),
    B(XAI_OP_PAD, "any", "quantized pads with the zero point"),
    B(XAI_OP_PADV2, "any", ""),
    B(XAI_OP_MIRROR_PAD, "float32, int8", "constant paddings"),
    B(XAI_OP_CONCATENATION, "any", "int16 zero points 0"),
    B(XAI_OP_PACK, "any", ""),
    B(XAI_OP_UNPACK, "any", ""),
    B(XAI_OP_SPLIT, "any", ""),
    B(XAI_OP_SPLIT_V, "any", ""),
    B(XAI_OP_SLICE, "any", "int32 begin/size"),
    B(XAI_OP_STRIDED_SLICE, "any", ""),
    B(XAI_OP_TRANSPOSE, "any", ""),
    B(XAI_OP_REVERSE_V2, "float32, int8, int16, int32, int64, bool, uint8", "constant axis"),
    B(XAI_OP_GATHER, "any", "int32 or int64 indices"),
    B(XAI_OP_GATHER_ND, "float32, int8", "int32 indices"),
    B(XAI_OP_EMBEDDING_LOOKUP, "float32, int8", "int32 ids; int8 rows to float32 output dequantize"),
    B(XAI_OP_DYNAMIC_UPDATE_SLICE, "float32, int8, int16, int32", "int32 or int64 start indices"),
    B(XAI_OP_SPACE_TO_DEPTH, "float32, int8", ""),
    B(XAI_OP_DEPTH_TO_SPACE, "float32, int8", ""),
    B(XAI_OP_SPACE_TO_BATCH_ND, "float32, int8", "3-D or 4-D; constant block and paddings"),
    B(XAI_OP_BATCH_TO_SPACE_ND, "float32, int8", "3-D or 4-D; constant block and crops"),
    B(XAI_OP_RESIZE_NEAREST_NEIGHBOR, "float32, int8, int16", "constant size"),
    B(XAI_OP_RESIZE_BILINEAR, "float32, int8, int16", "constant size"),
    /* Recurrent and control flow. */
    B(XAI_OP_SVDF, "float32, int8", "int8: int16 or int8 state"),
    B(XAI_OP_UNIDIRECTIONAL_SEQUENCE_LSTM, "float32, int8, int16", "int16 cell state; int16 is 16x8 with int64 bias"),
    B(XAI_OP_IF, "bool, int32, int8 condition", ""),
    B(XAI_OP_WHILE, "any", ""),
    B(XAI_OP_CALL_ONCE, "any", ""),
    B(XAI_OP_VAR_HANDLE, "resource", "variables keep their values across invokes"),
    B(XAI_OP_ASSIGN_VARIABLE, "any", "the first assign sizes the variable"),
    B(XAI_OP_READ_VARIABLE, "any", ""),
    /* Larq Compute Engine binarized ops. */
    C("LceQuantize", "float32, int8", "to bitpacked int32"),
    C("LceDequantize", "float32, int8", "from bitpacked int32"),
    C("LceBconv2d", "bitpacked int32 in; float32, int8 or bitpacked out", "binary conv, every LCE converter option"),
    C("LceBMaxPool2d", "bitpacked int32", ""),
    /* TFLite Micro's signal library (audio front end), bit-exact with TFLM. */
    C("SignalWindow", "int16", "int16 weights, shift"),
    C("SignalFftAutoScale", "int16", "int32 scale-bits output"),
    C("SignalRfft", "int16, int32, float32", "KISS FFT arithmetic; N/2 of radix 2, 3, 4, 5"),
    C("SignalIrfft", "int16, int32, float32", "KISS FFT arithmetic; N/2 of radix 2, 3, 4, 5"),
    C("SignalEnergy", "int16 complex in; uint32 out", "bins outside [start, end) are zeroed"),
    C("SignalFilterBank", "uint32 in; uint64 out", "int16 weight and index tables"),
    C("SignalFilterBankSquareRoot", "uint64 in; uint32 out", "int32 scale-bits input"),
    C("SignalFilterBankSpectralSubtraction", "uint32", "noise estimate kept across invokes"),
    C("SignalFilterBankLog", "uint32 in; int16 out", ""),
    C("SignalPCAN", "uint32", "int16 gain table of 125"),
    C("SignalFramer", "int16", "state across invokes; bool valid output"),
    C("SignalStacker", "int16", "state across invokes; bool valid output"),
    C("SignalDelay", "int16", "state across invokes"),
    C("SignalOverlapAdd", "int16, float32", "state across invokes"),
    /* TFLite Micro's other custom ops. */
    C("CIRCULAR_BUFFER", "int8", "window kept across invokes; cycles_max stride ends the invoke early, or sets the optional bool output"),
    C("TFLite_Detection_PostProcess", "float32", "fast and regular NMS, every TFLM option; boxes, classes, scores, count out"),
    C("BasicClassifier", "int32 scores; bool, int32 out", "score at each target index against its threshold"),
    C("TFLM_DECODE", "bool, float32, int8, int16, int32, int64", "look-up-table decode of constant tensors (TFLM's compression tool); per-tensor or per-channel"),
    /* xcore ops (emitted by the xformer, docs/xcore_ops.md). */
    /* Binarized: Larq Compute Engine ops, as LCE 0.16 (docs in lce.h). */
    C("LceQuantize", "float32, int8 -> bitpacked int32", "bitpacks the last axis"),
    C("LceDequantize", "bitpacked int32 -> float32, int8", ""),
    C("LceBconv2d", "bitpacked int32 -> float32, int8, bitpacked int32", "VLMACCR1 kernel; every LCE 0.16 option"),
    C("LceBMaxPool2d", "bitpacked int32", ""),
    C("XAI_bconv2d", "bitpacked int32 -> float32, int8, bitpacked int32", "emitted by the xformer; may fuse a binary max pool"),
    C("XAI_bquantize", "float32, int8 -> bitpacked int32", "emitted by the xformer"),
    C("XAI_conv2d", "int8", "emitted by the xformer"),
    C("XAI_depthwise_conv2d", "int8", "emitted by the xformer"),
    C("XAI_fc", "int8", "emitted by the xformer"),
    C("XAI_maxpool2d", "int8", "emitted by the xformer"),
    C("XAI_avgpool2d", "int8", "emitted by the xformer"),
    C("XAI_add", "int8", "emitted by the xformer"),
    C("XAI_mul", "int8", "emitted by the xformer"),
    C("XAI_pad", "int8", "emitted by the xformer"),
    C("XAI_concat", "int8", "emitted by the xformer"),
    C("XAI_lut", "int8", "emitted by the xformer"),
    C("XAI_softmax", "int8", "emitted by the xformer"),
    C("XAI_load_weights", "any", "emitted by the xformer"),
};

size_t xai_op_catalog_count(void) {
  return sizeof k_catalog / sizeof k_catalog[0];
}

const xai_op_info *xai_op_catalog_at(size_t i) {
  return i < xai_op_catalog_count() ? &k_catalog[i] : NULL;
}

const xai_op_info *xai_op_catalog_find(int32_t builtin_code,
                                       const char *custom_name) {
  for (size_t i = 0; i < xai_op_catalog_count(); i++) {
    const xai_op_info *r = &k_catalog[i];
    if (r->builtin_code != builtin_code) continue;
    if (builtin_code != XAI_OP_CUSTOM) return r;
    if (custom_name && r->custom_name && !strcmp(custom_name, r->custom_name))
      return r;
  }
  return NULL;
}
