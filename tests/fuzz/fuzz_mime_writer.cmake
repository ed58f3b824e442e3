# include/oxwire/server/mime_writer.hpp writes with GMime and reads HTML with libxml2.
find_package(PkgConfig REQUIRED)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
target_link_libraries(${name} PRIVATE PkgConfig::GMIME PkgConfig::LIBXML2)
