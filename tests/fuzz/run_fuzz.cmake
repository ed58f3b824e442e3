# Runs one fuzz target for SECONDS on a scratch corpus seeded from the committed seeds.
if(NOT IS_DIRECTORY ${SEEDS})
  message(FATAL_ERROR "no seeds at ${SEEDS}")
endif()
file(REMOVE_RECURSE ${CORPUS})
file(COPY ${SEEDS}/ DESTINATION ${CORPUS})
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
                        -print_final_stats=1 -artifact_prefix=${CORPUS}-crash- ${CORPUS}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer found a failure (exit ${rc}); the input is saved as ${CORPUS}-crash-*")
endif()
