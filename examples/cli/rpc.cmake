# `oxwire rpc`: pack (compressed, obfuscated) then unpack gives the payload back byte for byte.
add_test(NAME examples.rpc_round_trip
  COMMAND sh -c "\"$0\" rpc pack --compress --xor \"$1\" | \"$0\" rpc unpack | cmp - \"$1\""
          $<TARGET_FILE:oxwire_cli> ${PROJECT_SOURCE_DIR}/README.md)
