# `oxwire msg dump` links OpenSSL for the attachments' SHA-256.
find_package(OpenSSL REQUIRED)
target_link_libraries(oxwire_cli PRIVATE OpenSSL::Crypto)

# A small message made by our writer (the .msg fuzz seed): its facts as JSON.
set(OXWIRE_MSG_SEED ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/msg/tiny.msg)
add_test(NAME examples.msg_dump COMMAND oxwire_cli msg dump ${OXWIRE_MSG_SEED})
set_tests_properties(examples.msg_dump PROPERTIES PASS_REGULAR_EXPRESSION
  "\"subject\": \"Seed\".*\"recipients\": \\[\n    {\"name\": \"Anna\", \"email\": \"anna@example.com\", \"type\": 1}\\].*\"name\": \"a.txt\", \"embedded\": false, \"size\": 5, \"sha256\": \"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\".*\"text\": {\"present\": true, \"size\": 10}.*\"tag\": \"0x0037001F\", \"name\": \"PidTagSubject\", \"value\": \"Seed\".*\"name\": \"PidLidReminderDelta\", \"value\": 15")
# Not a compound file: the error and exit status 2.
add_test(NAME examples.msg_dump_bad
  COMMAND sh -c "out=$(\"$0\" msg dump \"$1\" 2>&1 >/dev/null); rc=$?; \
[ $rc -eq 2 ] && [ \"$out\" = 'error: not a compound file (Signature) at offset 0' ]"
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/README.md)

add_executable(example_msg_attachments ${CMAKE_CURRENT_LIST_DIR}/../msg_attachments.cpp)
target_link_libraries(example_msg_attachments PRIVATE oxwire_dev)
add_test(NAME examples.msg_attachments
  COMMAND sh -c "rm -rf \"$2\" && \"$0\" \"$1\" \"$2\" && printf hello | cmp \"$2/a.txt\" - && [ -f \"$2/1.msg\" ]"
          $<TARGET_FILE:example_msg_attachments> ${OXWIRE_MSG_SEED} ${CMAKE_CURRENT_BINARY_DIR}/msg_attachments_out)
