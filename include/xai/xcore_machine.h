/* Every constant of the xcore.ai machine model, in one place, each with its
 * source or the reasoning behind it (SYSTEM.md section 4; STYLE.md "Constants
 * of the machine model live in one file, each with its source").
 *
 * "Public XMOS material" below means the xcore.ai product brief and XU316
 * datasheet, the lib_xcore_math / lib_nn headers (vpu_info.h) and the XS3
 * architecture notes they summarise. Values marked ESTIMATE are ours: they
 * are not published, and the comment says how we arrived at them, so a
 * measurement on a board can replace them. */
#ifndef XAI_XCORE_MACHINE_H
#define XAI_XCORE_MACHINE_H

/* ---- Chip ---------------------------------------------------------------- */

/* xcore.ai (XU316): two tiles per chip (product brief). */
#define XAI_XCORE_TILES 2u

/* 512 KiB of single-cycle SRAM per tile, shared by code, model and arena
 * (datasheet: 1024 KiB total over 2 tiles). */
#define XAI_XCORE_SRAM_BYTES_PER_TILE (512u * 1024u)

/* SRAM per tile the firmware keeps for itself, so model + arena get the
 * rest. ESTIMATE until a board build measures it: ~40 KiB of code (server,
 * protocol, runtime, the kernels a model resolves), 8 thread stacks of
 * 1 KiB plus 8 KiB for the thread running reference kernels (they stage
 * an input patch on the stack), the AI server's buffers (xai_aisrv_work_
 * bytes: ~49 KiB for 2 engines with 256 timed layers each: frames,
 * payload, log, GET_SPEC, timing tables) and ~7 KiB of margin. The
 * xformer's placement and the device server both use this one number. */
#define XAI_XCORE_FIRMWARE_BYTES_PER_TILE (112u * 1024u)

/* 8 hardware threads (logical cores) per tile, 16 per chip (product brief). */
#define XAI_XCORE_THREADS_PER_TILE 8u

/* The pipeline issues one bundle per cycle, round-robin over the active
 * threads, and a thread can only issue again once its previous bundle left
 * the 5-stage pipeline: with n active threads each issues once every
 * max(5, n) cycles (XS3 architecture; SYSTEM.md section 4). */
#define XAI_XCORE_ISSUE_SLOTS 5u

/* Core clock. 800 MHz is the top speed grade; 600 and 700 MHz are the
 * selectable lower settings (datasheet speed grades; SYSTEM.md section 4). */
#define XAI_XCORE_CLOCK_MHZ_DEFAULT 800u
#define XAI_XCORE_CLOCK_MHZ_700 700u
#define XAI_XCORE_CLOCK_MHZ_600 600u

/* The device's reference timer runs at 100 MHz (10 ns ticks) whatever the
 * core clock; per-layer times are reported in these ticks (XS3 timers;
 * lib_tflite_micro reports layer times in 100 MHz ticks). */
#define XAI_XCORE_REF_TIMER_HZ 100000000u
#define XAI_XCORE_REF_TIMER_MHZ 100u

/* ---- Tiles, chips and the links between them ------------------------------ */

/* Chips one device may span (xformer --xcore-chips, the emulator's
 * --chips): the user guide's "N XCORE.AI" configurations (2 x N x 512 kB,
 * N x 51.2 GMAC/s); 4 chips = 8 tiles, the most the AI server addresses. */
#define XAI_XCORE_CHIPS_MAX 4u

/* The two tiles' switches are joined by four internal links, so at most
 * four inter-tile channel connections are open at once (XMOS forum answer
 * by an XMOS engineer on XU2xx/xcore switch limits: "the switches only have
 * 4 links between them"). */
#define XAI_XCORE_TILE_LINKS 4u

/* One xCONNECT link moves an 8-bit token every ~10 switch cycles at the
 * minimal symbol/token delays ("0,1": symbol time = delay + 2 cycles,
 * inter-token time = delay + 1; 20 ns a token = 50 MB/s at a 500 MHz
 * switch clock, which agrees with measurements; XS1 link timing as XMOS's
 * link guidelines describe it). ESTIMATE for xcore.ai: the same 50 MB/s per
 * internal link, and a weight stream over all four links between the two
 * tiles of a chip: 200 MB/s. */
#define XAI_XCORE_INTERNAL_LINK_BYTES_PER_S 50000000u
#define XAI_XCORE_INTER_TILE_BYTES_PER_S                                      \
  (XAI_XCORE_TILE_LINKS * XAI_XCORE_INTERNAL_LINK_BYTES_PER_S)

/* Chip to chip (xLINK): a 5-wire external link carries 250 Mbit/s of data
 * at a 7.5 ns symbol time (XMOS "XS1-L Link Performance and Design
 * Guidelines", Data Rates): 31.25 MB/s. ESTIMATE for boards: two 5-wire
 * xLINKs between neighbouring chips, 62.5 MB/s; board traces may need
 * longer delays, so this is an upper figure. */
#define XAI_XCORE_XLINK_BYTES_PER_S 31250000u
#define XAI_XCORE_XLINKS_PER_CHIP_PAIR 2u
#define XAI_XCORE_INTER_CHIP_BYTES_PER_S                                      \
  (XAI_XCORE_XLINKS_PER_CHIP_PAIR * XAI_XCORE_XLINK_BYTES_PER_S)

/* Latency of one transfer (a request token to the serving tile, the route
 * through the switches and the first data token back), in 100 MHz ticks.
 * ESTIMATE: inside a chip a few tens of switch cycles plus the serving
 * thread's wake-up, ~100 ns = 10 ticks; each chip hop adds the pins and the
 * external symbol times of the route header, ~1 us = 100 ticks. */
#define XAI_XCORE_INTER_TILE_LATENCY_TICKS 10u
#define XAI_XCORE_INTER_CHIP_LATENCY_TICKS 100u

/* ---- External memories --------------------------------------------------- */

/* Optional LPDDR1, reachable from one tile; 64 MiB is the size on the
 * evaluation kit (XK-EVK-XU316) and our default. */
#define XAI_XCORE_LPDDR_BYTES_DEFAULT (64u * 1024u * 1024u)

/* LPDDR streaming bandwidth for weights: about 800 MB/s (16-bit LPDDR1 at
 * up to 200 MHz DDR = 800 MB/s peak; SYSTEM.md section 4). */
#define XAI_XCORE_LPDDR_BYTES_PER_S 800000000u

/* QSPI flash, 2-16 MiB on typical boards (SYSTEM.md section 4). */
#define XAI_XCORE_FLASH_BYTES_MIN (2u * 1024u * 1024u)
#define XAI_XCORE_FLASH_BYTES_MAX (16u * 1024u * 1024u)

/* Flash read bandwidth seen by a running model: 25-50 MB/s measured range;
 * QSPI moves 4 bits per SPI clock, so the 133 MHz maximum SPI clock caps it
 * at 66.5 MB/s (SYSTEM.md section 4). The default is the upper end of the
 * measured range, which is what a 100 MHz QSPI clock delivers; the emulator
 * may be configured lower. */
#define XAI_XCORE_FLASH_BYTES_PER_S_LOW 25000000u
#define XAI_XCORE_FLASH_BYTES_PER_S_HIGH 50000000u
#define XAI_XCORE_FLASH_BYTES_PER_S_CEILING 66000000u
#define XAI_XCORE_FLASH_BYTES_PER_S_DEFAULT XAI_XCORE_FLASH_BYTES_PER_S_HIGH

/* ---- Vector unit ----------------------------------------------------------- */

/* vR, vD, vC are 256-bit registers (lib_xcore_math vpu_info.h:
 * XS3_VPU_VREG_WIDTH_BITS = 256). */
#define XAI_XCORE_VPU_VECTOR_BYTES 32u

/* VPU loads and stores need word (4-byte) aligned addresses on XS3
 * (lib_nn vpu_sim asserts word alignment on every VPU memory access). */
#define XAI_XCORE_VPU_ALIGN 4u

/* Peak multiply-accumulates per VPU bundle: VLMACCR in int8 mode does 32
 * (SYSTEM.md section 4). Utilisation = MACs / (32 * bundles). At 800 MHz with
 * 5 threads: 800e6 / 5 * 5 * 32 = 25.6 GMAC/s per tile. */
#define XAI_XCORE_PEAK_MACS_PER_BUNDLE 32u
/* 1-bit mode: VLMACCR1 does 256 XNOR-popcount MACs (SYSTEM.md section 4);
 * binarized layers' utilisation is measured against it. */
#define XAI_XCORE_PEAK_BINARY_MACS_PER_BUNDLE 256u

/* ---- Issue lanes and instruction fetch --------------------------------------- */

/* A dual-issue bundle pairs at most one ALU-lane instruction (arithmetic,
 * logic, address arithmetic such as LDAW/ADD/SUB/SHL) with at most one
 * memory/resource-lane instruction (every VPU instruction, scalar loads and
 * stores, branches, resource instructions). Two memory-lane instructions
 * never share a bundle, so a load, a store or a loop branch never hides
 * under a VPU instruction (XS3 architecture manual, dual issue; the pairs
 * written in lib_nn's and lib_xcore_math's XS3 assembly, e.g.
 * `{ sub n, n, 1 ; bt n, loop }` and `{ add p, p, 32 ; vlmaccr p[0] }`). */

/* Instruction fetch: the thread's instruction buffer is refilled 128 bits
 * at a time, using the memory port of a bundle that leaves the memory lane
 * free. A bundle that finds the buffer empty waits: the thread issues an
 * FNOP (a fetch no-op, one issue slot) that does the fetch instead (XS3
 * architecture manual, instruction fetch; xsim's --enable-fnop-tracing;
 * lib_nn lookup8.S: "every cycle is a memory access, so there will also be
 * a lot of FNOPs"; lib_xcore_math vect_s32_zip.S marks FNOPs inside its
 * runs of VLMACCRs). A taken branch uses its own memory slot to fetch its
 * target, so the buffer holds one fetch (a 16-byte aligned line; XMOS aligns
 * loop tops with .align 16) after it. */
#define XAI_XCORE_FETCH_BYTES 16u

/* Buffer capacity. ESTIMATE: one fetch (128 bits). With this rule a run of
 * memory-lane bundles costs one FNOP per 4 bundles after the buffer runs
 * dry; vect_s32_zip.S annotates about one per 8 in its VLMACCR runs, so the
 * model is on the slow (safe) side of XMOS's own annotation. */
#define XAI_XCORE_IBUF_BYTES 16u

/* Bytes per bundle in the buffer: a pair of 16-bit instructions or one
 * 32-bit instruction (XS3 encodes both forms in 32 bits per issue slot;
 * the inner loops of our kernels use only those forms). */
#define XAI_XCORE_BUNDLE_BYTES 4u

/* General registers a kernel's inner loop can keep values in: r0..r11 (sp,
 * dp, cp and lr are reserved; XS3 ABI). A loop that needs more live values
 * spills: every extra value costs a reload (a memory-lane LDW from the
 * stack) per iteration. */
#define XAI_XCORE_GENERAL_REGS 12u

/* Code bytes of the kernels' unrolled inner blocks (the 16-VLMACCR group
 * block of conv/FC in its aligned and zero-row forms, the 9-tap depthwise
 * block, the requantization chains: about 1.5 KiB at 4 bytes per bundle;
 * the conv tap block of up to 9 one-chunk taps, 9 x (VLDC + 16 VLMACCR)
 * = 153 bundles, 612 bytes more; the pixel loops of one-group layers,
 * conv of one chunk and depthwise, without their group and chunk loops:
 * about 2 x 32 bundles of loop body around the shared blocks, 256 bytes),
 * already inside the ~40 KiB of code that XAI_XCORE_FIRMWARE_BYTES_PER_TILE
 * reserves. Loops the cycle model charges no branch for are exactly these
 * blocks. */
#define XAI_XCORE_UNROLLED_CODE_BYTES (2404u)

/* ---- Software overheads (ESTIMATE) ----------------------------------------- */

/* Cost of dispatching one operator, in bundles of the dispatching thread.
 * ESTIMATE: a TFLM-style interpreter loop does, per op, a node/registration
 * fetch, an indirect call to Eval, reads of the input/output tensor records,
 * the kernel's parameter unpacking and two reads of the reference timer for
 * profiling; counted by hand that is 150-250 instructions, mostly single
 * issue, so we take 200 bundles (1000 cycles = 1.25 us at 800 MHz alone on a
 * tile). */
#define XAI_XCORE_OP_DISPATCH_BUNDLES 200u

/* Cost of forking an op's work to worker threads and joining them again, in
 * bundles of the dispatching thread. ESTIMATE: XS3 starts a thread group with
 * a synchroniser (GETR, then per thread GETST + TINITSP/TINITPC/TINITLR + 2-3
 * SET of argument registers, then MSYNC) and joins with MJOIN + FREER. That
 * is about 4 bundles fixed plus about 7 per worker; we double both for the
 * wrapper code around them (argument packing, stack carving). */
#define XAI_XCORE_FORK_JOIN_BASE_BUNDLES 8u
#define XAI_XCORE_FORK_JOIN_PER_THREAD_BUNDLES 14u

#endif
