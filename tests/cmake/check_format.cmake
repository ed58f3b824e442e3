# clang-format --dry-run --Werror over the hand-written C++ (include/oxwire/gen is generated).
file(GLOB_RECURSE files
  ${ROOT}/include/*.hpp ${ROOT}/codegen/*.cpp ${ROOT}/codegen/*.hpp ${ROOT}/tests/*.cpp
  ${ROOT}/tests/*.hpp ${ROOT}/benchmarks/*.cpp ${ROOT}/examples/*.cpp ${ROOT}/examples/*.hpp)
list(FILTER files EXCLUDE REGEX "/include/oxwire/gen/")
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${files} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "clang-format: the files above need formatting (clang-format -i)")
endif()
list(LENGTH files n)
message(STATUS "clang-format: ${n} files clean")
