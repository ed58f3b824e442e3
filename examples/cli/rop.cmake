# `oxwire rop`: decode -> JSON -> encode gives the ROP buffer back byte for byte (requests, and
# responses with --columns); a bad buffer is an error with its offset (exit 2); a bad option
# exits 1. The rop_request example builds a request buffer and decodes a reply.
find_package(simdjson REQUIRED)
target_link_libraries(oxwire_cli PRIVATE simdjson::simdjson)

foreach(seed IN ITEMS logon_props_rows sample_requests)
  add_test(NAME examples.rop_round_trip_${seed}
    COMMAND sh -c "\"$0\" rop decode \"$1\" | \"$0\" rop encode | cmp - \"$1\""
            $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/rop/${seed})
endforeach()
add_test(NAME examples.rop_round_trip_response
  COMMAND sh -c "\"$0\" rop decode --response --columns=0x0037001F,0x0E080003 \"$1\" | \"$0\" rop encode | cmp - \"$1\""
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/rop/response_rows)
add_test(NAME examples.rop_decode_names
  COMMAND sh -c "\"$0\" rop decode \"$1\" | grep -q '\"rop\": \"RopLogon\", \"variant\": \"request\", \"RopId\": 254, \"LogonId\": 0'"
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/rop/logon_props_rows)
add_test(NAME examples.rop_decode_error
  COMMAND sh -c "out=$(printf '\\005\\000\\001\\000\\001\\377\\377\\377\\377' | \"$0\" rop decode 2>&1 >/dev/null); \
rc=$?; [ $rc -eq 2 ] && [ \"$out\" = 'error: handle index out of range (InputHandleIndex) at offset 4' ]"
  $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.rop_usage
  COMMAND sh -c "\"$0\" rop decode --nope /dev/null; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)

add_executable(example_rop_request ${CMAKE_CURRENT_LIST_DIR}/../rop_request.cpp)
target_link_libraries(example_rop_request PRIVATE oxwire_dev)
add_test(NAME examples.rop_request COMMAND example_rop_request)
set_tests_properties(examples.rop_request PROPERTIES PASS_REGULAR_EXPRESSION
  "RopLogon\nRopGetPropertiesSpecific\nPidTagDisplayName: Anna\nPidTagMessageSize: 1234\n")
