/* The application loop of the embedded example (docs/firmware.md): take a
 * frame from the camera, pre-process it, run the model compiled into the
 * firmware by `xformer --emit-c`, post-process, report. Everything it
 * prints is integer, so every target prints the same text. */
#include <stdio.h>

#include "camera_stub.h"
#include "example.h"
#include "pipeline.h"
#include "vww_model.h"

static const char *const k_labels[PIPELINE_CLASSES] = {
    "circle", "square", "triangle", "cross", "stripes"};

static _Alignas(16) uint8_t arena[VWW_MODEL_ARENA_SIZE];
static uint8_t frame[CAMERA_WIDTH * CAMERA_HEIGHT * 3];

int example_run(uint32_t frames) {
  const int32_t shape[] = VWW_MODEL_INPUT0_SHAPE;
  if (VWW_MODEL_OUTPUT0_ELEMENTS != PIPELINE_CLASSES || shape[1] != shape[2]) {
    printf("error: the model is not the demo classifier\n");
    return 1;
  }
  if (vww_model_init(arena, sizeof arena, NULL) != XAI_OK) {
    printf("error: init: %s\n", vww_model_error());
    return 1;
  }
  printf("xai embedded example: %u layers, arena %u bytes, model %u bytes\n",
         (unsigned)VWW_MODEL_LAYER_COUNT, (unsigned)VWW_MODEL_ARENA_SIZE,
         (unsigned)VWW_MODEL_MODEL_SIZE);
  detector det;
  detector_init(&det);
  uint32_t hash = 2166136261u, correct = 0, detections = 0;
  for (uint32_t f = 0; f < frames; f++) {
    int truth = camera_capture(f, frame);
    preprocess(frame, CAMERA_WIDTH, CAMERA_HEIGHT, vww_model_input0(),
               (int)shape[1], VWW_MODEL_INPUT0_SCALE,
               VWW_MODEL_INPUT0_ZERO_POINT);
    if (vww_model_invoke() != XAI_OK) {
      printf("error: invoke: %s\n", vww_model_error());
      return 1;
    }
    const int8_t *scores = vww_model_output0();
    int32_t permille[PIPELINE_CLASSES];
    int event = detector_update(&det, scores, VWW_MODEL_OUTPUT0_SCALE,
                                VWW_MODEL_OUTPUT0_ZERO_POINT, permille);
    int top = 0;
    for (int c = 0; c < PIPELINE_CLASSES; c++) {
      hash = (hash ^ (uint8_t)scores[c]) * 16777619u;
      if (permille[c] > permille[top]) top = c;
    }
    correct += top == truth;
    uint64_t ticks = 0;
    for (uint32_t i = 0; i < VWW_MODEL_LAYER_COUNT; i++)
      ticks += vww_model_layer_ticks(i);
    printf("frame %u: camera %-8s top %-8s scores", (unsigned)f,
           k_labels[truth], k_labels[top]);
    for (int c = 0; c < PIPELINE_CLASSES; c++)
      printf(" %4d", (int)permille[c]);
    printf("  device %llu ticks\n", (unsigned long long)ticks);
    if (event >= 0) {
      detections++;
      printf("frame %u: DETECTED %s\n", (unsigned)f, k_labels[event]);
    }
  }
  printf("done: %u frames, %u correct, %u detections, outputs hash %08x\n",
         (unsigned)frames, (unsigned)correct, (unsigned)detections,
         (unsigned)hash);
  return 0;
}
