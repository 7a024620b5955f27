/* Reset and exit for the Arm MPS2-AN385 (Cortex-M3) as qemu-system-arm
 * models it: vector table, .data copy and .bss clear, newlib's semihosting
 * stdio, then the example; its status goes back to the host through the
 * semihosting SYS_EXIT call, so qemu exits 0 only on success. */
#include <stdint.h>

#include "example.h"

#ifndef EXAMPLE_FRAMES
#define EXAMPLE_FRAMES 12
#endif

extern uint32_t __data_load, __data_start, __data_end, __bss_start__,
    __bss_end__, __stack_top;
extern void initialise_monitor_handles(void);
void Reset_Handler(void);
void Fault_Handler(void);

__attribute__((section(".vectors"), used)) static const void *const
    k_vectors[16] = {
        &__stack_top,  (void *)Reset_Handler, (void *)Fault_Handler,
        (void *)Fault_Handler, (void *)Fault_Handler, (void *)Fault_Handler,
        (void *)Fault_Handler};

static void semihost_exit(int ok) {
  /* SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit or RunTimeErrorUnknown */
  register uint32_t op __asm__("r0") = 0x18;
  register uint32_t reason __asm__("r1") = ok ? 0x20026u : 0x20023u;
  __asm__ volatile("bkpt 0xab" : : "r"(op), "r"(reason) : "memory");
  for (;;) {
  }
}

void Fault_Handler(void) { semihost_exit(0); }

void Reset_Handler(void) {
  uint32_t *src = &__data_load, *dst = &__data_start;
  while (dst < &__data_end) *dst++ = *src++;
  for (dst = &__bss_start__; dst < &__bss_end__;) *dst++ = 0;
  initialise_monitor_handles();
  semihost_exit(example_run(EXAMPLE_FRAMES) == 0);
}
