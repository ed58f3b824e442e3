# The MS-CFB tests compare with libolecf (Debian libolecf-dev).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBOLECF REQUIRED IMPORTED_TARGET libolecf)
target_link_libraries(${target} PRIVATE PkgConfig::LIBOLECF)
