# Exam workflow rules (检查流程规则): identity documents, the exam state machine, safety screening
# gates and slot booking — pure functions over plain structs, no I/O (spec: domain.md §2).
# Included from src/exam/CMakeLists.txt; paths are relative to this folder.
add_library(radqs_exam_rules identity.cpp exam_state.cpp screening.cpp scheduling.cpp)
target_link_libraries(radqs_exam_rules PUBLIC radqs_core)
target_compile_options(radqs_exam_rules PRIVATE ${RADQS_WARNINGS})

radqs_test(exam_rules_test unit identity_test.cpp exam_state_test.cpp screening_test.cpp
           scheduling_test.cpp)
target_link_libraries(exam_rules_test PRIVATE radqs_exam_rules)
