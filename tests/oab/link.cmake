# The OAB tests decompress through libmspack (Debian libmspack-dev); the block CRC is zlib's.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBMSPACK REQUIRED IMPORTED_TARGET libmspack)
find_package(ZLIB REQUIRED)
target_link_libraries(${target} PRIVATE PkgConfig::LIBMSPACK ZLIB::ZLIB)
