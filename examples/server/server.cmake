# The reference server, at build/oxwire-server (included from examples/CMakeLists.txt).
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
pkg_check_modules(LIBICAL REQUIRED IMPORTED_TARGET libical)
add_executable(oxwire_server ${CMAKE_CURRENT_LIST_DIR}/main.cpp)
target_link_libraries(oxwire_server PRIVATE oxwire_dev SQLite::SQLite3 OpenSSL::SSL OpenSSL::Crypto
                                            Threads::Threads PkgConfig::GMIME PkgConfig::LIBXML2
                                            PkgConfig::LIBICAL PkgConfig::LIBDEFLATE)
target_compile_definitions(oxwire_server PRIVATE ASIO_STANDALONE ASIO_NO_DEPRECATED)
set_target_properties(oxwire_server PROPERTIES OUTPUT_NAME oxwire-server
                                               RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
