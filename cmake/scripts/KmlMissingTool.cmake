# cmake -P helper: prints why a kml target cannot run (the caller then fails with `cmake -E false`).
#   -DKML_TARGET=<target> -DKML_REASON=no_hls_tool|no_vivado|no_test_data -DKML_HLS_TOOL=<cache value>
if(KML_REASON STREQUAL "no_hls_tool")
  if(KML_HLS_TOOL STREQUAL "none")
    set(msg "kml: ${KML_TARGET} needs an HLS tool, but vendor tools are disabled (KML_HLS_TOOL=none).")
  else()
    if(KML_HLS_TOOL STREQUAL "vitis_hls")
      set(wanted "Vitis HLS (vitis_hls)")
    elseif(KML_HLS_TOOL STREQUAL "vitis" OR KML_HLS_TOOL STREQUAL "vitis_tcl")
      set(wanted "Vitis (v++ and vitis-run)")
    elseif(KML_HLS_TOOL STREQUAL "vivado_hls")
      set(wanted "Vivado HLS (vivado_hls)")
    else()
      set(wanted "an HLS tool: Vitis HLS (vitis_hls), Vitis 2024.2+ (v++ and vitis-run) or Vivado HLS (vivado_hls)")
    endif()
    set(msg "kml: ${KML_TARGET} needs ${wanted}, which was not found when CMake configured this build. "
            "Put it on PATH or set XILINX_HLS / XILINX_VITIS / XILINX_VIVADO (or the cache variables "
            "KML_XILINX_HLS / KML_XILINX_VITIS / KML_XILINX_VIVADO), then re-run CMake.")
  endif()
elseif(KML_REASON STREQUAL "no_vivado")
  set(msg "kml: ${KML_TARGET} needs Vivado (vivado) from the same release as the HLS tool, which was not found "
          "when CMake configured this build. Set XILINX_VIVADO (or KML_XILINX_VIVADO / KML_VIVADO_EXECUTABLE), "
          "then re-run CMake.")
elseif(KML_REASON STREQUAL "no_test_data")
  string(REGEX REPLACE "_[a-z]+$" "" model "${KML_TARGET}")
  set(msg "kml: ${KML_TARGET} needs test vectors: pass TEST_DATA <file.io.h5> to kml_add_fpga_model(${model} ...).")
else()
  set(msg "kml: ${KML_TARGET} cannot run (${KML_REASON}).")
endif()
string(JOIN "" msg ${msg})
message("${msg}")
