# Portable HLS projects (part of kml_add_fpga_model(); targets of model X):
#
#   X_hls_project   <work>/hls_project/: `kml-convert convert --standalone` of the model with this build's
#                   settings (KML_PART, KML_CLOCK_PERIOD, KML_HLS_CFLAGS, plugins and their TEMPLATE_DIRS):
#                   firmware and testbench, copies of exactly the kml headers they include (firmware/kml/,
#                   runtime/), test vectors (tb_data/inputs.dat from TEST_DATA and tb_data/csim_outputs.dat,
#                   this build's C simulation, which co-simulation must reproduce), build_prj.tcl
#                   (vitis_hls -f / vivado_hls -f), hls_config.cfg (unified Vitis), vivado_synth.tcl and a
#                   README.md; relative paths only.  Needs no vendor tool.
#   X_hls_package   <work>/X_hls_project.tar.gz of it (top directory X_hls_project/), to carry to a machine
#                   with the vendor tools or to a cluster.
#
# Bring the results back by copying the reports (or the whole directory) into <work>/reports/ or
# <work>/hls_project/: X_report then reads them, with or without a vendor tool here (kml-report --search).
include_guard(GLOBAL)

# Expands inside kml_add_fpga_model(), after the conversion and C simulation rules: uses its variables
# (target, work, convert_args, test_data, csim_out, extra_template_dirs, the dependency lists).
macro(_kml_add_hls_project)
  set(_kml_hp_dir "${work}/hls_project")
  set(_kml_hp_args ${convert_args})
  list(FIND _kml_hp_args "-o" _kml_hp_i)
  math(EXPR _kml_hp_i "${_kml_hp_i} + 1")
  list(REMOVE_AT _kml_hp_args ${_kml_hp_i})
  list(INSERT _kml_hp_args ${_kml_hp_i} "${_kml_hp_dir}")
  list(FIND _kml_hp_args "--depfile" _kml_hp_i)
  math(EXPR _kml_hp_i "${_kml_hp_i} + 1")
  list(REMOVE_AT _kml_hp_args ${_kml_hp_i})
  list(INSERT _kml_hp_args ${_kml_hp_i} "${work}/hls_project.d")
  list(APPEND _kml_hp_args --standalone "--kml-templates=${templates_dir}" "--hls-cflags=${KML_HLS_CFLAGS}")
  if(NOT "${KML_PART}" STREQUAL "")
    list(APPEND _kml_hp_args "--part=${KML_PART}")
  endif()
  if(NOT "${KML_CLOCK_PERIOD}" STREQUAL "")
    list(APPEND _kml_hp_args "--clock-period=${KML_CLOCK_PERIOD}")
  endif()
  foreach(_kml_hp_t IN LISTS extra_template_dirs)
    list(APPEND _kml_hp_args "--template-dir=${_kml_hp_t}")
  endforeach()
  set(_kml_hp_depends "${model}" "${config}" ${weights} "$<TARGET_FILE:kml::kml-convert>" ${converter_templates}
                      ${plugin_depends})
  if(test_data)
    foreach(_kml_hp_d IN LISTS test_data)
      list(APPEND _kml_hp_args "--test-data=${_kml_hp_d}")
    endforeach()
    list(APPEND _kml_hp_args "--csim-outputs=${csim_out}")
    list(APPEND _kml_hp_depends ${test_data} "${csim_out}")
  endif()
  add_custom_command(
    OUTPUT "${_kml_hp_dir}/kml_manifest.json"
    BYPRODUCTS "${_kml_hp_dir}/build_prj.tcl" "${_kml_hp_dir}/hls_config.cfg" "${_kml_hp_dir}/vivado_synth.tcl"
               "${_kml_hp_dir}/README.md"
    COMMAND kml::kml-convert ${_kml_hp_args}
    DEPENDS ${_kml_hp_depends}
    DEPFILE "${work}/hls_project.d"
    COMMENT "kml: portable HLS project of ${target} -> ${_kml_hp_dir}"
    VERBATIM)
  add_custom_target(${target}_hls_project DEPENDS "${_kml_hp_dir}/kml_manifest.json")

  # The archive's top directory is named after the model, so that several unpack side by side.
  set(_kml_hp_tar "${work}/${target}_hls_project.tar.gz")
  add_custom_command(
    OUTPUT "${_kml_hp_tar}"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${work}/package"
    COMMAND "${CMAKE_COMMAND}" -E copy_directory "${_kml_hp_dir}" "${work}/package/${target}_hls_project"
    COMMAND "${CMAKE_COMMAND}" -E chdir "${work}/package"
            "${CMAKE_COMMAND}" -E tar czf "${_kml_hp_tar}.tmp" --format=gnutar "${target}_hls_project"
    COMMAND "${CMAKE_COMMAND}" -E rename "${_kml_hp_tar}.tmp" "${_kml_hp_tar}"
    COMMAND "${CMAKE_COMMAND}" -E rm -rf "${work}/package"
    DEPENDS "${_kml_hp_dir}/kml_manifest.json"
    COMMENT "kml: ${target}_hls_project.tar.gz"
    VERBATIM)
  add_custom_target(${target}_hls_package DEPENDS "${_kml_hp_tar}")
endmacro()
