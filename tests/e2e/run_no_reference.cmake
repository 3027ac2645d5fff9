# A model without a reference file: convert -> compile the testbench -> run it on deterministic inputs; passes when
# the csim runs and writes one finite output line per sample (used where the corpus has no .io.h5).
#
# cmake -DKML_CONVERT=... -DCXX=... -DTEMPLATES=... -DRUNTIME=... -DMODEL=... -DWORK=... [-DWEIGHTS=...]
#       [-DPRECISION=float] -DN_INPUT=<values per sample> [-DSAMPLES=8] -P run_no_reference.cmake
include("${CMAKE_CURRENT_LIST_DIR}/e2e_common.cmake")
kml_e2e_require(run_no_reference.cmake KML_CONVERT CXX TEMPLATES RUNTIME MODEL WORK N_INPUT)
kml_e2e_skip_if_absent(MODEL WEIGHTS)
if(NOT DEFINED SAMPLES)
  set(SAMPLES 8)
endif()
kml_e2e_fresh_dir("${WORK}")


set(cfg_args)
if(DEFINED PRECISION)
  file(WRITE "${WORK}/config.toml" "[model]\nprecision = \"${PRECISION}\"\n")
  list(APPEND cfg_args -c "${WORK}/config.toml")
endif()
kml_e2e_weights_args(w_args)
run("conversion" "${KML_CONVERT}" convert "${MODEL}" -o "${WORK}/prj" -n model ${cfg_args} ${w_args})
run("testbench compilation" "${CXX}" -std=c++17 -O1 -w
    -I "${WORK}/prj/firmware" -I "${TEMPLATES}" -I "${RUNTIME}"
    "${WORK}/prj/tb/testbench.cpp" "${WORK}/prj/firmware/model.cpp" -o "${WORK}/testbench")

# Inputs in [-2, 2): a fixed integer hash of (sample, index), written as "<int>e-3".
set(text "")
math(EXPR last_s "${SAMPLES} - 1")
math(EXPR last_i "${N_INPUT} - 1")
foreach(s RANGE ${last_s})
  set(line "")
  foreach(i RANGE ${last_i})
    math(EXPR v "(${i} * 7919 + ${s} * 104729 + (${i} * ${i}) % 613) % 4001 - 2000")
    string(APPEND line "${v}e-3 ")
  endforeach()
  string(APPEND text "${line}\n")
endforeach()
file(WRITE "${WORK}/inputs.dat" "${text}")
run("csim" "${WORK}/testbench" "${WORK}/inputs.dat" "${WORK}/outputs.dat")
file(STRINGS "${WORK}/outputs.dat" lines)
list(LENGTH lines n)
if(NOT n EQUAL SAMPLES)
  message(FATAL_ERROR "csim wrote ${n} output lines for ${SAMPLES} samples")
endif()
foreach(l IN LISTS lines)
  if(l MATCHES "nan|inf" OR l STREQUAL "")
    message(FATAL_ERROR "csim output is not finite: ${l}")
  endif()
endforeach()
message("csim ran ${SAMPLES} samples (no reference to compare with)")
