# Extra libraries of the TNEF tests (included per test target by tests/CMakeLists.txt).
if(name STREQUAL "test_ytnef")
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(LIBYTNEF REQUIRED IMPORTED_TARGET libytnef)
  target_link_libraries(${area}_${name} PRIVATE PkgConfig::LIBYTNEF)
endif()
