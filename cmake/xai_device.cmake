# xai_device: the freestanding device library (docs/firmware.md): runtime,
# kernels, VPU layer, flash reader, protocol and AI server, built with
# -ffreestanding against include/xai/platform.h, with no heap, no stdio and
# no OS. The same sources as the host libraries (globbed, so new kernels
# join by themselves) less the host-only files below.
set(XAI_DEVICE_MODULES common tflite flexbuf kernels/ref vpu kernels/xcore
    runtime runtime/ops flash protocol aisrv platform)
set(XAI_DEVICE_HOST_ONLY
    common/file_io.c tflite/builder.c tflite/flatbuffer_builder.c
    tflite/model.c tflite/model_edit.c tflite/model_equal.c
    flexbuf/flexbuf_build.c flash/flash_build.c runtime/arena_needed.c
    runtime/clock_host.c flexbuf/flexbuf_format.c)
set(XAI_DEVICE_SOURCES "")
foreach(m ${XAI_DEVICE_MODULES})
  file(GLOB files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${m}/*.c)
  list(APPEND XAI_DEVICE_SOURCES ${files})
endforeach()
foreach(f ${XAI_DEVICE_HOST_ONLY})
  list(REMOVE_ITEM XAI_DEVICE_SOURCES ${CMAKE_SOURCE_DIR}/src/${f})
endforeach()

add_library(xai_device STATIC ${XAI_DEVICE_SOURCES})
add_library(xai::xai_device ALIAS xai_device)
target_include_directories(xai_device
  PUBLIC $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/include> $<INSTALL_INTERFACE:include>
  PRIVATE ${CMAKE_SOURCE_DIR}/src/runtime ${CMAKE_SOURCE_DIR}/src/aisrv
          ${CMAKE_SOURCE_DIR}/src/tflite ${CMAKE_SOURCE_DIR}/src/flexbuf
          ${CMAKE_SOURCE_DIR}/src/flash ${CMAKE_SOURCE_DIR}/src/protocol
          ${CMAKE_SOURCE_DIR}/src/kernels/ref ${CMAKE_SOURCE_DIR}/src/kernels/xcore)
target_compile_definitions(xai_device PRIVATE XAI_DEVICE_LIB=1)
target_compile_options(xai_device PRIVATE -ffreestanding
  -include ${CMAKE_SOURCE_DIR}/src/platform/freestanding_libc.h
  -ffunction-sections -fdata-sections
  $<$<NOT:$<CONFIG:Debug>>:-O2>)
if(CMAKE_CROSSCOMPILING)
  set_target_properties(xai_device PROPERTIES POSITION_INDEPENDENT_CODE OFF)
  # On 32-bit targets uint32_t may be `long`: the %u in error messages is
  # the same width there, so these warnings say nothing about correctness.
  target_compile_options(xai_device PRIVATE -Wno-format)
endif()
target_link_libraries(xai_device PUBLIC m)

# find_package(xai) after `cmake --install`: the library, include/xai and
# the target xai::xai_device.
include(GNUInstallDirs)
install(TARGETS xai_device EXPORT xaiTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/include/xai
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT xaiTargets NAMESPACE xai::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/xai)
file(WRITE ${CMAKE_BINARY_DIR}/xaiConfig.cmake
     "include(\"\${CMAKE_CURRENT_LIST_DIR}/xaiTargets.cmake\")\n")
install(FILES ${CMAKE_BINARY_DIR}/xaiConfig.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/xai)
