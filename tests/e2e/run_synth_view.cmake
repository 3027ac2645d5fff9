# The synthesis view of generated projects: each configuration of one model is converted and its firmware
# (every firmware/*.cpp) compiled as the HLS front end sees it: C++14, __SYNTHESIS__ defined, the vendor's
# ap_types headers first on the include path (read in place; in their simulation form, see synth_view_prelude.h),
# kml's hls_stream.h / hls_math.h behind them, -Wall and -Wvla (less -Wunknown-pragmas and -Wunused-label: the
# HLS pragmas and loop labels are for the HLS tool, which knows them). Compiled with every compiler in COMPILERS (clang++ and g++). A warning located in kml's code (the
# generated project, templates/, runtime/) fails the test; warnings inside the vendor's headers are reported only.
#
# cmake -DKML_CONVERT=... -DCOMPILERS="clang++|g++" -DTEMPLATES=... -DRUNTIME=... -DVENDOR=... -DMODEL=... -DWORK=...
#       -DCONFIGS=a.toml|b.toml [-DWEIGHTS=...] -P run_synth_view.cmake
cmake_policy(SET CMP0007 NEW)
include("${CMAKE_CURRENT_LIST_DIR}/e2e_common.cmake")
set(KML_E2E_QUIET ON)
kml_e2e_require(run_synth_view.cmake KML_CONVERT COMPILERS TEMPLATES RUNTIME VENDOR MODEL WORK CONFIGS)
if(NOT EXISTS "${VENDOR}/ap_fixed.h")
  message("KML_SKIP: the vendor's ap_types headers are absent (${VENDOR})")
  return()
endif()
kml_e2e_skip_if_absent(MODEL WEIGHTS)
string(REPLACE "|" ";" CONFIGS "${CONFIGS}")
list(REMOVE_ITEM CONFIGS "")
string(REPLACE "|" ";" COMPILERS "${COMPILERS}")
list(REMOVE_ITEM COMPILERS "")

kml_e2e_fresh_dir("${WORK}")
kml_e2e_weights_args(w_args)

set(k 0)
set(n_units 0)
foreach(cfg IN LISTS CONFIGS)
  set(d "${WORK}/v${k}")
  run("conversion (${cfg})" "${KML_CONVERT}" convert "${MODEL}" -o "${d}/prj" -n model -c "${cfg}" ${w_args})
  file(GLOB sources "${d}/prj/firmware/*.cpp")
  if(NOT sources)
    message(FATAL_ERROR "no firmware sources in ${d}/prj/firmware")
  endif()
  foreach(cxx IN LISTS COMPILERS)
    foreach(src IN LISTS sources)
      execute_process(COMMAND "${cxx}" -std=c++14 -fsyntax-only -D__SYNTHESIS__ -Wall -Wvla -Werror=vla -Wno-unknown-pragmas -Wno-unused-label
                              -include "${CMAKE_CURRENT_LIST_DIR}/synth_view_prelude.h" -I "${d}/prj/firmware" -I "${TEMPLATES}" -I "${VENDOR}" -I "${RUNTIME}" "${src}"
                      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
      # Warnings and errors whose location is not in the vendor's headers are kml's.
      string(REGEX MATCHALL "[^\n]*: (warning|error): [^\n]*" diags "${err}")
      set(ours "")
      foreach(line IN LISTS diags)
        string(FIND "${line}" "${VENDOR}/" at)
        if(NOT at EQUAL 0)
          string(APPEND ours "${line}\n")
        endif()
      endforeach()
      if(NOT rc EQUAL 0 OR NOT ours STREQUAL "")
        message("${err}")
        message(FATAL_ERROR "synthesis view (${cxx}, ${cfg}): ${src} does not compile cleanly:\n${ours}")
      endif()
      math(EXPR n_units "${n_units} + 1")
    endforeach()
  endforeach()
  math(EXPR k "${k} + 1")
endforeach()
message("synthesis view: ${k} configuration(s), ${n_units} compilation(s) clean (${COMPILERS})")
