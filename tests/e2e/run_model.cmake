# One end-to-end check of a model: convert -> compile the testbench with kml's own headers -> run it on the
# reference inputs -> compare with the reference outputs (kml-convert results does the comparison).
#
# cmake -DKML_CONVERT=... -DCXX=... -DTEMPLATES=... -DRUNTIME=... -DMODEL=... -DIO=... -DWORK=...
#       [-DWEIGHTS=...] [-DPRECISION="float"] [-DCONFIG=file.toml] [-DCONVERT_ARGS=...] [-DCHECK_ARGS=...]
#       -P run_model.cmake
include("${CMAKE_CURRENT_LIST_DIR}/e2e_common.cmake")
kml_e2e_require(run_model.cmake KML_CONVERT CXX TEMPLATES RUNTIME MODEL IO WORK)
kml_e2e_skip_if_absent(MODEL IO WEIGHTS)

kml_e2e_fresh_dir("${WORK}")


set(cfg_args)
if(DEFINED PRECISION)
  file(WRITE "${WORK}/config.toml" "[model]\nprecision = \"${PRECISION}\"\n${CONFIG_EXTRA}\n")
  list(APPEND cfg_args -c "${WORK}/config.toml")
elseif(DEFINED CONFIG)
  list(APPEND cfg_args -c "${CONFIG}")
endif()
kml_e2e_weights_args(w_args)
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
