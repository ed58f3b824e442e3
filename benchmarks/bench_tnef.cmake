# Measured against libytnef (Debian libytnef0-dev); reads the ../shared corpus.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBYTNEF REQUIRED IMPORTED_TARGET libytnef)
target_link_libraries(bench_tnef PRIVATE PkgConfig::LIBYTNEF)
target_compile_definitions(bench_tnef PRIVATE OXWIRE_SHARED_DIR="${OXWIRE_SHARED_DIR}")
