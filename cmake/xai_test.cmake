# xai_add_test(NAME SOURCES... LIBS ...): a C test executable registered with ctest.
function(xai_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;ARGS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} xai_testlib)
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "XAI_SHARED_DIR=${XAI_SHARED_DIR};XAI_SOURCE_DIR=${CMAKE_SOURCE_DIR}"
    SKIP_RETURN_CODE 77)
  if(XAI_DEVICE_TESTS)
    list(APPEND T_LABELS device)
  endif()
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()
