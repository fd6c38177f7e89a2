# Writes OUT: a C++ file defining `std::string_view NAMESPACE::FUNCTION()` holding the text of IN.
file(READ "${IN}" text)
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by tools/embed_text.cmake.\n#include <string_view>\n\nnamespace ${NAMESPACE} {\nstd::string_view ${FUNCTION}() {\n  static constexpr std::string_view kText = R\"radqs_text(${text})radqs_text\";\n  return kText;\n}\n}  // namespace ${NAMESPACE}\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
