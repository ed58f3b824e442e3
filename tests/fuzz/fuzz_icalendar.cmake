# include/oxwire/server/icalendar.hpp parses with libical.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
target_link_libraries(${name} PRIVATE PkgConfig::LIBICAL)
