# The multiplier-free dense path against the generic one: convert MODEL, check that the firmware uses
# kml::dense_po2, compile the testbench twice (as generated, and with -DKML_DENSE_FORCE_MULTIPLY, the generic
# multiplying kml::dense) and require byte-identical outputs on the inputs of IO.
#
# cmake -DKML_CONVERT=... -DCXX=... -DTEMPLATES=... -DRUNTIME=... -DMODEL=... -DIO=... -DWORK=... [-DWEIGHTS=...]
#       -P run_dense_po2.cmake
include("${CMAKE_CURRENT_LIST_DIR}/e2e_common.cmake")
set(KML_E2E_QUIET ON)
kml_e2e_skip_if_absent(MODEL IO WEIGHTS)
kml_e2e_fresh_dir("${WORK}")
kml_e2e_weights_args(w_args)
run("conversion" "${KML_CONVERT}" convert "${MODEL}" -o "${WORK}/prj" -n model ${w_args})
file(READ "${WORK}/prj/firmware/model.cpp" src)
string(REGEX MATCHALL "kml::dense_po2<" hits "${src}")
list(LENGTH hits n_po2)
if(n_po2 EQUAL 0)
  message(FATAL_ERROR "the firmware does not use kml::dense_po2")
endif()
run("test data extraction" "${KML_CONVERT}" testdata "${IO}" --manifest "${WORK}/prj/kml_manifest.json" -o "${WORK}/inputs.dat")
foreach(path shift multiply)
  set(def)
  if(path STREQUAL "multiply")
    set(def -DKML_DENSE_FORCE_MULTIPLY)
  endif()
  run("compilation (${path})" "${CXX}" -std=c++17 -O1 -w ${def} -I "${WORK}/prj/firmware" -I "${TEMPLATES}" -I "${RUNTIME}"
      "${WORK}/prj/tb/testbench.cpp" "${WORK}/prj/firmware/model.cpp" -o "${WORK}/tb_${path}")
  run("csim (${path})" "${WORK}/tb_${path}" "${WORK}/inputs.dat" "${WORK}/out_${path}.dat")
endforeach()
file(SHA256 "${WORK}/out_shift.dat" h1)
file(SHA256 "${WORK}/out_multiply.dat" h2)
if(NOT h1 STREQUAL h2)
  message(FATAL_ERROR "dense_po2 and the generic dense give different outputs")
endif()
message("${n_po2} dense_po2 layer(s); outputs identical to the generic multiplying dense")
