# Developer build settings shared by codegen, tests, benchmarks and examples.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)

add_library(oxwire_dev INTERFACE)
target_link_libraries(oxwire_dev INTERFACE oxwire::oxwire)
target_compile_options(oxwire_dev INTERFACE -Wall -Wextra -Wpedantic $<$<BOOL:${OXWIRE_WERROR}>:-Werror>)
if(OXWIRE_SANITIZE)
  target_compile_options(oxwire_dev INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(oxwire_dev INTERFACE -fsanitize=address,undefined)
endif()
