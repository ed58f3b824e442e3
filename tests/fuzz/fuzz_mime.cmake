# include/oxwire/server/mime.hpp parses with GMime.
find_package(PkgConfig REQUIRED)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
target_link_libraries(${name} PRIVATE PkgConfig::GMIME)
