# `oxwire wbxml`: decode -> encode gives back a canonical body byte for byte (with and without
# --indent); malformed XML is an error on stderr with exit status 2; a bad option exits 1.
foreach(indent IN ITEMS "" "--indent")
  add_test(NAME examples.wbxml_round_trip${indent}
    COMMAND sh -c "\"$0\" wbxml decode $2 \"$1\" | \"$0\" wbxml encode | cmp - \"$1\""
            $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/wbxml/spec_example_sync
            ${indent})
endforeach()
add_test(NAME examples.wbxml_encode_error
  COMMAND sh -c "out=$(printf '<Sync xmlns=\"AirSync:\"><Nope/></Sync>' | \"$0\" wbxml encode 2>&1 >/dev/null); \
rc=$?; [ $rc -eq 2 ] && [ \"$out\" = 'error: unknown element in its namespace (element) at offset 24' ]"
    $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.wbxml_usage
  COMMAND sh -c "\"$0\" wbxml encode --indent /dev/null; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)
