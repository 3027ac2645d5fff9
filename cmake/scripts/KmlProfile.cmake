# cmake -P helper: numerical profile of one kml model (<t>_profile).
#   TEST_DATA's inputs -> float testbench (every node traced) and fixed-point testbench (every node traced)
#   -> kml-convert profile -> profile.json, profile.txt, profile.html in KML_DIR
# -D: KML_MODEL KML_CONVERT KML_FLOAT_TB KML_FIXED_TB KML_FLOAT_MANIFEST KML_FIXED_MANIFEST
#     KML_TEST_DATA ('|'-separated) KML_PROFILE_ARGS ('|'-separated: model, -c config, --set ...) KML_DIR
foreach(var KML_MODEL KML_CONVERT KML_FLOAT_TB KML_FIXED_TB KML_FLOAT_MANIFEST KML_FIXED_MANIFEST KML_TEST_DATA
            KML_PROFILE_ARGS KML_DIR)
  if("${${var}}" STREQUAL "")
    message(FATAL_ERROR "KmlProfile.cmake: ${var} is not set")
  endif()
endforeach()
string(REPLACE "|" ";" test_data "${KML_TEST_DATA}")
string(REPLACE "|" ";" profile_args "${KML_PROFILE_ARGS}")

foreach(f profile.json profile.txt profile.html)
  file(REMOVE "${KML_DIR}/${f}")
endforeach()
function(_kml_profile_run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "kml: ${KML_MODEL}_profile: ${what} failed (${rc})\n${out}${err}")
  endif()
  set(_kml_profile_out "${out}" PARENT_SCOPE)
endfunction()

foreach(kind float fixed)
  string(TOUPPER "${kind}" K)
  set(d "${KML_DIR}/${kind}")
  file(REMOVE_RECURSE "${d}")
  file(MAKE_DIRECTORY "${d}")
  # Each project gets its own input lines: the input types may differ (float vs the configured ones).
  _kml_profile_run("writing the ${kind} test inputs"
    "${KML_CONVERT}" testdata ${test_data} --manifest "${KML_${K}_MANIFEST}" -o "${d}/inputs.dat")
  _kml_profile_run("the ${kind} testbench" "${KML_${K}_TB}" "${d}/inputs.dat" "${d}/outputs.dat" "${d}/trace")
endforeach()
_kml_profile_run("kml-convert profile" "${KML_CONVERT}" profile ${profile_args}
  --float-trace "${KML_DIR}/float/trace" --fixed-trace "${KML_DIR}/fixed/trace" -o "${KML_DIR}")
message("${_kml_profile_out}")
message("kml: ${KML_MODEL}_profile: ${KML_DIR}/profile.html (and profile.json, profile.txt)")
