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
target_link_libraries(example_msg_attachments PRIVATE oxwire_dev PkgConfig::LIBDEFLATE)
add_test(NAME examples.msg_attachments
  COMMAND sh -c "rm -rf \"$2\" && \"$0\" \"$1\" \"$2\" && printf hello | cmp \"$2/a.txt\" - && [ -f \"$2/1.msg\" ]"
          $<TARGET_FILE:example_msg_attachments> ${OXWIRE_MSG_SEED} ${CMAKE_CURRENT_BINARY_DIR}/msg_attachments_out)

# `oxwire msg from-tnef`: a TNEF stream (the TNEF fuzz seed `message`) as a .msg file, dumped
# again: subject, recipient and the attachment with its SHA-256 (of "hi\n") survive.
add_test(NAME examples.msg_from_tnef
  COMMAND sh -c "\"$0\" msg from-tnef \"$1\" | \"$0\" msg dump -"
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/tnef/message)
set_tests_properties(examples.msg_from_tnef PROPERTIES PASS_REGULAR_EXPRESSION
  "\"subject\": \"Hello\".*\"recipients\": \\[\n    {\"name\": \"Bob\".*\"name\": \"note.txt\", \"embedded\": false, \"size\": 3, \"sha256\": \"98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4\"")
# --output=FILE writes the file instead; an embedded message stays one.
add_test(NAME examples.msg_from_tnef_output
  COMMAND sh -c "rm -f \"$2\" && \"$0\" msg from-tnef --output=\"$2\" < \"$1\" && \"$0\" msg dump \"$2\""
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/tnef/embedded
          ${CMAKE_CURRENT_BINARY_DIR}/from_tnef.msg)
set_tests_properties(examples.msg_from_tnef_output PROPERTIES PASS_REGULAR_EXPRESSION
  "\"embedded\": true")
# Not TNEF: the decoder's error and exit status 2.
add_test(NAME examples.msg_from_tnef_error
  COMMAND sh -c "out=$(printf 'nope' | \"$0\" msg from-tnef 2>&1 >/dev/null); rc=$?; \
[ $rc -eq 2 ] && [ \"$out\" = 'error: not a TNEF stream (bad signature) (Signature) at offset 0' ]"
          $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.msg_from_tnef_usage
  COMMAND sh -c "\"$0\" msg from-tnef --nope /dev/null; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)
