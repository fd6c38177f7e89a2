# Builds the libFuzzer targets of fuzz/ with clang as an ExternalProject, and runs each for a
# bounded time as a CTest test with label `fuzz` (RADQS_FUZZ_SECONDS, default 60: four targets,
# about two minutes of wall time at -j2). Skipped, with a message, where clang++ is missing.
find_program(RADQS_CLANGXX NAMES clang++-14 clang++)
if(NOT RADQS_CLANGXX)
  message(STATUS "fuzz targets skipped: no clang++ (Debian packages clang, libclang-rt-14-dev)")
  return()
endif()
set(RADQS_FUZZ_SECONDS 60 CACHE STRING "seconds each fuzz target runs under CTest")
set(RADQS_FUZZ_TARGETS fields query_params identity pinyin)

include(ExternalProject)
set(fuzz_dir ${CMAKE_BINARY_DIR}/fuzz)
set(fuzz_args -DCMAKE_CXX_COMPILER=${RADQS_CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo
    -DRADQS_PINYIN_TABLE_DIR=${CMAKE_BINARY_DIR}/src/exam)
if(CMAKE_CXX_COMPILER_LAUNCHER)
  list(APPEND fuzz_args -DCMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER})
endif()
ExternalProject_Add(radqs_fuzz
  SOURCE_DIR ${PROJECT_SOURCE_DIR}/fuzz
  BINARY_DIR ${fuzz_dir}/build
  CMAKE_ARGS ${fuzz_args}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  DEPENDS radqs_exam_rules)  # generates the pinyin table the pinyin target compiles

foreach(t ${RADQS_FUZZ_TARGETS})
  # New inputs go to the first folder (build/), never into the committed seeds.
  file(MAKE_DIRECTORY ${fuzz_dir}/corpus/${t} ${fuzz_dir}/artifacts)
  add_test(NAME fuzz_${t}
           COMMAND ${fuzz_dir}/build/${t}_fuzz -max_total_time=${RADQS_FUZZ_SECONDS} -timeout=10
                   -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1
                   -artifact_prefix=${fuzz_dir}/artifacts/${t}-
                   ${fuzz_dir}/corpus/${t} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${t})
  math(EXPR fuzz_timeout "${RADQS_FUZZ_SECONDS} * 3 + 60")
  set_tests_properties(fuzz_${t} PROPERTIES LABELS fuzz TIMEOUT ${fuzz_timeout})
endforeach()
