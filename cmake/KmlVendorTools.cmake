# Finds the AMD/Xilinx tools behind kml's vendor targets (<model>_synth, _cosim, _export, _vsynth).
#
# Flows (cache variable KML_HLS_TOOL):
#   vitis_hls   classic Vitis HLS (<= 2024.1):          vitis_hls -f <script>.tcl
#   vitis       unified Vitis (2023.2+, the only HLS flow from 2024.2 on):
#                 v++ -c --mode hls --config hls_config.cfg --work_dir <dir>   (synthesis)
#                 vitis-run --mode hls --cosim|--package --config ... --work_dir <dir>
#   vitis_tcl   the classic Tcl scripts run by a unified install: vitis-run --mode hls --tcl <script>.tcl
#   vivado_hls  Vivado HLS (<= 2020.1):                  vivado_hls -f <script>.tcl
#   auto        the first of vitis_hls, vitis, vivado_hls that is found (default)
#   none        never look for vendor tools
# Vivado (for <model>_vsynth) is searched only next to the HLS install that was chosen, so every
# step of a build uses one release.
#
# Hints: the cache variables KML_XILINX_HLS, KML_XILINX_VITIS, KML_XILINX_VIVADO (install roots
# holding bin/), which default to the XILINX_HLS / XILINX_VITIS / XILINX_VIVADO environment variables
# set by the vendor's settings64.sh.  When a hint is set, the tool is taken from that root only.
# The executables themselves are cache variables too (KML_VITIS_HLS_EXECUTABLE, KML_VPP_EXECUTABLE,
# KML_VITIS_RUN_EXECUTABLE, KML_VIVADO_HLS_EXECUTABLE, KML_VIVADO_EXECUTABLE) and may be set directly.
#
# Results (global properties, read by kml.cmake): KML_HLS_FLOW (empty when nothing was found),
# KML_HLS_EXECUTABLE, KML_HLS_RUN_EXECUTABLE (vitis-run for the unified flow, else the same as
# KML_HLS_EXECUTABLE), KML_HLS_VERSION, KML_VIVADO_EXECUTABLE (empty when not found),
# KML_VENDOR_TOOLS_SEARCHED (names of what was looked for, for error messages).
include_guard(GLOBAL)

set(KML_HLS_TOOL "auto" CACHE STRING
  "HLS flow for kml's vendor targets: auto, vitis_hls, vitis (unified v++/vitis-run), vitis_tcl, vivado_hls, none")
set_property(CACHE KML_HLS_TOOL PROPERTY STRINGS auto vitis_hls vitis vitis_tcl vivado_hls none)
set(KML_XILINX_HLS "$ENV{XILINX_HLS}" CACHE PATH "Vitis HLS install root (holds bin/vitis_hls); default $XILINX_HLS")
set(KML_XILINX_VITIS "$ENV{XILINX_VITIS}" CACHE PATH "Vitis install root (holds bin/v++, bin/vitis-run); default $XILINX_VITIS")
set(KML_XILINX_VIVADO "$ENV{XILINX_VIVADO}" CACHE PATH "Vivado install root (holds bin/vivado); default $XILINX_VIVADO")
# A hint left empty by an earlier configure follows the environment once the vendor's settings64.sh
# has been sourced (an explicit value is never overridden).
foreach(_kml_hint HLS VITIS VIVADO)
  if("${KML_XILINX_${_kml_hint}}" STREQUAL "" AND NOT "$ENV{XILINX_${_kml_hint}}" STREQUAL "")
    set_property(CACHE KML_XILINX_${_kml_hint} PROPERTY VALUE "$ENV{XILINX_${_kml_hint}}")
  endif()
endforeach()
unset(_kml_hint)

# Forget cached executables when the flow or a hint changed, so a new choice is not shadowed by the
# result of an earlier search.
function(_kml_vendor_reset_if_changed)
  set(key "${KML_HLS_TOOL}|${KML_XILINX_HLS}|${KML_XILINX_VITIS}|${KML_XILINX_VIVADO}")
  if(DEFINED CACHE{_KML_VENDOR_SEARCH_KEY} AND NOT "$CACHE{_KML_VENDOR_SEARCH_KEY}" STREQUAL "${key}")
    foreach(var KML_VITIS_HLS_EXECUTABLE KML_VPP_EXECUTABLE KML_VITIS_RUN_EXECUTABLE
                KML_VIVADO_HLS_EXECUTABLE KML_VIVADO_EXECUTABLE)
      unset(${var} CACHE)
    endforeach()
  endif()
  set(_KML_VENDOR_SEARCH_KEY "${key}" CACHE INTERNAL "")
endfunction()

# find_program(<var> NAMES <name>) in <hint>/bin only when the install hint <hint> is set, else on the PATH.
macro(_kml_find_hinted var name hint doc)
  if(${hint})
    find_program(${var} NAMES ${name} PATHS "${${hint}}/bin" NO_DEFAULT_PATH DOC "${doc}")
  else()
    find_program(${var} NAMES ${name} DOC "${doc}")
  endif()
endmacro()

function(_kml_find_vendor_tools)
  _kml_vendor_reset_if_changed()

  set(flow "")
  set(exe "")
  set(run_exe "")
  set(searched "")
  if(KML_HLS_TOOL STREQUAL "auto")
    set(candidates vitis_hls vitis vivado_hls)
  elseif(KML_HLS_TOOL MATCHES "^(vitis_hls|vitis|vitis_tcl|vivado_hls)$")
    set(candidates ${KML_HLS_TOOL})
  elseif(KML_HLS_TOOL STREQUAL "none")
    set(candidates "")
  else()
    message(FATAL_ERROR "kml: KML_HLS_TOOL='${KML_HLS_TOOL}' is not one of auto, vitis_hls, vitis, vitis_tcl, vivado_hls, none")
  endif()

  foreach(candidate IN LISTS candidates)
    if(candidate STREQUAL "vitis_hls")
      list(APPEND searched "vitis_hls")
      _kml_find_hinted(KML_VITIS_HLS_EXECUTABLE vitis_hls KML_XILINX_HLS "Vitis HLS (classic flow)")
      if(KML_VITIS_HLS_EXECUTABLE)
        set(flow vitis_hls)
        set(exe "${KML_VITIS_HLS_EXECUTABLE}")
        set(run_exe "${exe}")
      endif()
    elseif(candidate STREQUAL "vitis" OR candidate STREQUAL "vitis_tcl")
      list(APPEND searched "v++ and vitis-run")
      _kml_find_hinted(KML_VPP_EXECUTABLE v++ KML_XILINX_VITIS "Vitis v++ (unified HLS flow)")
      if(KML_VPP_EXECUTABLE)
        # vitis-run must come from the same install as v++.
        get_filename_component(bin "${KML_VPP_EXECUTABLE}" DIRECTORY)
        find_program(KML_VITIS_RUN_EXECUTABLE NAMES vitis-run PATHS "${bin}" NO_DEFAULT_PATH
                     DOC "Vitis vitis-run (unified HLS flow)")
        if(KML_VITIS_RUN_EXECUTABLE)
          set(flow ${candidate})
          set(exe "${KML_VPP_EXECUTABLE}")
          set(run_exe "${KML_VITIS_RUN_EXECUTABLE}")
        endif()
      endif()
    elseif(candidate STREQUAL "vivado_hls")
      list(APPEND searched "vivado_hls")
      _kml_find_hinted(KML_VIVADO_HLS_EXECUTABLE vivado_hls KML_XILINX_VIVADO "Vivado HLS")
      if(KML_VIVADO_HLS_EXECUTABLE)
        set(flow vivado_hls)
        set(exe "${KML_VIVADO_HLS_EXECUTABLE}")
        set(run_exe "${exe}")
      endif()
    endif()
    if(flow)
      break()
    endif()
  endforeach()

  set(version "")
  set(vivado "")
  if(flow)
    # The install this flow lives in: <root>/bin/<tool>.  Releases are directories named 20YY.N.
    get_filename_component(bin "${exe}" DIRECTORY)
    get_filename_component(root "${bin}" DIRECTORY)
    if(root MATCHES "(^|/)(20[0-9][0-9]\\.[0-9])(/|$)")
      set(version "${CMAKE_MATCH_2}")
    endif()
    # Vivado from the same release only: the hint, the same bin/ (Vivado HLS, test stand-ins), or the
    # sibling Vivado install of this release (<base>/Vivado/<ver> next to <base>/Vitis_HLS/<ver>,
    # or <base>/<ver>/Vivado next to <base>/<ver>/Vitis in the 2025+ layout).
    if(KML_XILINX_VIVADO)
      set(vivado_dirs "${KML_XILINX_VIVADO}/bin")
    else()
      set(vivado_dirs "${bin}")
      if(version)
        get_filename_component(base2 "${root}/../.." ABSOLUTE)
        get_filename_component(base1 "${root}/.." ABSOLUTE)
        list(APPEND vivado_dirs "${base2}/Vivado/${version}/bin" "${base1}/Vivado/bin")
      endif()
    endif()
    find_program(KML_VIVADO_EXECUTABLE NAMES vivado PATHS ${vivado_dirs} NO_DEFAULT_PATH
                 DOC "Vivado (logic synthesis for <model>_vsynth), from the same release as the HLS tool")
    if(KML_VIVADO_EXECUTABLE)
      set(vivado "${KML_VIVADO_EXECUTABLE}")
    endif()
  endif()

  set_property(GLOBAL PROPERTY KML_HLS_FLOW "${flow}")
  set_property(GLOBAL PROPERTY KML_HLS_EXECUTABLE "${exe}")
  set_property(GLOBAL PROPERTY KML_HLS_RUN_EXECUTABLE "${run_exe}")
  set_property(GLOBAL PROPERTY KML_HLS_VERSION "${version}")
  set_property(GLOBAL PROPERTY KML_VIVADO_EXECUTABLE "${vivado}")
  list(JOIN searched ", " searched_text)
  set_property(GLOBAL PROPERTY KML_VENDOR_TOOLS_SEARCHED "${searched_text}")

  if(flow)
    set(msg "kml: HLS flow ${flow}: ${exe}")
    if(version)
      string(APPEND msg " (${version})")
    endif()
    if(vivado)
      string(APPEND msg "; Vivado: ${vivado}")
    else()
      string(APPEND msg "; Vivado not found (the *_vsynth targets will say so)")
    endif()
  elseif(KML_HLS_TOOL STREQUAL "none")
    set(msg "kml: vendor tools disabled (KML_HLS_TOOL=none)")
  else()
    set(msg "kml: no HLS tool found (looked for ${searched_text}); the *_synth, *_cosim, *_export, *_vsynth and *_report targets will report it when built")
  endif()
  get_property(last GLOBAL PROPERTY _KML_VENDOR_LAST_MESSAGE)
  if(NOT last STREQUAL msg)
    message(STATUS "${msg}")
    set_property(GLOBAL PROPERTY _KML_VENDOR_LAST_MESSAGE "${msg}")
  endif()
endfunction()

_kml_find_vendor_tools()
