# Shared steps of the end-to-end runner scripts (run_*.cmake), included with include().

# Fail unless every named variable was passed with -D.
function(kml_e2e_require script)
  foreach(v IN LISTS ARGN)
    if(NOT DEFINED ${v})
      message(FATAL_ERROR "${script}: ${v} is not set")
    endif()
  endforeach()
endfunction()

# Report the test as skipped (tests/e2e/CMakeLists.txt sets SKIP_REGULAR_EXPRESSION "KML_SKIP") and end the
# calling script when one of the named input files is absent (the shared corpus is optional).
macro(kml_e2e_skip_if_absent)
  foreach(_kml_f ${ARGN})
    if(DEFINED ${_kml_f} AND NOT "${${_kml_f}}" STREQUAL "" AND NOT EXISTS "${${_kml_f}}")
      message("KML_SKIP: input file ${${_kml_f}} is absent")
      return()
    endif()
  endforeach()
endmacro()

# An empty work directory.
function(kml_e2e_fresh_dir dir)
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}")
endfunction()

# Run a command and fail naming the step when it fails. Its output is printed, or only on failure when the
# script set KML_E2E_QUIET.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT KML_E2E_QUIET OR NOT rc EQUAL 0)
    message("${out}${err}")
  endif()
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (exit ${rc})")
  endif()
endfunction()

# --weights W when WEIGHTS was given.
function(kml_e2e_weights_args out)
  set(args "")
  if(DEFINED WEIGHTS AND NOT WEIGHTS STREQUAL "")
    set(args --weights "${WEIGHTS}")
  endif()
  set(${out} "${args}" PARENT_SCOPE)
endfunction()
