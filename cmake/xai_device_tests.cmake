# -DXAI_DEVICE_TESTS=ON: the device-side modules and the tests of each, all
# labelled `device` (the host library, xformer, tools and examples are not
# built). With cmake/toolchain-m32.cmake this is the 32-bit CI stage.
set(XAI_DEVICE_TEST_MODULES common tflite flexbuf kernels/ref vpu kernels/xcore
    runtime flash protocol aisrv)
foreach(module ${XAI_DEVICE_TEST_MODULES})
  add_subdirectory(src/${module})
endforeach()
include(cmake/xai_device.cmake)

add_library(xai_testlib STATIC tests/testlib.c)
target_include_directories(xai_testlib PUBLIC ${CMAKE_SOURCE_DIR}/tests)
target_link_libraries(xai_testlib PUBLIC xai_common)
foreach(dir common tflite flexbuf kernels vpu runtime flash platform protocol aisrv)
  add_subdirectory(tests/${dir})
endforeach()
