# cmake -P helper: C simulation of one kml model.
#   test vectors (TEST_DATA: an .io.h5, or one .npy per input) -> inputs.dat -> testbench -> outputs.dat (+ trace/<node>.dat) -> csim_results.h5
# Every file is written under a temporary name and renamed when complete, and the old results are
# removed first, so an interrupted or failed run never leaves anything that looks finished.
# -D: KML_MODEL KML_CONVERT KML_TESTBENCH KML_MANIFEST KML_TEST_DATA ('|'-separated) KML_DIR KML_RESULTS
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
string(REPLACE "|" ";" test_data "${KML_TEST_DATA}")
# An .io.h5 is also the reference (y*, trace/<layer>); .npy files are inputs only.
set(reference_args --reference "${test_data}")
if(test_data MATCHES "\\.[nN][pP][yY](;|$)")
  set(reference_args "")
endif()

# Runs one step; its output is shown unless OUTPUT_VARIABLE-like capture is asked for with QUIET <var>.
function(_kml_csim_run what final tmp)
  cmake_parse_arguments(PARSE_ARGV 3 arg "" "QUIET" "COMMAND")
  if(arg_QUIET)
    execute_process(COMMAND ${arg_COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE captured)
    set(${arg_QUIET} "${captured}" PARENT_SCOPE)
  else()
    execute_process(COMMAND ${arg_COMMAND} RESULT_VARIABLE rc)
  endif()
  if(NOT rc EQUAL 0)
    # Nothing that looks finished: the build must not take a failed run's results as up to date.
    file(REMOVE "${tmp}" "${final}" "${summary}")
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
  if(NOT tmp STREQUAL final)
    file(RENAME "${tmp}" "${final}")
  endif()
endfunction()

_kml_csim_run("writing the test inputs" "${inputs}" "${KML_DIR}/inputs.tmp.dat" COMMAND
  "${KML_CONVERT}" testdata ${test_data} --manifest "${KML_MANIFEST}" -o "${KML_DIR}/inputs.tmp.dat")
# The testbench writes under a temporary name; its message would name that file, so kml says it instead.
_kml_csim_run("the testbench" "${outputs}" "${KML_DIR}/outputs.tmp.dat" QUIET tb_out COMMAND
  "${KML_TESTBENCH}" "${inputs}" "${KML_DIR}/outputs.tmp.dat" "${trace_dir}")
string(REGEX MATCH "([0-9]+) samples" tb_samples "${tb_out}")
file(GLOB trace_files "${trace_dir}/*.dat")
list(LENGTH trace_files n_traces)
set(traced "")
if(n_traces GREATER 0)
  set(traced ", ${n_traces} traced nodes -> ${trace_dir}/")
endif()
message("kml: ${KML_MODEL}_csim: testbench ran ${tb_samples} -> ${outputs}${traced}")
# kml-convert results writes csim_results.h5 and the summary atomically itself (and names the final files).
_kml_csim_run("collecting the results" "${KML_RESULTS}" "${KML_RESULTS}" COMMAND
  "${KML_CONVERT}" results --manifest "${KML_MANIFEST}" --results "${outputs}" ${reference_args}
  --trace-dir "${trace_dir}" -o "${KML_RESULTS}" --summary "${summary}" ${checks})
