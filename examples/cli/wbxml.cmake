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
# --validate: a corpus-like Sync request (XML -> WBXML checked on encode and on decode, both
# option spellings) passes; a Provision request with the 16.1-only AccountOnlyRemoteWipe passes
# under 16.1 and fails under 14.1 with exit 2 and the element path; a --version the validator does not know exits 1.
set(oxwire_sync_request "<Sync xmlns=\"AirSync:\" xmlns:airsyncbase=\"AirSyncBase:\"><Collections><Collection>\
<SyncKey>2</SyncKey><CollectionId>C1</CollectionId><DeletesAsMoves>1</DeletesAsMoves><GetChanges>1</GetChanges>\
<WindowSize>8</WindowSize><Options><FilterType>4</FilterType><Conflict>1</Conflict><airsyncbase:BodyPreference>\
<airsyncbase:Type>1</airsyncbase:Type><airsyncbase:TruncationSize>20480</airsyncbase:TruncationSize>\
</airsyncbase:BodyPreference></Options></Collection></Collections></Sync>")
add_test(NAME examples.wbxml_validate_ok
  COMMAND sh -c "printf '%s' \"$1\" | \"$0\" wbxml encode --validate --version 14.1 \
| \"$0\" wbxml decode --validate --version=16.1 >/dev/null"
    $<TARGET_FILE:oxwire_cli> ${oxwire_sync_request})
add_test(NAME examples.wbxml_validate_version
  COMMAND sh -c "printf '%s' '<Provision xmlns=\"Provision:\"><AccountOnlyRemoteWipe><Status>1</Status></AccountOnlyRemoteWipe></Provision>' \
| \"$0\" wbxml encode --validate >/dev/null || exit 1; \
out=$(printf '%s' '<Provision xmlns=\"Provision:\"><AccountOnlyRemoteWipe><Status>1</Status></AccountOnlyRemoteWipe></Provision>' \
| \"$0\" wbxml encode | \"$0\" wbxml decode --validate --version 14.1 2>&1 >/dev/null); rc=$?; [ $rc -eq 2 ] && \
[ \"$out\" = 'error: element not in this protocol version (AccountOnlyRemoteWipe) at offset 7 in Provision/AccountOnlyRemoteWipe' ]"
    $<TARGET_FILE:oxwire_cli>)
add_test(NAME examples.wbxml_validate_bad_version
  COMMAND sh -c "printf '<FolderSync xmlns=\"FolderHierarchy:\"><SyncKey>0</SyncKey></FolderSync>' \
| \"$0\" wbxml encode --validate --version 2.5 >/dev/null 2>&1; [ $? -eq 1 ]" $<TARGET_FILE:oxwire_cli>)
