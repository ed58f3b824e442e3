# `oxwire tnef dump`: JSON facts of a TNEF stream; the attachment digests are OpenSSL SHA-256.
find_package(OpenSSL REQUIRED)
target_link_libraries(oxwire_cli PRIVATE OpenSSL::Crypto)

# A stream we wrote (the fuzz seed `message`): subject, recipient and attachment with its
# SHA-256 (of "hi\n").
add_test(NAME examples.tnef_dump
  COMMAND oxwire_cli tnef dump ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/tnef/message)
set_tests_properties(examples.tnef_dump PROPERTIES PASS_REGULAR_EXPRESSION
  "\"subject\": \"Hello\".*\"recipients\": \\[\n    {\"name\": \"Bob\".*\"attachments\": \\[\n    {\"name\": \"note.txt\", \"size\": 3, \"sha256\": \"98ea6e4f216f2fb4b69fff9b3a44842c38686ca685f3f55dc48c5d3fb1107be4\"}.*\"properties\": \\[")
# Not TNEF: the message on stderr, exit status 2.
add_test(NAME examples.tnef_dump_error
  COMMAND sh -c "out=$(printf 'nope' | \"$0\" tnef dump 2>&1 >/dev/null); rc=$?; \
[ $rc -eq 2 ] && [ \"$out\" = 'error: not a TNEF stream (bad signature) (Signature) at offset 0' ]"
    $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.tnef_usage
  COMMAND sh -c "\"$0\" tnef dump --nope /dev/null; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)

# examples/winmail.cpp: a winmail.dat converted, its attachments written to a directory.
add_executable(example_winmail ${CMAKE_CURRENT_LIST_DIR}/../winmail.cpp)
target_link_libraries(example_winmail PRIVATE oxwire_dev)
add_test(NAME examples.winmail
  COMMAND sh -c "rm -rf \"$2\" && \"$0\" \"$1\" \"$2\" && printf 'hi\\n' | cmp - \"$2/attachment-1.d/note.txt\""
    $<TARGET_FILE:example_winmail> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/tnef/embedded
    ${CMAKE_CURRENT_BINARY_DIR}/winmail-out)

# `oxwire tnef from-msg`: a .msg file (the .msg fuzz seed) as a TNEF stream, dumped again:
# subject, recipient and the attachment with its SHA-256 (of "hello") survive.
add_test(NAME examples.tnef_from_msg
  COMMAND sh -c "\"$0\" tnef from-msg \"$1\" | \"$0\" tnef dump -"
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/msg/tiny.msg)
set_tests_properties(examples.tnef_from_msg PROPERTIES PASS_REGULAR_EXPRESSION
  "\"subject\": \"Seed\".*\"recipients\": \\[\n    {\"name\": \"Anna\".*\"attachments\": \\[\n    {\"name\": \"a.txt\", \"size\": 5, \"sha256\": \"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"}")
# .msg -> TNEF -> .msg with --output=FILE: the same facts again.
add_test(NAME examples.tnef_from_msg_round_trip
  COMMAND sh -c "rm -f \"$2\" && \"$0\" tnef from-msg --output=\"$2\" \"$1\" && \"$0\" msg from-tnef \"$2\" | \"$0\" msg dump"
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/msg/tiny.msg
          ${CMAKE_CURRENT_BINARY_DIR}/from_msg.tnef)
set_tests_properties(examples.tnef_from_msg_round_trip PROPERTIES PASS_REGULAR_EXPRESSION
  "\"subject\": \"Seed\".*\"name\": \"a.txt\", \"embedded\": false, \"size\": 5, \"sha256\": \"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"")
# Not a compound file: the reader's error and exit status 2.
add_test(NAME examples.tnef_from_msg_error
  COMMAND sh -c "out=$(\"$0\" tnef from-msg \"$1\" 2>&1 >/dev/null); rc=$?; \
[ $rc -eq 2 ] && [ \"$out\" = 'error: not a compound file (Signature) at offset 0' ]"
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/README.md)
