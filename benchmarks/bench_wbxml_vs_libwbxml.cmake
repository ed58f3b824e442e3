# Measured against libwbxml2 (Debian libwbxml2-dev); reads the ../shared corpus.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBWBXML2 REQUIRED IMPORTED_TARGET libwbxml2)
target_link_libraries(bench_wbxml_vs_libwbxml PRIVATE PkgConfig::LIBWBXML2)
target_compile_definitions(bench_wbxml_vs_libwbxml PRIVATE OXWIRE_SHARED_DIR="${OXWIRE_SHARED_DIR}")
