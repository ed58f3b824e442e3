# The server tests link what the store and the server use: SQLite, OpenSSL, threads.
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
target_link_libraries(${area}_${name} PRIVATE SQLite::SQLite3 OpenSSL::SSL OpenSSL::Crypto
                                              Threads::Threads)
target_include_directories(${area}_${name} PRIVATE ${PROJECT_SOURCE_DIR}/examples)


# test_server, test_sync_client and test_commands drive the binary; it is built first and found through OXWIRE_SERVER_BINARY.
if(name MATCHES "^test_(server|sync_client|commands)$")
  add_dependencies(${area}_${name} oxwire_server)
  target_compile_definitions(${area}_${name} PRIVATE ASIO_STANDALONE ASIO_NO_DEPRECATED
                             OXWIRE_SERVER_BINARY="$<TARGET_FILE:oxwire_server>")
endif()
