# The OAB tests decompress through libmspack (Debian libmspack-dev); the block CRC is libdeflate's.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBMSPACK REQUIRED IMPORTED_TARGET libmspack)
target_link_libraries(${target} PRIVATE PkgConfig::LIBMSPACK PkgConfig::LIBDEFLATE)
