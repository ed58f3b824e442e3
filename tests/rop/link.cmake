# test_rop_examples reads specs/rop-examples.json and specs/requirements/MS-OXCROPS.json.
target_compile_definitions(${target} PRIVATE OXWIRE_SPECS_DIR="${PROJECT_SOURCE_DIR}/specs")
