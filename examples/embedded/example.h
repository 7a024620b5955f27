/* The example's entry point, called by each target's main. */
#ifndef EXAMPLE_H
#define EXAMPLE_H

#include <stdint.h>

/* Runs `frames` frames through the pipeline; 0 on success. */
int example_run(uint32_t frames);

#endif
