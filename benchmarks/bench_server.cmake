# The load benchmark drives the reference server binary, built first and found through
# OXWIRE_SERVER_BINARY; the bare responder and the clients are standalone Asio on threads.
find_package(Threads REQUIRED)
add_dependencies(bench_server oxwire_server)
target_link_libraries(bench_server PRIVATE Threads::Threads)
target_compile_definitions(bench_server PRIVATE ASIO_STANDALONE ASIO_NO_DEPRECATED
                           OXWIRE_SERVER_BINARY="$<TARGET_FILE:oxwire_server>")
target_include_directories(bench_server PRIVATE ${PROJECT_SOURCE_DIR}/tests/support)  # server_process
