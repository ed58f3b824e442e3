# The .msg tests compare containers with libolecf (Debian libolecf-dev); name hashes are libdeflate's CRC-32.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBOLECF REQUIRED IMPORTED_TARGET libolecf)
target_link_libraries(${target} PRIVATE PkgConfig::LIBOLECF PkgConfig::LIBDEFLATE)
