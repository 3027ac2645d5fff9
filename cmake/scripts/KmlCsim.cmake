# cmake -P helper: C simulation of one kml model.
#   test vectors (TEST_DATA .io.h5) -> inputs.dat -> testbench -> outputs.dat (+ trace/<node>.dat) -> csim_results.h5
# Every file is written under a temporary name and renamed when complete, and the old results are
# removed first, so an interrupted or failed run never leaves anything that looks finished.
# -D: KML_MODEL KML_CONVERT KML_TESTBENCH KML_MANIFEST KML_TEST_DATA KML_DIR KML_RESULTS
#     [KML_CHECKS: '|'-separated extra arguments of `kml-convert results`, e.g. --min-argmax|0.95]
foreach(var KML_MODEL KML_CONVERT KML_TESTBENCH KML_MANIFEST KML_TEST_DATA KML_DIR KML_RESULTS)
  if("${${var}}" STREQUAL "")
    message(FATAL_ERROR "KmlCsim.cmake: ${var} is not set")
  endif()
endforeach()

set(inputs "${KML_DIR}/inputs.dat")
set(outputs "${KML_DIR}/outputs.dat")
# Per-node traces (trace = true): written by the testbench, collected into csim_results.h5 under trace/<layer>.
set(trace_dir "${KML_DIR}/trace")
file(REMOVE_RECURSE "${trace_dir}")
string(REGEX REPLACE "\\.h5$" "" summary "${KML_RESULTS}")
set(summary "${summary}.json")  # csim_results.json: the figures, for kml-report
file(REMOVE "${inputs}" "${outputs}" "${KML_RESULTS}" "${summary}")
file(MAKE_DIRECTORY "${KML_DIR}")
get_filename_component(results_dir "${KML_RESULTS}" DIRECTORY)
file(MAKE_DIRECTORY "${results_dir}")

string(REPLACE "|" ";" checks "${KML_CHECKS}")

function(_kml_csim_run what final tmp)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    file(REMOVE "${tmp}")
    if(rc EQUAL 2 AND checks)
      # kml-convert results: exit code 2 = the results were computed but fail the requested checks.
      list(JOIN checks " " checks_text)
      message(FATAL_ERROR "kml: ${KML_MODEL}_csim: the C simulation fails its checks (${checks_text})")
    endif()
    message(FATAL_ERROR "kml: ${KML_MODEL}_csim: ${what} failed (${rc})")
  endif()
  if(NOT EXISTS "${tmp}")
    message(FATAL_ERROR "kml: ${KML_MODEL}_csim: ${what} wrote nothing\n  expected ${tmp}")
  endif()
  file(RENAME "${tmp}" "${final}")
endfunction()

_kml_csim_run("writing the test inputs" "${inputs}" "${KML_DIR}/inputs.tmp.dat"
  "${KML_CONVERT}" testdata "${KML_TEST_DATA}" --manifest "${KML_MANIFEST}" -o "${KML_DIR}/inputs.tmp.dat")
_kml_csim_run("the testbench" "${outputs}" "${KML_DIR}/outputs.tmp.dat"
  "${KML_TESTBENCH}" "${inputs}" "${KML_DIR}/outputs.tmp.dat" "${trace_dir}")
get_filename_component(results_name "${KML_RESULTS}" NAME_WE)
set(results_tmp "${results_dir}/${results_name}.tmp.h5")
_kml_csim_run("collecting the results" "${KML_RESULTS}" "${results_tmp}"
  "${KML_CONVERT}" results --manifest "${KML_MANIFEST}" --results "${outputs}" --reference "${KML_TEST_DATA}"
  --trace-dir "${trace_dir}" -o "${results_tmp}" --summary "${summary}" ${checks})
