# One end-to-end check of a model: convert -> compile the testbench with kml's own headers -> run it on the
# reference inputs -> compare with the reference outputs (kml-convert results does the comparison).
#
# cmake -DKML_CONVERT=... -DCXX=... -DTEMPLATES=... -DRUNTIME=... -DMODEL=... -DIO=... -DWORK=...
#       [-DWEIGHTS=...] [-DPRECISION="float"] [-DCONFIG=file.toml] [-DCONVERT_ARGS=...] [-DCHECK_ARGS=...]
#       -P run_model.cmake
foreach(v KML_CONVERT CXX TEMPLATES RUNTIME MODEL IO WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "run_model.cmake: ${v} is not set")
  endif()
endforeach()
foreach(f MODEL IO WEIGHTS)
  if(DEFINED ${f} AND NOT "${${f}}" STREQUAL "" AND NOT EXISTS "${${f}}")
    message("KML_SKIP: reference file ${${f}} is absent")
    return()
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}${err}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc})")
  endif()
endfunction()

set(cfg_args)
if(DEFINED PRECISION)
  file(WRITE "${WORK}/config.toml" "[model]\nprecision = \"${PRECISION}\"\n${CONFIG_EXTRA}\n")
  list(APPEND cfg_args -c "${WORK}/config.toml")
elseif(DEFINED CONFIG)
  list(APPEND cfg_args -c "${CONFIG}")
endif()
set(w_args)
if(DEFINED WEIGHTS AND NOT WEIGHTS STREQUAL "")
  set(w_args --weights "${WEIGHTS}")
endif()
separate_arguments(convert_extra UNIX_COMMAND "${CONVERT_ARGS}")
set(extra_includes)  # -DEXTRA_INCLUDES="dir1;dir2": template directories of plugins
foreach(d ${EXTRA_INCLUDES})
  list(APPEND extra_includes -I "${d}")
endforeach()
separate_arguments(check_extra UNIX_COMMAND "${CHECK_ARGS}")

run("conversion" "${KML_CONVERT}" convert "${MODEL}" -o "${WORK}/prj" -n model ${cfg_args} ${w_args} ${convert_extra})
run("testbench compilation" "${CXX}" -std=c++17 -O1 -w
    -I "${WORK}/prj/firmware" -I "${TEMPLATES}" -I "${RUNTIME}" ${extra_includes}
    "${WORK}/prj/tb/testbench.cpp" "${WORK}/prj/firmware/model.cpp" -o "${WORK}/testbench")
run("test data extraction" "${KML_CONVERT}" testdata "${IO}" --manifest "${WORK}/prj/kml_manifest.json" -o "${WORK}/inputs.dat")
file(MAKE_DIRECTORY "${WORK}/trace")
run("csim" "${WORK}/testbench" "${WORK}/inputs.dat" "${WORK}/outputs.dat" "${WORK}/trace")
run("comparison" "${KML_CONVERT}" results --manifest "${WORK}/prj/kml_manifest.json" --results "${WORK}/outputs.dat"
    --reference "${IO}" --trace-dir "${WORK}/trace" -o "${WORK}/csim_results.h5" ${check_extra})
