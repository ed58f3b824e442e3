# LZ77/DIRECT2 measured against lz4 (Debian liblz4-dev).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBLZ4 REQUIRED IMPORTED_TARGET liblz4)
target_link_libraries(bench_rpc PRIVATE PkgConfig::LIBLZ4)
