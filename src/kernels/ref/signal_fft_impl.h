/* One scalar type's real FFT, included by signal_fft.c once per type with
 *   T     the scalar (int16_t, int32_t, float), SFX its name suffix,
 *   FIXED 1 for the integer types, with P / UP the product type (signed /
 *         unsigned), FRAC the fraction bits and SMAX the largest value.
 * The arithmetic is KISS FFT's (v1.3 _kiss_fft_guts.h, kiss_fft.c and
 * tools/kiss_fftr.c as TFLM builds them): every operation, rounding and
 * evaluation order below mirrors it, because the outputs must match bit for
 * bit. Integer sums are C int sums in TFLM, which wrap on its targets; they
 * wrap here explicitly. */
#define SIG_CAT2(a, b) a##_##b
#define SIG_CAT(a, b) SIG_CAT2(a, b)
#define FN(name) SIG_CAT(name, SFX)

typedef struct {
  T r, i;
} FN(cpx);
#define CPX FN(cpx)

#if FIXED
typedef int32_t FN(expr);
static inline int32_t FN(add)(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a + (uint32_t)b);
}
static inline int32_t FN(sub)(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)a - (uint32_t)b);
}
static inline int32_t FN(half)(int32_t a) { return a >> 1; }
/* sround(smul(a, b)): the product in P, + half an LSB, >> FRAC. */
static inline T FN(round)(P x) {
  return (T)((P)((UP)x + ((UP)1 << (FRAC - 1))) >> FRAC);
}
static inline T FN(smul)(T a, T b) { return FN(round)((P)a * b); }
static inline CPX FN(cmul)(CPX a, CPX b) {
  CPX m;
  m.r = FN(round)((P)((UP)((P)a.r * b.r) - (UP)((P)a.i * b.i)));
  m.i = FN(round)((P)((UP)((P)a.r * b.i) + (UP)((P)a.i * b.r)));
  return m;
}
static inline void FN(fixdiv)(CPX *c, int32_t k) {
  const T s = (T)(SMAX / k);
  c->r = FN(smul)(c->r, s);
  c->i = FN(smul)(c->i, s);
}
static inline T FN(cos_tw)(double phase) {
  return (T)floor(.5 + SMAX * cos(phase));
}
static inline T FN(sin_tw)(double phase) {
  return (T)floor(.5 + SMAX * sin(phase));
}
#else
typedef float FN(expr);
static inline float FN(add)(float a, float b) { return a + b; }
static inline float FN(sub)(float a, float b) { return a - b; }
static inline float FN(half)(float a) { return a * .5f; }
static inline float FN(smul)(float a, float b) { return a * b; }
static inline CPX FN(cmul)(CPX a, CPX b) {
  CPX m;
  m.r = a.r * b.r - a.i * b.i;
  m.i = a.r * b.i + a.i * b.r;
  return m;
}
static inline void FN(fixdiv)(CPX *c, int32_t k) {
  (void)c;
  (void)k;
}
static inline float FN(cos_tw)(double phase) { return (float)cos(phase); }
static inline float FN(sin_tw)(double phase) { return (float)sin(phase); }
#endif

#define E FN(expr)
#define ADD FN(add)
#define SUB FN(sub)
#if FIXED
#define NEG(x) SUB(0, (x))
#else
#define NEG(x) (-(x)) /* -x and x * -1 keep the sign of zero; 0 - x does not */
#endif

static inline CPX FN(cadd)(CPX a, CPX b) {
  CPX r = {(T)ADD(a.r, b.r), (T)ADD(a.i, b.i)};
  return r;
}
static inline CPX FN(csub)(CPX a, CPX b) {
  CPX r = {(T)SUB(a.r, b.r), (T)SUB(a.i, b.i)};
  return r;
}

static void FN(twiddles)(xai_rfft_plan *p) {
  const double pi = 3.141592653589793238462643383279502884197169399375105820974944;
  CPX *tw = p->twiddles, *st = p->super_twiddles;
  const int32_t n = p->n;
  for (int32_t i = 0; i < n; i++) {
    double phase = -2 * pi * i / n;
    if (p->inverse) phase *= -1;
    tw[i].r = FN(cos_tw)(phase);
    tw[i].i = FN(sin_tw)(phase);
  }
  for (int32_t i = 0; i < n / 2; i++) {
    double phase = -3.14159265358979323846264338327 * ((double)(i + 1) / n + .5);
    if (p->inverse) phase *= -1;
    st[i].r = FN(cos_tw)(phase);
    st[i].i = FN(sin_tw)(phase);
  }
}

static void FN(bfly2)(CPX *f, int32_t fs, const CPX *tw, int32_t m) {
  for (int32_t j = 0; j < m; j++) {
    FN(fixdiv)(&f[j], 2);
    FN(fixdiv)(&f[j + m], 2);
    CPX t = FN(cmul)(f[j + m], tw[j * fs]);
    f[j + m] = FN(csub)(f[j], t);
    f[j] = FN(cadd)(f[j], t);
  }
}

static void FN(bfly3)(CPX *f, int32_t fs, const CPX *tw, int32_t m) {
  const T epi3 = tw[fs * m].i;
  for (int32_t j = 0; j < m; j++, f++) {
    FN(fixdiv)(&f[0], 3);
    FN(fixdiv)(&f[m], 3);
    FN(fixdiv)(&f[2 * m], 3);
    CPX s1 = FN(cmul)(f[m], tw[j * fs]);
    CPX s2 = FN(cmul)(f[2 * m], tw[2 * j * fs]);
    CPX s3 = FN(cadd)(s1, s2);
    CPX s0 = FN(csub)(s1, s2);
    f[m].r = (T)SUB(f[0].r, FN(half)(s3.r));
    f[m].i = (T)SUB(f[0].i, FN(half)(s3.i));
    s0.r = FN(smul)(s0.r, epi3);
    s0.i = FN(smul)(s0.i, epi3);
    f[0] = FN(cadd)(f[0], s3);
    f[2 * m].r = (T)ADD(f[m].r, s0.i);
    f[2 * m].i = (T)SUB(f[m].i, s0.r);
    f[m].r = (T)SUB(f[m].r, s0.i);
    f[m].i = (T)ADD(f[m].i, s0.r);
  }
}

static void FN(bfly4)(CPX *f, int32_t fs, const CPX *tw, int32_t m,
                      bool inverse) {
  for (int32_t j = 0; j < m; j++, f++) {
    for (int q = 0; q < 4; q++) FN(fixdiv)(&f[q * m], 4);
    CPX s0 = FN(cmul)(f[m], tw[j * fs]);
    CPX s1 = FN(cmul)(f[2 * m], tw[2 * j * fs]);
    CPX s2 = FN(cmul)(f[3 * m], tw[3 * j * fs]);
    CPX s5 = FN(csub)(f[0], s1);
    f[0] = FN(cadd)(f[0], s1);
    CPX s3 = FN(cadd)(s0, s2);
    CPX s4 = FN(csub)(s0, s2);
    f[2 * m] = FN(csub)(f[0], s3);
    f[0] = FN(cadd)(f[0], s3);
    if (inverse) {
      f[m].r = (T)SUB(s5.r, s4.i);
      f[m].i = (T)ADD(s5.i, s4.r);
      f[3 * m].r = (T)ADD(s5.r, s4.i);
      f[3 * m].i = (T)SUB(s5.i, s4.r);
    } else {
      f[m].r = (T)ADD(s5.r, s4.i);
      f[m].i = (T)SUB(s5.i, s4.r);
      f[3 * m].r = (T)SUB(s5.r, s4.i);
      f[3 * m].i = (T)ADD(s5.i, s4.r);
    }
  }
}

static void FN(bfly5)(CPX *f, int32_t fs, const CPX *tw, int32_t m) {
  const CPX ya = tw[fs * m], yb = tw[fs * 2 * m];
  CPX *f0 = f, *f1 = f + m, *f2 = f + 2 * m, *f3 = f + 3 * m, *f4 = f + 4 * m;
  for (int32_t u = 0; u < m; u++, f0++, f1++, f2++, f3++, f4++) {
    FN(fixdiv)(f0, 5);
    FN(fixdiv)(f1, 5);
    FN(fixdiv)(f2, 5);
    FN(fixdiv)(f3, 5);
    FN(fixdiv)(f4, 5);
    const CPX s0 = *f0;
    const CPX s1 = FN(cmul)(*f1, tw[u * fs]);
    const CPX s2 = FN(cmul)(*f2, tw[2 * u * fs]);
    const CPX s3 = FN(cmul)(*f3, tw[3 * u * fs]);
    const CPX s4 = FN(cmul)(*f4, tw[4 * u * fs]);
    const CPX s7 = FN(cadd)(s1, s4), s10 = FN(csub)(s1, s4);
    const CPX s8 = FN(cadd)(s2, s3), s9 = FN(csub)(s2, s3);
    f0->r = (T)ADD(f0->r, ADD(s7.r, s8.r));
    f0->i = (T)ADD(f0->i, ADD(s7.i, s8.i));
    CPX s5, s6, s11, s12;
    s5.r = (T)ADD(ADD(s0.r, FN(smul)(s7.r, ya.r)), FN(smul)(s8.r, yb.r));
    s5.i = (T)ADD(ADD(s0.i, FN(smul)(s7.i, ya.r)), FN(smul)(s8.i, yb.r));
    s6.r = (T)ADD(FN(smul)(s10.i, ya.i), FN(smul)(s9.i, yb.i));
    s6.i = (T)SUB(NEG(FN(smul)(s10.r, ya.i)), FN(smul)(s9.r, yb.i));
    *f1 = FN(csub)(s5, s6);
    *f4 = FN(cadd)(s5, s6);
    s11.r = (T)ADD(ADD(s0.r, FN(smul)(s7.r, yb.r)), FN(smul)(s8.r, ya.r));
    s11.i = (T)ADD(ADD(s0.i, FN(smul)(s7.i, yb.r)), FN(smul)(s8.i, ya.r));
    s12.r = (T)ADD(NEG(FN(smul)(s10.i, yb.i)), FN(smul)(s9.i, ya.i));
    s12.i = (T)SUB(FN(smul)(s10.r, yb.i), FN(smul)(s9.r, ya.i));
    *f2 = FN(cadd)(s11, s12);
    *f3 = FN(csub)(s11, s12);
  }
}

/* kf_work: decimation in time, recursing over the factors. */
static void FN(work)(const xai_rfft_plan *p, CPX *out, const CPX *in,
                     int32_t fs, const int32_t *factors) {
  const int32_t radix = factors[0], m = factors[1];
  if (m == 1) {
    for (int32_t j = 0; j < radix; j++, in += fs) out[j] = *in;
  } else {
    for (int32_t j = 0; j < radix; j++, in += fs)
      FN(work)(p, out + j * m, in, fs * radix, factors + 2);
  }
  const CPX *tw = p->twiddles;
  switch (radix) {
    case 2: FN(bfly2)(out, fs, tw, m); break;
    case 3: FN(bfly3)(out, fs, tw, m); break;
    case 4: FN(bfly4)(out, fs, tw, m, p->inverse); break;
    default: FN(bfly5)(out, fs, tw, m); break; /* the plan has no others */
  }
}

static void FN(rfft)(const xai_rfft_plan *p, const T *in, T *out_raw) {
  const int32_t n = p->n;
  CPX *tmp = p->work, *out = (CPX *)out_raw;
  const CPX *st = p->super_twiddles;
  FN(work)(p, tmp, (const CPX *)in, 1, p->factors);
  CPX tdc = tmp[0];
  FN(fixdiv)(&tdc, 2);
  out[0].r = (T)ADD(tdc.r, tdc.i);
  out[n].r = (T)SUB(tdc.r, tdc.i);
  out[0].i = out[n].i = 0;
  for (int32_t k = 1; k <= n / 2; k++) {
    CPX fpk = tmp[k], fpnk;
    fpnk.r = tmp[n - k].r;
    fpnk.i = (T)NEG(tmp[n - k].i);
    FN(fixdiv)(&fpk, 2);
    FN(fixdiv)(&fpnk, 2);
    const CPX f1k = FN(cadd)(fpk, fpnk), f2k = FN(csub)(fpk, fpnk);
    const CPX tw = FN(cmul)(f2k, st[k - 1]);
    out[k].r = (T)FN(half)(ADD(f1k.r, tw.r));
    out[k].i = (T)FN(half)(ADD(f1k.i, tw.i));
    out[n - k].r = (T)FN(half)(SUB(f1k.r, tw.r));
    out[n - k].i = (T)FN(half)(SUB(tw.i, f1k.i));
  }
}

static void FN(irfft)(const xai_rfft_plan *p, const T *in_raw, T *out) {
  const int32_t n = p->n;
  CPX *tmp = p->work;
  const CPX *in = (const CPX *)in_raw, *st = p->super_twiddles;
  tmp[0].r = (T)ADD(in[0].r, in[n].r);
  tmp[0].i = (T)SUB(in[0].r, in[n].r);
  FN(fixdiv)(&tmp[0], 2);
  for (int32_t k = 1; k <= n / 2; k++) {
    CPX fk = in[k], fnkc;
    fnkc.r = in[n - k].r;
    fnkc.i = (T)NEG(in[n - k].i);
    FN(fixdiv)(&fk, 2);
    FN(fixdiv)(&fnkc, 2);
    const CPX fek = FN(cadd)(fk, fnkc), d = FN(csub)(fk, fnkc);
    const CPX fok = FN(cmul)(d, st[k - 1]);
    tmp[k] = FN(cadd)(fek, fok);
    tmp[n - k] = FN(csub)(fek, fok);
    tmp[n - k].i = (T)NEG(tmp[n - k].i);
  }
  FN(work)(p, (CPX *)out, tmp, 1, p->factors);
}

#undef NEG
#undef SUB
#undef ADD
#undef E
#undef CPX
#undef FN
#undef SIG_CAT
#undef SIG_CAT2
