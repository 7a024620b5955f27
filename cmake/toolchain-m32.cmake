# A 32-bit x86 build of the device side (xcore.ai is a 32-bit machine):
# Debian's gcc-multilib, run natively. Used with -DXAI_DEVICE_TESTS=ON
# (scripts/build.sh m32), which builds only the device-side libraries and
# their tests; `ctest -L device` runs them. Catches size_t/long/pointer
# width assumptions, printf formats and alignment the 64-bit build hides.
# No CMAKE_SYSTEM_NAME: the programs run here, so this is not a cross
# build (and xai_device keeps its format warnings).
set(CMAKE_C_COMPILER gcc)
# SSE2 arithmetic, not the x87's 80-bit registers: the device's float and
# double round every operation to their own width (FLT_EVAL_METHOD 0), and
# the kernels' bit-exact results depend on it.
set(CMAKE_C_FLAGS_INIT "-m32 -msse2 -mfpmath=sse")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-m32")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-m32")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-m32")
