# `oxwire rtf`: compressed RTF's CRC comes from libdeflate.
target_link_libraries(oxwire_cli PRIVATE PkgConfig::LIBDEFLATE)
# compress -> decompress gives the input back byte for byte (LZFu and MELA).
foreach(mode IN ITEMS "" "--uncompressed")
  add_test(NAME examples.rtf_round_trip${mode}
    COMMAND sh -c "\"$0\" rtf compress $2 \"$1\" | \"$0\" rtf decompress | cmp - \"$1\""
            $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/README.md ${mode})
endforeach()
# MS-OXRTFCP 4.1.1: the spec's RTF compresses to the spec's 49 bytes.
add_test(NAME examples.rtf_compress_spec_example
  COMMAND sh -c "printf '{\\\\rtf1\\\\ansi\\\\ansicpg1252\\\\pard hello world}\\r\\n' | \"$0\" rtf compress | \"$0\" hex encode"
          $<TARGET_FILE:oxwire_cli>)
set_tests_properties(examples.rtf_compress_spec_example PROPERTIES PASS_REGULAR_EXPRESSION
  "^2d0000002b0000004c5a4675f1c5c7a703000a007263706731323542320af32068656c090020627705b06c647d0a800fa0")
# html: the HTML an RTF body encapsulates.
add_test(NAME examples.rtf_html
  COMMAND sh -c "printf '{\\\\rtf1\\\\ansi\\\\ansicpg1252\\\\fromhtml1 {\\\\*\\\\htmltag19 <html>}\\\\htmlrtf x\\\\htmlrtf0 caf\\\\'\\''e9{\\\\*\\\\htmltag27 </html>}}' | \"$0\" rtf html"
          $<TARGET_FILE:oxwire_cli>)
set_tests_properties(examples.rtf_html PROPERTIES PASS_REGULAR_EXPRESSION "^<html>café</html>")
# Not compressed RTF: the error on stderr, exit status 2.
add_test(NAME examples.rtf_decompress_error
  COMMAND sh -c "out=$(printf 'not compressed RTF' | \"$0\" rtf decompress 2>&1 >/dev/null); rc=$?; \
[ $rc -eq 2 ] && [ \"$out\" = 'error: invalid COMPTYPE (COMPTYPE) at offset 8' ]" $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.rtf_usage
  COMMAND sh -c "\"$0\" rtf decompress --uncompressed /dev/null; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)
