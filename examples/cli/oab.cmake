# `oxwire oab dump` decompresses LZX files through libmspack (Debian libmspack-dev) and checks
# block CRCs with libdeflate.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBMSPACK REQUIRED IMPORTED_TARGET libmspack)
target_link_libraries(oxwire_cli PRIVATE PkgConfig::LIBMSPACK PkgConfig::LIBDEFLATE)

set(OXWIRE_OAB_SEEDS ${PROJECT_SOURCE_DIR}/tests/fuzz/seeds/oab)
# A small file made by our writer (the fuzz seed small.oab): schema, header record, one record.
add_test(NAME examples.oab_dump COMMAND oxwire_cli oab dump ${OXWIRE_OAB_SEEDS}/small.oab)
set_tests_properties(examples.oab_dump PROPERTIES PASS_REGULAR_EXPRESSION
  "\"serial\": \"0x12345678\",\n  \"record_count\": 1,.*\"object_properties\": \\[.*{\"tag\": \"0x39FE001F\", \"name\": \"PidTagSmtpAddress\", \"anr\": false, \"primary_key\": true},.*\\],\n  \"header\": {\n    \"PidTagOfflineAddressBookName\": \"GAL\"},\n  \"records\": \\[\n    {\n      \"PidTagDisplayName\": \"Ann\",\n      \"PidTagDisplayType\": 0,\n      \"PidTagSmtpAddress\": \"a@b\"}\\]")
# The same kind of file in the compressed form (uncompressed LZX_BLKs), through libmspack:
# every type of the generated schema.
add_test(NAME examples.oab_dump_compressed COMMAND oxwire_cli oab dump ${OXWIRE_OAB_SEEDS}/generated.lzx)
set_tests_properties(examples.oab_dump_compressed PROPERTIES PASS_REGULAR_EXPRESSION
  "\"record_count\": 3,.*\"PidTagSmtpAddress\": \"user2@example.com\".*\\[0, 127, 128, 65535, 65536, 16777216, -1\\]")
# Not an OAB file: the message on stderr, exit status 2.
add_test(NAME examples.oab_dump_error
  COMMAND sh -c "out=$(printf 'nope nope nope' | \"$0\" oab dump 2>&1 >/dev/null); rc=$?; \
[ $rc -eq 2 ] && [ \"$out\" = 'error: not an OAB version 4 full details file (bad ulVersion) (ulVersion) at offset 0' ]"
    $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.oab_usage
  COMMAND sh -c "\"$0\" oab dump --nope /dev/null; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)
