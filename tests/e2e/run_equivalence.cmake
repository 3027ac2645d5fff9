# Bit-exactness between implementation strategies: the same model converted with several configurations
# (io_parallel / io_stream, Latency / Resource with reuse factors, ...) must give byte-identical csim results and
# per-layer traces. The first configuration is also checked against the Keras reference (CHECK_ARGS).
#
# cmake -DKML_CONVERT=... -DCXX=... -DTEMPLATES=... -DRUNTIME=... -DMODEL=... -DIO=... -DWORK=...
#       -DCONFIGS=a.toml;b.toml;... [-DWEIGHTS=...] [-DCHECK_ARGS=...] [-DVARIANT_CHECK_ARGS=...] -P run_equivalence.cmake
# With VARIANT_CHECK_ARGS (e.g. "--tolerance 1e-3"), variants are compared with variant 0's outputs by
# `kml-convert results` with those checks instead of byte for byte (precision = "auto" against a wide run).
cmake_policy(SET CMP0007 NEW)
include("${CMAKE_CURRENT_LIST_DIR}/e2e_common.cmake")
set(KML_E2E_QUIET ON)
kml_e2e_require(run_equivalence.cmake KML_CONVERT CXX TEMPLATES RUNTIME MODEL IO WORK CONFIGS)
kml_e2e_skip_if_absent(MODEL IO WEIGHTS)

string(REPLACE "|" ";" CONFIGS "${CONFIGS}")  # add_test splits ';', so the caller separates with '|'
list(REMOVE_ITEM CONFIGS "")

kml_e2e_fresh_dir("${WORK}")


kml_e2e_weights_args(w_args)
separate_arguments(check_extra UNIX_COMMAND "${CHECK_ARGS}")

set(k 0)
set(first "")
foreach(cfg IN LISTS CONFIGS)
  set(d "${WORK}/v${k}")
  file(MAKE_DIRECTORY "${d}/trace")
  file(READ "${cfg}" cfg_text)
  string(REPLACE "\n" " | " cfg_line "${cfg_text}")
  message("variant ${k}: ${cfg_line}")
  run("conversion (${cfg})" "${KML_CONVERT}" convert "${MODEL}" -o "${d}/prj" -n model -c "${cfg}" ${w_args})
  run("testbench compilation (${cfg})" "${CXX}" -std=c++17 -O1 -w -I "${d}/prj/firmware" -I "${TEMPLATES}"
      -I "${RUNTIME}" "${d}/prj/tb/testbench.cpp" "${d}/prj/firmware/model.cpp" -o "${d}/testbench")
  if(k EQUAL 0)
    run("test data extraction" "${KML_CONVERT}" testdata "${IO}" --manifest "${d}/prj/kml_manifest.json"
        -o "${WORK}/inputs.dat")
  endif()
  execute_process(COMMAND "${d}/testbench" "${WORK}/inputs.dat" "${d}/outputs.dat" "${d}/trace"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0 OR err MATCHES "Hls::stream")  # a FIFO read while empty or left with data is a bug
    message("${out}${err}")
    message(FATAL_ERROR "csim (${cfg}) failed (exit ${rc})")
  endif()
  file(READ "${d}/prj/kml_manifest.json" manifest)
  string(JSON n_layers LENGTH "${manifest}" layers)
  set(types "")
  math(EXPR last "${n_layers} - 1")
  foreach(i RANGE ${last})
    string(JSON lname GET "${manifest}" layers ${i} name)
    string(JSON prec GET "${manifest}" layers ${i} precision)
    string(REGEX REPLACE "[ \n]+" " " prec "${prec}")
    string(APPEND types "  ${lname}: ${prec}\n")
  endforeach()
  message("variant ${k} types:\n${types}")
  if(k EQUAL 0)
    run("comparison with the reference" "${KML_CONVERT}" results --manifest "${d}/prj/kml_manifest.json"
        --results "${d}/outputs.dat" --reference "${IO}" --trace-dir "${d}/trace" -o "${d}/csim_results.h5"
        ${check_extra})
    set(first "${d}")
  elseif(DEFINED VARIANT_CHECK_ARGS AND NOT VARIANT_CHECK_ARGS STREQUAL "")
    separate_arguments(variant_check UNIX_COMMAND "${VARIANT_CHECK_ARGS}")
    execute_process(COMMAND "${KML_CONVERT}" results --manifest "${d}/prj/kml_manifest.json" --results "${d}/outputs.dat"
                            --reference "${first}/csim_results.h5" -o "${d}/csim_results.h5" ${variant_check}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    message("variant ${k} vs variant 0:\n${out}${err}")
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "variant ${k} (${cfg}): outputs differ from variant 0 beyond ${VARIANT_CHECK_ARGS}")
    endif()
  else()
    execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${first}/outputs.dat" "${d}/outputs.dat"
                    RESULT_VARIABLE same)
    if(NOT same EQUAL 0)
      message(FATAL_ERROR "variant ${k} (${cfg}): outputs differ from variant 0 (${first}/outputs.dat vs ${d}/outputs.dat)")
    endif()
    file(GLOB traces RELATIVE "${first}/trace" "${first}/trace/*.dat")
    file(GLOB traces_k RELATIVE "${d}/trace" "${d}/trace/*.dat")
    list(LENGTH traces n0)
    list(LENGTH traces_k n1)
    if(NOT n0 EQUAL n1)
      message(FATAL_ERROR "variant ${k} (${cfg}): ${n1} trace files, variant 0 wrote ${n0}")
    endif()
    foreach(t IN LISTS traces)
      execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${first}/trace/${t}" "${d}/trace/${t}"
                      RESULT_VARIABLE same)
      if(NOT same EQUAL 0)
        message(FATAL_ERROR "variant ${k} (${cfg}): trace ${t} differs from variant 0")
      endif()
    endforeach()
    message("variant ${k}: outputs and ${n0} layer traces bit-identical to variant 0")
  endif()
  math(EXPR k "${k} + 1")
endforeach()
