/* Array forms of gemmlowp_s16.c's logistic and tanh for the LSTM's gate
 * loops: bit-identical to xai_gemmlowp_logistic_q3_s16 and
 * xai_gemmlowp_tanh_s16 element by element, written so GCC vectorises
 * them. `in` and `out` may be the same array. */
#ifndef XAI_KERNELS_REF_GEMMLOWP_S16_INTERNAL_H
#define XAI_KERNELS_REF_GEMMLOWP_S16_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

void xai_gemmlowp_logistic_q3_s16_n(const int16_t *in, int16_t *out,
                                    size_t n);
/* int_bits 0..6 as xai_gemmlowp_tanh_s16. */
void xai_gemmlowp_tanh_s16_n(const int16_t *in, int16_t *out, size_t n,
                             int int_bits);

#endif
