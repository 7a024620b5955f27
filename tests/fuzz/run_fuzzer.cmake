# Runs one libFuzzer binary for $ENV{XAI_FUZZ_SECONDS} seconds (default 60)
# over its corpus and reports the executions reached. Called by ctest:
#   cmake -DFUZZER=<binary> -DCORPUS=<dir> -P run_fuzzer.cmake
set(seconds 60)
if(DEFINED ENV{XAI_FUZZ_SECONDS})
  set(seconds $ENV{XAI_FUZZ_SECONDS})
endif()
get_filename_component(name "${FUZZER}" NAME)
get_filename_component(crashes "${CORPUS}/../${name}-crashes" ABSOLUTE)
file(MAKE_DIRECTORY "${crashes}")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${seconds} -print_final_stats=1 ${FLAGS}
          -rss_limit_mb=2048 -artifact_prefix=${crashes}/ "${CORPUS}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
string(REGEX MATCH "stat::number_of_executed_units: *([0-9]+)" _ "${out}")
set(runs "${CMAKE_MATCH_1}")
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "${name}: failed after ${seconds} s limit (exit ${rc}); "
                      "the input is saved in ${crashes}")
endif()
message("${name}: ${runs} executions in ${seconds} s, no failures")
