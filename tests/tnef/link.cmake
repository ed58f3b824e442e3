# The TNEF tests compare with ytnef (Debian libytnef0-dev); the .msg conversions hash names with
# libdeflate's CRC-32.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBYTNEF REQUIRED IMPORTED_TARGET libytnef)
target_link_libraries(${target} PRIVATE PkgConfig::LIBYTNEF PkgConfig::LIBDEFLATE)
