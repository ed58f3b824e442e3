# Compressed RTF: CRC-32 from libdeflate; the corpus test checks SHA-256 (OpenSSL) and compares with
# ytnef's decompressor (Debian libytnef0-dev).
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBYTNEF REQUIRED IMPORTED_TARGET libytnef)
target_link_libraries(${target} PRIVATE PkgConfig::LIBDEFLATE OpenSSL::Crypto PkgConfig::LIBYTNEF)
target_compile_definitions(${target} PRIVATE
  OXWIRE_ORACLES_DIR="${PROJECT_SOURCE_DIR}/tests/oracles")
