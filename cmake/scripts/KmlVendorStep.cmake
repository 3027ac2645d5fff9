# cmake -P helper: runs one vendor step (HLS synthesis, co-simulation, export, Vivado synthesis).
#   1. locks the model's work directory (steps of one model never overlap; models run in parallel),
#   2. removes the step's previous results, so a failed or interrupted run leaves nothing finished,
#   3. runs the tool in KML_WORK_DIR with all its output in KML_LOG (written as <log>.tmp, then renamed),
#   4. checks that every expected product exists (no silent "report not found" later),
#   5. copies each product to its destination under a temporary name and renames it into place.
# -D: KML_MODEL KML_STEP KML_FLOW KML_TOOL KML_ARGS(list) KML_WORK_DIR KML_LOCK KML_LOG KML_MANIFEST
#     KML_PRODUCTS(list; "@TOP@" is replaced by the manifest's top function) KML_DESTINATIONS(list)
foreach(var KML_MODEL KML_STEP KML_TOOL KML_WORK_DIR KML_LOCK KML_LOG KML_PRODUCTS KML_DESTINATIONS)
  if("${${var}}" STREQUAL "")
    message(FATAL_ERROR "KmlVendorStep.cmake: ${var} is not set")
  endif()
endforeach()
set(what "kml: ${KML_MODEL}_${KML_STEP}")

if(KML_PRODUCTS MATCHES "@TOP@")
  file(READ "${KML_MANIFEST}" manifest_text)
  string(JSON top ERROR_VARIABLE err GET "${manifest_text}" top)
  if(err)
    string(JSON top GET "${manifest_text}" ident)
  endif()
  string(REPLACE "@TOP@" "${top}" KML_PRODUCTS "${KML_PRODUCTS}")
endif()
list(LENGTH KML_PRODUCTS n_products)
list(LENGTH KML_DESTINATIONS n_destinations)
if(NOT n_products EQUAL n_destinations)
  message(FATAL_ERROR "KmlVendorStep.cmake: ${n_products} products but ${n_destinations} destinations")
endif()

file(MAKE_DIRECTORY "${KML_WORK_DIR}")
get_filename_component(log_dir "${KML_LOG}" DIRECTORY)
file(MAKE_DIRECTORY "${log_dir}")
file(LOCK "${KML_LOCK}" GUARD PROCESS TIMEOUT 172800 RESULT_VARIABLE lock_rc)
if(NOT lock_rc EQUAL 0)
  message(FATAL_ERROR "${what}: cannot lock the work directory\n  ${KML_LOCK}: ${lock_rc}")
endif()

foreach(path IN LISTS KML_DESTINATIONS KML_PRODUCTS)
  file(REMOVE_RECURSE "${path}")
endforeach()

get_filename_component(tool_name "${KML_TOOL}" NAME)
string(TIMESTAMP started "%s")
execute_process(
  COMMAND "${KML_TOOL}" ${KML_ARGS}
  WORKING_DIRECTORY "${KML_WORK_DIR}"
  OUTPUT_FILE "${KML_LOG}.tmp"
  ERROR_FILE "${KML_LOG}.tmp"
  RESULT_VARIABLE rc)
string(TIMESTAMP finished "%s")
math(EXPR seconds "${finished} - ${started}")
file(RENAME "${KML_LOG}.tmp" "${KML_LOG}")

# The end of the log, for failure messages.
function(_kml_log_tail out)
  file(SIZE "${KML_LOG}" size)
  set(offset 0)
  if(size GREATER 4000)
    math(EXPR offset "${size} - 4000")
  endif()
  file(READ "${KML_LOG}" tail OFFSET ${offset})
  string(STRIP "${tail}" tail)
  string(REPLACE "\n" "\n    " tail "${tail}")
  set(${out} "${tail}" PARENT_SCOPE)
endfunction()

if(NOT rc EQUAL 0)
  _kml_log_tail(tail)
  message(FATAL_ERROR "${what}: ${tool_name} failed (${rc}) after ${seconds} s\n"
                      "  log: ${KML_LOG}\n  end of the log:\n    ${tail}\n")
endif()

set(missing "")
foreach(path IN LISTS KML_PRODUCTS)
  if(NOT EXISTS "${path}")
    list(APPEND missing "${path}")
  endif()
endforeach()
if(missing)
  list(JOIN missing "\n  " missing_text)
  _kml_log_tail(tail)
  message(FATAL_ERROR "${what}: ${tool_name} exited successfully but did not produce\n  ${missing_text}\n"
                      "  log: ${KML_LOG}\n  end of the log:\n    ${tail}\n")
endif()

foreach(product destination IN ZIP_LISTS KML_PRODUCTS KML_DESTINATIONS)
  get_filename_component(dest_dir "${destination}" DIRECTORY)
  file(MAKE_DIRECTORY "${dest_dir}")
  set(tmp "${destination}.kml-tmp")
  file(REMOVE_RECURSE "${tmp}")
  if(IS_DIRECTORY "${product}")
    file(COPY "${product}/" DESTINATION "${tmp}")
  else()
    file(COPY_FILE "${product}" "${tmp}")
  endif()
  file(RENAME "${tmp}" "${destination}")
  # file(COPY) keeps the tool's time stamps, which may be older than this step's inputs: the published
  # results get the time of publication, so that Ninja sees the step as done.
  if(IS_DIRECTORY "${destination}")
    file(GLOB_RECURSE published LIST_DIRECTORIES false "${destination}/*")
  else()
    set(published "${destination}")
  endif()
  foreach(f IN LISTS published)
    file(TOUCH_NOCREATE "${f}")
  endforeach()
endforeach()
message("${what}: ${tool_name} finished in ${seconds} s (log: ${KML_LOG})")
