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

# The device-side fuzz targets without libFuzzer, to replay corpora on this
# build: build/m32/replay_fuzz_NAME FILE... (docs/fuzzing.md). The test
# replays the shared models through the reader and the AI server.
foreach(t tflite_reader flexbuf protocol_frame flash_image aisrv)
  add_executable(replay_fuzz_${t} tests/fuzz/fuzz_${t}.c tests/fuzz/replay_main.c)
endforeach()
target_link_libraries(replay_fuzz_tflite_reader PRIVATE xai_tfl_walk)
target_link_libraries(replay_fuzz_flexbuf PRIVATE xai_flexbuf)
target_link_libraries(replay_fuzz_protocol_frame PRIVATE xai_protocol)
target_link_libraries(replay_fuzz_flash_image PRIVATE xai_flash)
target_link_libraries(replay_fuzz_aisrv PRIVATE xai_aisrv)
if(EXISTS "${XAI_SHARED_DIR}/models")
  file(GLOB_RECURSE _replay_models "${XAI_SHARED_DIR}/models/*.tflite")
  list(FILTER _replay_models EXCLUDE REGEX "mobilenet_v2")
  foreach(t tflite_reader aisrv)
    add_test(NAME replay_fuzz_${t} COMMAND replay_fuzz_${t} ${_replay_models})
    set_tests_properties(replay_fuzz_${t} PROPERTIES LABELS device)
  endforeach()
endif()
