# Measured against libolecf (Debian libolecf-dev); reads the ../shared corpus.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBOLECF REQUIRED IMPORTED_TARGET libolecf)
target_link_libraries(bench_msg PRIVATE PkgConfig::LIBOLECF PkgConfig::LIBDEFLATE)
target_compile_definitions(bench_msg PRIVATE OXWIRE_SHARED_DIR="${OXWIRE_SHARED_DIR}")
