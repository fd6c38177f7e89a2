# Exam workflow rules (检查流程规则): identity documents, name pinyin, the exam state machine,
# safety screening gates and slot booking — pure functions over plain structs, no I/O (spec:
# domain.md §2). Included from src/exam/CMakeLists.txt; paths are relative to this folder.

# The pinyin table is generated from Unicode's Unihan readings (Debian package unicode-data).
set(RADQS_UNIHAN_READINGS /usr/share/unicode/Unihan_Readings.txt.bz2 CACHE FILEPATH
    "Unihan_Readings.txt.bz2 of the unicode-data package")
if(NOT EXISTS ${RADQS_UNIHAN_READINGS})
  message(FATAL_ERROR "${RADQS_UNIHAN_READINGS} not found: install the unicode-data package")
endif()
find_program(RADQS_BZCAT bzcat REQUIRED)
add_executable(pinyin_table_gen ${PROJECT_SOURCE_DIR}/tools/pinyin_table_gen.cpp)
target_compile_options(pinyin_table_gen PRIVATE ${RADQS_WARNINGS})
add_custom_command(
  OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/pinyin_table.inc
  COMMAND sh -c "${RADQS_BZCAT} '${RADQS_UNIHAN_READINGS}' | '$<TARGET_FILE:pinyin_table_gen>' > pinyin_table.inc.tmp"
  COMMAND ${CMAKE_COMMAND} -E rename pinyin_table.inc.tmp pinyin_table.inc
  DEPENDS pinyin_table_gen ${RADQS_UNIHAN_READINGS}
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
  COMMENT "Generating the pinyin table from Unihan readings"
  VERBATIM)

add_library(radqs_exam_rules identity.cpp pinyin.cpp exam_state.cpp screening.cpp scheduling.cpp
            ${CMAKE_CURRENT_BINARY_DIR}/pinyin_table.inc)
target_include_directories(radqs_exam_rules PRIVATE ${CMAKE_CURRENT_BINARY_DIR})
target_link_libraries(radqs_exam_rules PUBLIC radqs_core)
target_compile_options(radqs_exam_rules PRIVATE ${RADQS_WARNINGS})

radqs_test(exam_rules_test unit identity_test.cpp pinyin_test.cpp exam_state_test.cpp
           screening_test.cpp scheduling_test.cpp)
target_link_libraries(exam_rules_test PRIVATE radqs_exam_rules)
