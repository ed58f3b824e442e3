# The server tests link what the store and the server use: SQLite, OpenSSL, threads, GMime,
# libxml2 (HTML to text, server/mime_writer.hpp), libical (invitations, server/icalendar.hpp);
# the socket tests drive the binary found through OXWIRE_SERVER_BINARY. Only running them needs
# it: no target dependency, so both compile at once (build oxwire_server too; oxwire_checks and
# all do).
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
target_link_libraries(${target} PRIVATE SQLite::SQLite3 OpenSSL::SSL OpenSSL::Crypto Threads::Threads
                                         PkgConfig::GMIME PkgConfig::LIBXML2
                                         PkgConfig::LIBICAL PkgConfig::LIBDEFLATE)
target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/examples)
target_compile_definitions(${target} PRIVATE ASIO_STANDALONE ASIO_NO_DEPRECATED
                           OXWIRE_SERVER_BINARY="$<TARGET_FILE:oxwire_server>")
