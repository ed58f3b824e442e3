# Measured against libolecf (Debian libolecf-dev); reads the ../shared corpus.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBOLECF REQUIRED IMPORTED_TARGET libolecf)
find_package(ZLIB REQUIRED)  # the writer's name hashes (core/crc32.hpp)
target_link_libraries(bench_msg PRIVATE PkgConfig::LIBOLECF ZLIB::ZLIB)
target_compile_definitions(bench_msg PRIVATE OXWIRE_SHARED_DIR="${OXWIRE_SHARED_DIR}")
