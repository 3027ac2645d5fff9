# cmake -P helper: writes the vendor scripts of one model from kml's templates/scripts/*.in and the
# values in the generated project's kml_manifest.json, plus sources.sha256 (hashes of the firmware
# and testbench sources and of kml's HLS templates).  Files are rewritten only when their content changes, so regenerating an
# identical project does not make the vendor steps run again.
# -D: KML_MODEL KML_FLOW KML_MANIFEST KML_PROJECT_DIR KML_TEMPLATES_DIR KML_OUT_DIR KML_PROJECT_NAME
#     KML_COMPONENT_DIR KML_RTL_DIR KML_VIVADO_DIR KML_COSIM_INPUT KML_COSIM_OUTPUT
#     KML_PART KML_CLOCK_PERIOD (overrides; empty = the manifest's) KML_HLS_CFLAGS
foreach(var KML_MODEL KML_FLOW KML_MANIFEST KML_PROJECT_DIR KML_TEMPLATES_DIR KML_OUT_DIR KML_RTL_DIR KML_VIVADO_DIR)
  if("${${var}}" STREQUAL "")
    message(FATAL_ERROR "KmlVendorScripts.cmake: ${var} is not set")
  endif()
endforeach()

file(READ "${KML_MANIFEST}" manifest)

# Reads a manifest member; `default` when it is absent or null.
function(_kml_manifest_get out key default)
  string(JSON value ERROR_VARIABLE err GET "${manifest}" ${key})
  if(err OR value STREQUAL "" OR value STREQUAL "null")
    set(value "${default}")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()

_kml_manifest_get(KML_IDENT ident "${KML_MODEL}")
_kml_manifest_get(KML_TOP top "${KML_IDENT}")
_kml_manifest_get(manifest_part part "")
_kml_manifest_get(manifest_clock clock_period "")
_kml_manifest_get(KML_CLOCK_UNCERTAINTY clock_uncertainty "")
set(KML_NAME "${KML_MODEL}")
set(KML_PART "${KML_PART}")
if(KML_PART STREQUAL "")
  set(KML_PART "${manifest_part}")
endif()
if(KML_CLOCK_PERIOD STREQUAL "")
  set(KML_CLOCK_PERIOD "${manifest_clock}")
endif()
if(KML_PART STREQUAL "" OR KML_CLOCK_PERIOD STREQUAL "")
  message(FATAL_ERROR "kml: ${KML_MODEL}: ${KML_MANIFEST} names no part or clock_period, and KML_PART / "
                      "KML_CLOCK_PERIOD are not set")
endif()
# Written into Tcl and .cfg files: plain words only (kml-convert refuses other parts in a config already;
# KML_PART / KML_CLOCK_PERIOD come from the cache).
foreach(word KML_PART KML_CLOCK_PERIOD KML_CLOCK_UNCERTAINTY KML_TOP)
  if(NOT "${${word}}" STREQUAL "" AND NOT "${${word}}" MATCHES "^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")
    message(FATAL_ERROR "kml: ${KML_MODEL}: ${word} '${${word}}' is not a plain word (letters, digits, _ . : + -); "
                        "it is written into the vendor tool's Tcl and .cfg files")
  endif()
endforeach()
if(KML_HLS_CFLAGS MATCHES "[][\"$\\{};\n]")
  message(FATAL_ERROR "kml: ${KML_MODEL}: KML_HLS_CFLAGS '${KML_HLS_CFLAGS}' holds a quote, $, bracket, brace, "
                      "backslash, ; or line break, which the Tcl scripts cannot carry")
endif()

# Source files, relative to the project in the manifest.
set(firmware "")
string(JSON n_fw ERROR_VARIABLE err LENGTH "${manifest}" sources firmware)
if(err OR n_fw EQUAL 0)
  set(firmware "${KML_PROJECT_DIR}/firmware/model.cpp")
else()
  math(EXPR last "${n_fw} - 1")
  foreach(i RANGE ${last})
    string(JSON f GET "${manifest}" sources firmware ${i})
    list(APPEND firmware "${KML_PROJECT_DIR}/${f}")
  endforeach()
endif()
_kml_manifest_get(tb_rel "sources;testbench" "tb/testbench.cpp")
set(testbench "${KML_PROJECT_DIR}/${tb_rel}")

# Vendor builds use the vendor's ap_fixed.h / hls_stream.h, so only the firmware directory and kml's
# HLS templates are on the include path (never kml's host runtime).
set(KML_CFLAGS "${KML_HLS_CFLAGS} -I${KML_PROJECT_DIR}/firmware -I${KML_TEMPLATES_DIR}")
string(REPLACE "|" ";" extra_includes "${KML_EXTRA_INCLUDES}")
foreach(dir IN LISTS extra_includes)  # TEMPLATE_DIRS of custom layers (extension API)
  string(APPEND KML_CFLAGS " -I${dir}")
endforeach()
string(STRIP "${KML_CFLAGS}" KML_CFLAGS)
set(KML_COSIM_ARGV "${KML_COSIM_INPUT} ${KML_COSIM_OUTPUT}")

# Tcl fragments.
set(KML_ADD_FILES_TCL "")
foreach(f IN LISTS firmware)
  string(APPEND KML_ADD_FILES_TCL "add_files {${f}} -cflags {${KML_CFLAGS}}\n")
endforeach()
string(APPEND KML_ADD_FILES_TCL "add_files -tb {${testbench}} -cflags {${KML_CFLAGS}}")
if(KML_FLOW STREQUAL "vivado_hls")
  set(KML_SOLUTION_OPTIONS "")
else()
  set(KML_SOLUTION_OPTIONS "-flow_target vivado")
endif()
if(KML_CLOCK_UNCERTAINTY STREQUAL "")
  set(KML_CLOCK_UNCERTAINTY_TCL "# clock uncertainty: the tool's default")
  set(KML_CLOCK_UNCERTAINTY_CFG "# clock_uncertainty: the tool's default")
else()
  # The manifest gives the uncertainty in percent of the clock period (as the config does).
  if(KML_CLOCK_UNCERTAINTY MATCHES "^[0-9.]+$")
    string(APPEND KML_CLOCK_UNCERTAINTY "%")
  endif()
  set(KML_CLOCK_UNCERTAINTY_TCL "set_clock_uncertainty ${KML_CLOCK_UNCERTAINTY}")
  set(KML_CLOCK_UNCERTAINTY_CFG "clock_uncertainty=${KML_CLOCK_UNCERTAINTY}")
endif()

# hls_config.cfg fragments (unified flow).
set(KML_CFG_FILES "")
foreach(f IN LISTS firmware)
  string(APPEND KML_CFG_FILES "syn.file=${f}\n")
endforeach()
string(APPEND KML_CFG_FILES "syn.cflags=${KML_CFLAGS}\ntb.file=${testbench}\ntb.cflags=${KML_CFLAGS}")

if(KML_FLOW STREQUAL "vitis")
  set(templates hls_config.cfg)
else()
  set(templates synth.tcl cosim.tcl export.tcl)
endif()
list(APPEND templates vivado_synth.tcl)
file(MAKE_DIRECTORY "${KML_OUT_DIR}")
foreach(t IN LISTS templates)
  set(in "${KML_TEMPLATES_DIR}/scripts/${t}.in")
  if(NOT EXISTS "${in}")
    message(FATAL_ERROR "kml: ${KML_MODEL}: vendor script template '${in}' is missing")
  endif()
  configure_file("${in}" "${KML_OUT_DIR}/${t}" @ONLY)
endforeach()

# Fingerprint of everything the vendor tools compile: the project's firmware and testbench, and kml's
# HLS templates they include.
set(fp "")
foreach(root "${KML_PROJECT_DIR}" "${KML_TEMPLATES_DIR}")
  if(root STREQUAL KML_PROJECT_DIR)
    set(patterns "${root}/firmware/*" "${root}/tb/*")
  else()
    set(patterns "${root}/kml/*")
  endif()
  file(GLOB_RECURSE sources LIST_DIRECTORIES false RELATIVE "${root}" ${patterns})
  list(SORT sources)
  foreach(f IN LISTS sources)
    file(SHA256 "${root}/${f}" h)
    string(APPEND fp "${h}  ${f}\n")
  endforeach()
endforeach()
string(APPEND fp "part ${KML_PART}\nclock ${KML_CLOCK_PERIOD}\n")
file(WRITE "${KML_OUT_DIR}/sources.sha256.tmp" "${fp}")
file(COPY_FILE "${KML_OUT_DIR}/sources.sha256.tmp" "${KML_OUT_DIR}/sources.sha256" ONLY_IF_DIFFERENT)
file(REMOVE "${KML_OUT_DIR}/sources.sha256.tmp")
