# Compressed RTF measured against ytnef's DecompressRTF (Debian libytnef0-dev); the CRC comes
# from libdeflate; reads the ../shared corpus.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBYTNEF REQUIRED IMPORTED_TARGET libytnef)
target_link_libraries(bench_rtf PRIVATE PkgConfig::LIBDEFLATE PkgConfig::LIBYTNEF)
target_compile_definitions(bench_rtf PRIVATE OXWIRE_SHARED_DIR="${OXWIRE_SHARED_DIR}")
