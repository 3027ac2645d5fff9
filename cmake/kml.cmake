# kml_add_fpga_model(): Keras model -> generated HLS project -> CMake targets.
#
#   kml_add_fpga_model(<target> <model> <config.toml>
#                      [WEIGHTS <weights.h5>]     # Keras 2 JSON architecture + separate weights
#                      [TEST_DATA <file.io.h5> | <x0.npy> [<x1.npy>...]]  # x0, x1, ... (and y0, ... as
#                                                 # reference; trace/<layer> for the layer-by-layer table), or
#                                                 # one .npy per model input (no reference)
#                      [CSIM_CHECKS <args>...]    # checks of the C simulation against y*, passed to
#                                                 # `kml-convert results`: --tolerance T, --min-argmax F, --exact,
#                                                 # --trace-tolerance T (layer by layer; trace = true)
#                      [PLUGINS <target|file>...] # custom-layer plugins for kml-convert (docs/extensions.md)
#                      [TEMPLATE_DIRS <dir>...]   # their HLS headers: on every compile of the generated code
#                      [SET <key>=<value>...]     # override config settings (kml-convert --set), e.g. reuse_factor=4
#                      [OUTPUT_DIR <dir>]         # work directory, default ${CMAKE_CURRENT_BINARY_DIR}/<target>
#                      [PYTHON])                  # also the Python module <ident> (KmlPython.cmake; KML_PYTHON: all)
#
# Targets (X = <target>):
#   X           STATIC library: the bit-accurate host emulation (generated firmware + host bridge);
#               `#include "X.h"` gives the API (namespace <ident>: predict(), predict_batch()).
#   X_generate  runs kml-convert (also a dependency of everything below)
#   X_tb        the generated testbench executable: `X_tb IN.dat OUT.dat`
#   X_python    with PYTHON: the Python module <ident> (numpy predict(), trace()) in <work>/python/
#   X_csim      C simulation on TEST_DATA -> <work>/csim_results.h5, prints the max abs error
#   X_profile   numerical profile over TEST_DATA -> <work>/profile/profile.{json,txt,html} (kml-convert profile)
#   X_synth     HLS C synthesis                -> <work>/reports/csynth.xml
#   X_cosim     C/RTL co-simulation, compared with the C simulation (fails on mismatch)
#   X_export    IP catalog export              -> <work>/ip/
#   X_vsynth    Vivado synthesis of the RTL    -> <work>/reports/vivado_{utilization,timing}.rpt
#   X_report    <work>/report.json + a table (cosim/Vivado numbers included when they are up to date);
#               without a vendor tool, from the reports found in <work>/reports/ and <work>/hls_project/
#   X_hls_project, X_hls_package   portable HLS project <work>/hls_project/ and <work>/X_hls_project.tar.gz
#               (KmlHlsProject.cmake)
#   kml_report_all   summary table over every model of the project
# With TEST_DATA, a CTest test X_csim runs the C simulation (in <work>/csim_test/, apart from the target's files).
#
# Work directory layout (one per model; nothing is shared between models):
#   project/           the generated HLS project (kml_manifest.json, firmware/, tb/, bridge/, include/)
#   kml_convert.d      depfile of the conversion
#   csim/              inputs.dat, outputs.dat of the C simulation;  csim_results.h5 next to it
#   scripts/           vendor Tcl / hls_config.cfg made from kml's templates/scripts and the manifest
#   hls/               the HLS tool's working directory;   vivado/  Vivado's
#   reports/, ip/, cosim/, logs/, report.json
#
# KML_EMULATION_ARCH (default empty: the compiler's default target, portable; e.g. native or x86-64-v3): the
# -march of the generated emulation library X and testbench X_tb only (a PRIVATE compile option: it never
# reaches the targets that link X, whose code keeps its own flags). The emulation's fixed-point Dense/Conv
# kernels use AVX2 when it is enabled (kml/fast_mac.h), SSE2 otherwise.
# Cache variables: KML_HLS_TOOL and the finder hints (see KmlVendorTools.cmake), KML_VENDOR_JOBS
# (size of the Ninja job pool kml_vendor_jobs that every vendor step runs in), KML_PART and
# KML_CLOCK_PERIOD (override the model configs' part / clock for the vendor steps), KML_HLS_CFLAGS.
#
# Nothing here changes the calling project's global state (no include_directories, add_definitions
# or variables left behind); the only global additions are the kml_vendor_jobs pool and the targets.
include_guard(GLOBAL)
cmake_policy(VERSION 3.25)

include("${CMAKE_CURRENT_LIST_DIR}/KmlVendorTools.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/KmlLaunchers.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/KmlHlsProject.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/KmlScan.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/KmlPython.cmake")

set(KML_VENDOR_JOBS 2 CACHE STRING "Parallel vendor steps (HLS synthesis, co-simulation, export, Vivado): Ninja pool kml_vendor_jobs")
set(KML_PART "" CACHE STRING "FPGA part for every kml model's vendor steps (empty: each model config's part)")
set(KML_CLOCK_PERIOD "" CACHE STRING "Clock period in ns for every kml model's vendor steps (empty: each model config's)")
set(KML_HLS_CFLAGS "-std=c++14" CACHE STRING "Compiler flags the HLS tool uses for the generated firmware and testbench")
set(KML_EMULATION_ARCH "" CACHE STRING
    "CPU of the generated host emulation libraries and testbenches (-march): empty = the compiler's default (portable), or native, x86-64-v3, ...")

if(NOT KML_VENDOR_JOBS MATCHES "^[1-9][0-9]*$")
  message(FATAL_ERROR "kml: KML_VENDOR_JOBS must be a positive integer, got '${KML_VENDOR_JOBS}'")
endif()
get_property(_kml_job_pools GLOBAL PROPERTY JOB_POOLS)
if(NOT _kml_job_pools MATCHES "(^|;)kml_vendor_jobs=")
  set_property(GLOBAL APPEND PROPERTY JOB_POOLS "kml_vendor_jobs=${KML_VENDOR_JOBS}")
endif()
unset(_kml_job_pools)

# Absolute path of `path` relative to `base` (CMake's own normalisation, no symlink resolution).
function(_kml_absolute out path base)
  cmake_path(ABSOLUTE_PATH path BASE_DIRECTORY "${base}" NORMALIZE OUTPUT_VARIABLE abs)
  set(${out} "${abs}" PARENT_SCOPE)
endfunction()

# kml's template files: the HLS layer headers (a change regenerates every model) and the vendor script
# templates (a change rewrites the vendor scripts).  Globbed once per configure.  Instead of
# CONFIGURE_DEPENDS, which makes every Ninja build run a glob check (so a no-op build would never be
# empty), the template directories themselves become configure dependencies of the calling
# directory: adding, removing or renaming a template changes its directory's time stamp and re-runs
# CMake; edits of existing files are file-level dependencies of the build steps.
function(_kml_template_files out_converter out_scripts)
  get_property(dir GLOBAL PROPERTY KML_TEMPLATES_DIR)
  if(NOT dir OR NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "kml: the templates directory is unknown or missing ('${dir}'); "
                        "load kml with find_package(kml) or add_subdirectory(<kml source>)")
  endif()
  get_property(done GLOBAL PROPERTY _KML_TEMPLATE_GLOB_DONE)
  if(NOT done)
    foreach(kind kml scripts)
      file(GLOB_RECURSE entries LIST_DIRECTORIES true "${dir}/${kind}/*")
      set(files "")
      set(dirs "${dir}/${kind}")
      foreach(e IN LISTS entries)
        if(IS_DIRECTORY "${e}")
          list(APPEND dirs "${e}")
        else()
          list(APPEND files "${e}")
        endif()
      endforeach()
      list(SORT files)
      set_property(GLOBAL PROPERTY _KML_TEMPLATE_FILES_${kind} "${files}")
      set_property(GLOBAL PROPERTY _KML_TEMPLATE_DIRS_${kind} "${dirs}")
    endforeach()
    set_property(GLOBAL PROPERTY _KML_TEMPLATE_GLOB_DONE TRUE)
  endif()
  get_property(conv GLOBAL PROPERTY _KML_TEMPLATE_FILES_kml)
  get_property(scripts GLOBAL PROPERTY _KML_TEMPLATE_FILES_scripts)
  get_property(conv_dirs GLOBAL PROPERTY _KML_TEMPLATE_DIRS_kml)
  get_property(script_dirs GLOBAL PROPERTY _KML_TEMPLATE_DIRS_scripts)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${conv_dirs} ${script_dirs})
  set(${out_converter} "${conv}" PARENT_SCOPE)
  set(${out_scripts} "${scripts}" PARENT_SCOPE)
endfunction()

# A target that fails with one clear message when built (missing vendor tool, missing TEST_DATA).
# The message is composed by the script so that it is printed once, not echoed in the command line.
function(_kml_failing_target name reason)
  add_custom_target(${name}
    COMMAND "${CMAKE_COMMAND}" -DKML_TARGET=${name} -DKML_REASON=${reason} -DKML_HLS_TOOL=${KML_HLS_TOOL}
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/scripts/KmlMissingTool.cmake"
    COMMAND "${CMAKE_COMMAND}" -E false
    COMMENT "kml: ${name}"
    VERBATIM)
endfunction()

function(kml_add_fpga_model target model config)
  cmake_parse_arguments(PARSE_ARGV 3 arg "PYTHON" "WEIGHTS;OUTPUT_DIR" "TEST_DATA;CSIM_CHECKS;PLUGINS;TEMPLATE_DIRS;SET")
  set(usage "kml_add_fpga_model(<target> <model> <config.toml> [WEIGHTS <w.h5>] [TEST_DATA <f.io.h5>] "
            "[CSIM_CHECKS <args>...] [PLUGINS <target|file>...] [TEMPLATE_DIRS <dir>...] [SET <key>=<value>...] "
            "[OUTPUT_DIR <dir>] [PYTHON])")
  string(JOIN "" usage ${usage})
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "kml_add_fpga_model(${target}): unexpected arguments '${arg_UNPARSED_ARGUMENTS}'\n  usage: ${usage}")
  endif()
  if(arg_CSIM_CHECKS AND NOT DEFINED arg_TEST_DATA)
    message(FATAL_ERROR "kml_add_fpga_model(${target}): CSIM_CHECKS needs TEST_DATA\n  usage: ${usage}")
  endif()
  foreach(kw IN LISTS arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "kml_add_fpga_model(${target}): ${kw} needs a value\n  usage: ${usage}")
  endforeach()
  if(NOT target MATCHES "^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")
    message(FATAL_ERROR "kml_add_fpga_model: '${target}' is not usable as a target and file name "
                        "(letters, digits, _ . + -, not starting with . + -)")
  endif()
  # The model's C++ namespace is the target made an identifier (other characters and runs of '_' become one
  # '_', and a keyword or reserved name gets a trailing '_': see tool/src/util/names.h).  Two targets whose
  # namespaces could coincide (jet.v1 and jet_v1, float and float_) would declare the same symbols.
  string(MAKE_C_IDENTIFIER "${target}" ns_key)
  string(REGEX REPLACE "_+" "_" ns_key "${ns_key}")
  string(REGEX REPLACE "^_" "m_" ns_key "${ns_key}")
  string(REGEX REPLACE "_$" "" ns_key "${ns_key}")
  get_property(ns_keys GLOBAL PROPERTY _KML_NAMESPACE_KEYS)
  foreach(pair IN LISTS ns_keys)
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 other_key)
    list(GET pair 1 other_target)
    if(other_key STREQUAL ns_key)
      message(FATAL_ERROR "kml_add_fpga_model(${target}): its C++ namespace could be the one of '${other_target}' "
                          "(both become '${ns_key}' as identifiers); rename one of them")
    endif()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY _KML_NAMESPACE_KEYS "${ns_key}=${target}")
  foreach(suffix "" _generate _tb _python _csim _profile _synth _cosim _export _vsynth _report _hls_project _hls_package)
    if(TARGET ${target}${suffix})
      message(FATAL_ERROR "kml_add_fpga_model(${target}): a target named '${target}${suffix}' already exists")
    endif()
  endforeach()
  foreach(tool kml::kml-convert kml::kml-report)
    if(NOT TARGET ${tool})
      message(FATAL_ERROR "kml_add_fpga_model(${target}): the ${tool} target is not defined here; "
                          "call find_package(kml) in this directory or a parent, or add kml with add_subdirectory()")
    endif()
  endforeach()

  # ---- inputs
  _kml_absolute(model "${model}" "${CMAKE_CURRENT_SOURCE_DIR}")
  _kml_absolute(config "${config}" "${CMAKE_CURRENT_SOURCE_DIR}")
  set(inputs model config)
  set(weights "")
  if(DEFINED arg_WEIGHTS)
    _kml_absolute(weights "${arg_WEIGHTS}" "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND inputs weights)
  endif()
  set(test_data "")
  foreach(file IN LISTS arg_TEST_DATA)
    _kml_absolute(file_abs "${file}" "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND test_data "${file_abs}")
    get_source_file_property(generated "${file_abs}" GENERATED)
    if(NOT EXISTS "${file_abs}" AND NOT generated)
      message(FATAL_ERROR "kml_add_fpga_model(${target}): TEST_DATA file '${file_abs}' does not exist")
    endif()
  endforeach()
  list(LENGTH test_data n_test_data)
  set(test_data_npy OFF)
  if(test_data)
    list(GET test_data 0 first_test_data)
    if(first_test_data MATCHES "\\.[nN][pP][yY]$")
      set(test_data_npy ON)
    elseif(n_test_data GREATER 1)
      message(FATAL_ERROR "kml_add_fpga_model(${target}): TEST_DATA is one .io.h5 file or one .npy file per model input")
    endif()
  endif()
  if(test_data_npy AND arg_CSIM_CHECKS)
    message(FATAL_ERROR "kml_add_fpga_model(${target}): CSIM_CHECKS compare with reference outputs, and .npy TEST_DATA "
                        "holds inputs only (give an .io.h5 with y0, ... to check against)")
  endif()
  foreach(var IN LISTS inputs)
    get_source_file_property(generated "${${var}}" GENERATED)
    if(NOT EXISTS "${${var}}" AND NOT generated)
      message(FATAL_ERROR "kml_add_fpga_model(${target}): ${var} file '${${var}}' does not exist")
    endif()
  endforeach()

  # ---- work directory (one per model)
  if(DEFINED arg_OUTPUT_DIR)
    _kml_absolute(work "${arg_OUTPUT_DIR}" "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(work "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  endif()
  get_property(used_dirs GLOBAL PROPERTY _KML_WORK_DIRS)
  foreach(pair IN LISTS used_dirs)
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 other_dir)
    list(GET pair 1 other_target)
    cmake_path(IS_PREFIX other_dir "${work}" NORMALIZE inside_other)
    cmake_path(IS_PREFIX work "${other_dir}" NORMALIZE contains_other)
    if(inside_other OR contains_other)
      message(FATAL_ERROR "kml_add_fpga_model(${target}): work directory '${work}' overlaps the one of "
                          "'${other_target}' ('${other_dir}'); give each model its own OUTPUT_DIR")
    endif()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY _KML_WORK_DIRS "${work}=${target}")

  set(proj "${work}/project")
  set(manifest "${proj}/kml_manifest.json")
  set(depfile "${work}/kml_convert.d")
  set(scripts_dir "${work}/scripts")
  set(reports_dir "${work}/reports")
  set(logs_dir "${work}/logs")
  set(hls_dir "${work}/hls")
  set(vivado_dir "${work}/vivado")
  set(csim_dir "${work}/csim")
  set(csim_in "${csim_dir}/inputs.dat")
  set(csim_out "${csim_dir}/outputs.dat")
  set(csim_h5 "${work}/csim_results.h5")
  set(csim_json "${work}/csim_results.json")  # the figures of the C simulation (kml-convert results --summary)
  set(cosim_dir "${work}/cosim")
  set(helpers "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/scripts")
  get_property(templates_dir GLOBAL PROPERTY KML_TEMPLATES_DIR)
  get_property(kml_version GLOBAL PROPERTY KML_VERSION)
  _kml_template_files(converter_templates script_templates)

  # ---- generation (build time): kml-convert swaps ${proj} in atomically and writes the depfile.
  set(generated
    "${proj}/firmware/model.cpp" "${proj}/firmware/model.h" "${proj}/firmware/defines.h"
    "${proj}/firmware/parameters.h" "${proj}/tb/testbench.cpp" "${proj}/bridge/bridge.cpp"
    "${proj}/include/${target}.h")
  set(convert_args convert "${model}" -o "${proj}" -c "${config}" -n "${target}" --depfile "${depfile}")
  if(weights)
    list(APPEND convert_args --weights "${weights}")
  endif()
  # Extension API (docs/extensions.md): custom-layer plugins for the converter, and the directories of their
  # HLS templates for every compile of the generated code.  A rebuilt plugin or an edited template
  # regenerates the project.
  set(plugin_depends "")
  set(plugin_args "")
  foreach(plugin IN LISTS arg_PLUGINS)
    if(TARGET "${plugin}")
      list(APPEND convert_args --plugin "$<TARGET_FILE:${plugin}>")
      list(APPEND plugin_args --plugin "$<TARGET_FILE:${plugin}>")
      list(APPEND plugin_depends "${plugin}")
    else()
      _kml_absolute(plugin_path "${plugin}" "${CMAKE_CURRENT_SOURCE_DIR}")
      if(NOT EXISTS "${plugin_path}")
        message(FATAL_ERROR "kml_add_fpga_model(${target}): PLUGINS entry '${plugin}' is neither a target nor an existing file")
      endif()
      list(APPEND convert_args --plugin "${plugin_path}")
      list(APPEND plugin_args --plugin "${plugin_path}")
      list(APPEND plugin_depends "${plugin_path}")
    endif()
  endforeach()
  set(extra_template_dirs "")
  foreach(dir IN LISTS arg_TEMPLATE_DIRS)
    _kml_absolute(dir_abs "${dir}" "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${dir_abs}")
      message(FATAL_ERROR "kml_add_fpga_model(${target}): TEMPLATE_DIRS entry '${dir}' is not a directory")
    endif()
    list(APPEND extra_template_dirs "${dir_abs}")
    file(GLOB_RECURSE dir_headers LIST_DIRECTORIES false "${dir_abs}/*.h" "${dir_abs}/*.hpp")
    list(APPEND plugin_depends ${dir_headers})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${dir_abs}")
  endforeach()
  # '|'-separated: the list travels through a build command line.
  list(JOIN extra_template_dirs "|" extra_includes_joined)
  cmake_path(GET model FILENAME model_name)
  # Configuration overrides (kml_add_fpga_scan varies them per point).
  foreach(assignment IN LISTS arg_SET)
    if(NOT assignment MATCHES "^[A-Za-z_][A-Za-z0-9_.]*=")
      message(FATAL_ERROR "kml_add_fpga_model(${target}): SET expects <key>=<value>, got '${assignment}'")
    endif()
    list(APPEND convert_args "--set=${assignment}")
  endforeach()
  add_custom_command(
    OUTPUT "${manifest}"
    BYPRODUCTS ${generated}
    COMMAND kml::kml-convert ${convert_args}
    DEPENDS "${model}" "${config}" ${weights} "$<TARGET_FILE:kml::kml-convert>" ${converter_templates}
            ${plugin_depends}
    DEPFILE "${depfile}"
    COMMENT "kml: generating the HLS project of ${target} from ${model_name}"
    VERBATIM)
  add_custom_target(${target}_generate DEPENDS "${manifest}")

  # ---- host emulation library and testbench
  if(NOT TARGET Threads::Threads)
    find_package(Threads REQUIRED)
  endif()
  add_library(${target} STATIC "${proj}/firmware/model.cpp" "${proj}/bridge/bridge.cpp")
  add_dependencies(${target} ${target}_generate)
  target_include_directories(${target}
    PUBLIC "$<BUILD_INTERFACE:${proj}/include>"
    PRIVATE "${proj}/firmware" ${extra_template_dirs})
  target_link_libraries(${target} PRIVATE kml::templates Threads::Threads)
  if(TARGET kml::runtime)
    target_link_libraries(${target} PRIVATE kml::runtime)
  endif()
  set_target_properties(${target} PROPERTIES KML_WORK_DIR "${work}" KML_MANIFEST "${manifest}")
  # Python module <ident> (KmlPython.cmake): Python and pybind11 are looked for only here.
  if(arg_PYTHON OR KML_PYTHON)
    _kml_add_python_module()
  endif()

  if(NOT KML_EMULATION_ARCH STREQUAL "")
    target_compile_options(${target} PRIVATE "-march=${KML_EMULATION_ARCH}")
  endif()

  add_executable(${target}_tb "${proj}/tb/testbench.cpp")
  if(NOT KML_EMULATION_ARCH STREQUAL "")
    target_compile_options(${target}_tb PRIVATE "-march=${KML_EMULATION_ARCH}")
  endif()
  add_dependencies(${target}_tb ${target}_generate)
  target_include_directories(${target}_tb PRIVATE "${proj}/firmware" ${extra_template_dirs})
  target_link_libraries(${target}_tb PRIVATE ${target} kml::templates)
  if(TARGET kml::runtime)
    target_link_libraries(${target}_tb PRIVATE kml::runtime)
  endif()

  # ---- C simulation: testdata -> testbench -> results (+ max abs error vs y*)
  if(test_data)
    list(JOIN test_data "|" test_data_joined)  # '|'-separated: through a build command line and a CTest command
    set(csim_script_args
      "-DKML_MODEL=${target}"
      "-DKML_CONVERT=$<TARGET_FILE:kml::kml-convert>"
      "-DKML_TESTBENCH=$<TARGET_FILE:${target}_tb>"
      "-DKML_MANIFEST=${manifest}"
      "-DKML_TEST_DATA=${test_data_joined}")
    if(arg_CSIM_CHECKS)
      # '|'-separated: the arguments travel through a build command line and a CTest command.
      list(JOIN arg_CSIM_CHECKS "|" checks)
      list(APPEND csim_script_args "-DKML_CHECKS=${checks}")
    endif()
    add_custom_command(
      OUTPUT "${csim_in}" "${csim_out}" "${csim_h5}" "${csim_json}"
      COMMAND "${CMAKE_COMMAND}" ${csim_script_args} "-DKML_DIR=${csim_dir}" "-DKML_RESULTS=${csim_h5}"
              -P "${helpers}/KmlCsim.cmake"
      DEPENDS "${manifest}" ${test_data} ${target}_tb "$<TARGET_FILE:kml::kml-convert>" "${helpers}/KmlCsim.cmake"
      COMMENT "kml: C simulation of ${target}"
      VERBATIM)
    add_custom_target(${target}_csim DEPENDS "${csim_h5}")
    # The test writes into its own directory so that it never races a build of ${target}_csim.
    add_test(NAME ${target}_csim
      COMMAND "${CMAKE_COMMAND}" ${csim_script_args} "-DKML_DIR=${work}/csim_test"
              "-DKML_RESULTS=${work}/csim_test/csim_results.h5" -P "${helpers}/KmlCsim.cmake")
  else()
    _kml_failing_target(${target}_csim no_test_data)
  endif()

  # ---- numerical profile (kml-convert profile): the model converted twice more, with every node traced, in
  # float (precision = "float", no config) and with this configuration; both testbenches run on TEST_DATA's
  # inputs, then the values are profiled against the configuration's types -> <work>/profile/profile.{json,txt,html}.
  # Nothing of it is built unless <t>_profile is.
  if(test_data)
    set(profile_dir "${work}/profile")
    set(profile_model_args "${model}")
    if(weights)
      list(APPEND profile_model_args --weights "${weights}")
    endif()
    set(profile_sets "")
    foreach(assignment IN LISTS arg_SET)
      list(APPEND profile_sets "--set=${assignment}")
    endforeach()
    foreach(kind float fixed)
      set(pp "${profile_dir}/${kind}_project")
      if(kind STREQUAL "float")
        set(kind_args "--set=precision=float" "--set=trace=true")
      else()
        set(kind_args -c "${config}" ${profile_sets} "--set=trace=true")
      endif()
      add_custom_command(
        OUTPUT "${pp}/kml_manifest.json"
        BYPRODUCTS "${pp}/firmware/model.cpp" "${pp}/tb/testbench.cpp" "${pp}/firmware/defines.h"
                   "${pp}/firmware/parameters.h" "${pp}/firmware/model.h"
        COMMAND kml::kml-convert convert ${profile_model_args} -o "${pp}" -n "${target}_${kind}" ${kind_args}
                ${plugin_args}
        DEPENDS "${model}" "${config}" ${weights} "$<TARGET_FILE:kml::kml-convert>" ${converter_templates}
                ${plugin_depends}
        COMMENT "kml: ${target}_profile: the ${kind} project, every node traced"
        VERBATIM)
      add_custom_target(${target}_profile_${kind}_generate DEPENDS "${pp}/kml_manifest.json")
      add_executable(${target}_profile_${kind}_tb EXCLUDE_FROM_ALL "${pp}/tb/testbench.cpp" "${pp}/firmware/model.cpp")
      add_dependencies(${target}_profile_${kind}_tb ${target}_profile_${kind}_generate)
      target_include_directories(${target}_profile_${kind}_tb PRIVATE "${pp}/firmware" ${extra_template_dirs})
      target_link_libraries(${target}_profile_${kind}_tb PRIVATE kml::templates)
      if(TARGET kml::runtime)
        target_link_libraries(${target}_profile_${kind}_tb PRIVATE kml::runtime)
      endif()
    endforeach()
    set(profile_args ${profile_model_args} -c "${config}" ${profile_sets} ${plugin_args} --title "${target}")
    list(JOIN profile_args "|" profile_args_joined)
    add_custom_target(${target}_profile
      COMMAND "${CMAKE_COMMAND}" "-DKML_MODEL=${target}" "-DKML_CONVERT=$<TARGET_FILE:kml::kml-convert>"
              "-DKML_FLOAT_TB=$<TARGET_FILE:${target}_profile_float_tb>"
              "-DKML_FIXED_TB=$<TARGET_FILE:${target}_profile_fixed_tb>"
              "-DKML_FLOAT_MANIFEST=${profile_dir}/float_project/kml_manifest.json"
              "-DKML_FIXED_MANIFEST=${profile_dir}/fixed_project/kml_manifest.json"
              "-DKML_TEST_DATA=${test_data_joined}" "-DKML_PROFILE_ARGS=${profile_args_joined}"
              "-DKML_DIR=${profile_dir}" -P "${helpers}/KmlProfile.cmake"
      DEPENDS ${target}_profile_float_tb ${target}_profile_fixed_tb "${helpers}/KmlProfile.cmake"
      COMMENT "kml: numerical profile of ${target}"
      VERBATIM)
  else()
    _kml_failing_target(${target}_profile no_test_data)
  endif()

  # ---- vendor flows
  get_property(flow GLOBAL PROPERTY KML_HLS_FLOW)
  get_property(hls_exe GLOBAL PROPERTY KML_HLS_EXECUTABLE)
  get_property(hls_run_exe GLOBAL PROPERTY KML_HLS_RUN_EXECUTABLE)
  get_property(vivado_exe GLOBAL PROPERTY KML_VIVADO_EXECUTABLE)

  if(NOT TARGET kml_report_all)
    add_custom_target(kml_report_all
      COMMAND kml::kml-report --summary "$<TARGET_PROPERTY:kml_report_all,KML_REPORT_FILES>"
              -o "${CMAKE_BINARY_DIR}/kml_report_summary.json"
      COMMENT "kml: summary of all models"
      COMMAND_EXPAND_LISTS
      VERBATIM)
  endif()
  set_property(TARGET kml_report_all APPEND PROPERTY KML_REPORT_FILES "${work}/report.json")
  add_dependencies(kml_report_all ${target}_report)

  # What every report of this model reads besides the vendor reports (KML_REPORT_ARGS: kml_add_fpga_scan
  # reruns the report of each point with them).
  set(report_args --manifest "${manifest}" --name "${target}" --steps "${logs_dir}" --optional
                  --tool "kml=${kml_version}" --tool "cmake=${CMAKE_VERSION}")
  if(test_data)
    list(APPEND report_args --csim "${csim_json}")
  endif()

  # ---- portable HLS project and its archive (KmlHlsProject.cmake)
  _kml_add_hls_project()

  if(NOT flow)
    foreach(step synth cosim export vsynth)
      _kml_failing_target(${target}_${step} no_hls_tool)
    endforeach()
    # Reports made elsewhere (the portable project run on another machine) and copied back.
    list(APPEND report_args --search "${reports_dir}" --search "${work}/hls_project")
    set_target_properties(${target} PROPERTIES KML_REPORT_ARGS "${report_args}")
    add_custom_target(${target}_report
      COMMAND kml::kml-report ${report_args} -o "${work}/report.json"
      BYPRODUCTS "${work}/report.json"
      COMMENT "kml: report for ${target} (reports in ${reports_dir} or ${work}/hls_project)"
      VERBATIM)
    add_dependencies(${target}_report ${target}_generate)
    return()
  endif()

  # Where the HLS tool leaves its results.
  set(prj_name "${target}_prj")
  if(flow STREQUAL "vitis")
    set(component "${hls_dir}/component")
    set(sol_dir "${component}/hls")
  else()
    set(sol_dir "${hls_dir}/${prj_name}/solution1")
  endif()
  set(vendor_csynth "${sol_dir}/syn/report/csynth.xml")
  set(vendor_rtl "${sol_dir}/syn/verilog")
  set(vendor_ip "${sol_dir}/impl/ip")
  set(cosim_raw "${hls_dir}/cosim_outputs.dat")

  # Vendor scripts, regenerated whenever the project or a script template changes (written only when
  # their content changes, so an unchanged regeneration does not redo synthesis).  The fingerprint
  # hashes the firmware and testbench sources and kml's HLS templates they include: it is what the
  # vendor steps depend on, besides their own script.
  if(flow STREQUAL "vitis")
    set(scripts "${scripts_dir}/hls_config.cfg")
    foreach(step synth cosim export)
      set(${step}_script "${scripts_dir}/hls_config.cfg")
    endforeach()
  else()
    set(scripts "${scripts_dir}/synth.tcl" "${scripts_dir}/cosim.tcl" "${scripts_dir}/export.tcl")
    foreach(step synth cosim export)
      set(${step}_script "${scripts_dir}/${step}.tcl")
    endforeach()
  endif()
  list(APPEND scripts "${scripts_dir}/vivado_synth.tcl")
  set(fingerprint "${scripts_dir}/sources.sha256")
  add_custom_command(
    OUTPUT ${scripts} "${fingerprint}"
    COMMAND "${CMAKE_COMMAND}"
            "-DKML_MODEL=${target}" "-DKML_FLOW=${flow}" "-DKML_MANIFEST=${manifest}"
            "-DKML_PROJECT_DIR=${proj}" "-DKML_TEMPLATES_DIR=${templates_dir}" "-DKML_OUT_DIR=${scripts_dir}"
            "-DKML_PROJECT_NAME=${prj_name}" "-DKML_COMPONENT_DIR=${component}" "-DKML_RTL_DIR=${vendor_rtl}"
            "-DKML_VIVADO_DIR=${vivado_dir}" "-DKML_COSIM_INPUT=${csim_in}" "-DKML_COSIM_OUTPUT=${cosim_raw}"
            "-DKML_PART=${KML_PART}" "-DKML_CLOCK_PERIOD=${KML_CLOCK_PERIOD}" "-DKML_HLS_CFLAGS=${KML_HLS_CFLAGS}"
            "-DKML_EXTRA_INCLUDES=${extra_includes_joined}"
            -P "${helpers}/KmlVendorScripts.cmake"
    DEPENDS "${manifest}" ${script_templates} ${converter_templates} "${helpers}/KmlVendorScripts.cmake"
    COMMENT "kml: vendor scripts for ${target} (${flow})"
    VERBATIM)

  # One vendor step: the runner locks the model's work directory, removes the step's old results, runs
  # the tool with its output in logs/<step>.log, checks that the expected files appeared and copies
  # them into place atomically (temporary name + rename).
  macro(_kml_vendor_step step tool)
    get_filename_component(tool_name "${tool}" NAME)
    _kml_vendor_launcher(step_launcher "${target}" "${step}")  # KmlLaunchers.cmake
    add_custom_command(
      OUTPUT ${step_outputs}
      COMMAND "${CMAKE_COMMAND}"
              "-DKML_MODEL=${target}" "-DKML_STEP=${step}" "-DKML_FLOW=${flow}" "-DKML_TOOL=${tool}"
              "-DKML_WORK_DIR=${step_cwd}" "-DKML_LOCK=${work}/.vendor.lock" "-DKML_LOG=${logs_dir}/${step}.log"
              "-DKML_MANIFEST=${manifest}"
              "-DKML_ARGS=${step_args}" "-DKML_PRODUCTS=${step_products}" "-DKML_DESTINATIONS=${step_outputs_copy}"
              "-DKML_LAUNCHER=${step_launcher}"
              -P "${helpers}/KmlVendorStep.cmake"
      DEPENDS ${step_depends} "${helpers}/KmlVendorStep.cmake"
      JOB_POOL kml_vendor_jobs
      COMMENT "kml: ${target}: ${step} (${tool_name})"
      VERBATIM)
  endmacro()

  # Synthesis
  if(flow STREQUAL "vitis")
    set(step_args -c --mode hls --config "${scripts_dir}/hls_config.cfg" --work_dir "${component}")
    set(synth_tool "${hls_exe}")
  elseif(flow STREQUAL "vitis_tcl")
    set(step_args --mode hls --tcl "${scripts_dir}/synth.tcl")
    set(synth_tool "${hls_run_exe}")
  else()
    set(step_args -f "${scripts_dir}/synth.tcl")
    set(synth_tool "${hls_exe}")
  endif()
  set(step_cwd "${hls_dir}")
  set(step_outputs "${reports_dir}/csynth.xml")
  set(step_outputs_copy ${step_outputs})
  set(step_products "${vendor_csynth}")
  set(step_depends "${synth_script}" "${fingerprint}")
  _kml_vendor_step(synth "${synth_tool}")
  add_custom_target(${target}_synth DEPENDS "${reports_dir}/csynth.xml")

  # Co-simulation (needs the C simulation's inputs and outputs to compare against)
  if(test_data)
    if(flow STREQUAL "vitis")
      set(step_args --mode hls --cosim --config "${scripts_dir}/hls_config.cfg" --work_dir "${component}")
    elseif(flow STREQUAL "vitis_tcl")
      set(step_args --mode hls --tcl "${scripts_dir}/cosim.tcl")
    else()
      set(step_args -f "${scripts_dir}/cosim.tcl")
    endif()
    set(step_cwd "${hls_dir}")
    set(step_outputs "${reports_dir}/cosim.rpt" "${cosim_dir}/outputs.dat")
    set(step_outputs_copy ${step_outputs})
    set(step_products "${sol_dir}/sim/report/@TOP@_cosim.rpt" "${cosim_raw}")
    set(step_depends "${cosim_script}" "${fingerprint}" "${reports_dir}/csynth.xml" "${csim_in}")
    _kml_vendor_step(cosim "${hls_run_exe}")
    add_custom_command(
      OUTPUT "${cosim_dir}/match.txt"
      COMMAND "${CMAKE_COMMAND}" "-DKML_MODEL=${target}" "-DKML_CSIM=${csim_out}" "-DKML_COSIM=${cosim_dir}/outputs.dat"
              "-DKML_OUTPUT=${cosim_dir}/match.txt" -P "${helpers}/KmlCompareOutputs.cmake"
      DEPENDS "${csim_out}" "${cosim_dir}/outputs.dat" "${helpers}/KmlCompareOutputs.cmake"
      COMMENT "kml: ${target}: comparing RTL co-simulation with C simulation"
      VERBATIM)
    add_custom_target(${target}_cosim DEPENDS "${cosim_dir}/match.txt")
  else()
    _kml_failing_target(${target}_cosim no_test_data)
  endif()

  # IP export
  if(flow STREQUAL "vitis")
    set(step_args --mode hls --package --config "${scripts_dir}/hls_config.cfg" --work_dir "${component}")
  elseif(flow STREQUAL "vitis_tcl")
    set(step_args --mode hls --tcl "${scripts_dir}/export.tcl")
  else()
    set(step_args -f "${scripts_dir}/export.tcl")
  endif()
  set(step_cwd "${hls_dir}")
  set(step_outputs "${work}/ip/component.xml")
  set(step_outputs_copy "${work}/ip")
  set(step_products "${vendor_ip}")
  set(step_depends "${export_script}" "${fingerprint}" "${reports_dir}/csynth.xml")
  _kml_vendor_step(export "${hls_run_exe}")
  add_custom_target(${target}_export DEPENDS "${work}/ip/component.xml")

  # Vivado synthesis of the generated RTL
  if(vivado_exe)
    set(step_args -mode batch -nojournal -log "${vivado_dir}/vivado.log" -source "${scripts_dir}/vivado_synth.tcl")
    set(step_cwd "${vivado_dir}")
    set(step_outputs "${reports_dir}/vivado_utilization.rpt" "${reports_dir}/vivado_timing.rpt")
    set(step_outputs_copy ${step_outputs})
    set(step_products "${vivado_dir}/utilization.rpt" "${vivado_dir}/timing.rpt")
    set(step_depends "${scripts_dir}/vivado_synth.tcl" "${reports_dir}/csynth.xml")
    _kml_vendor_step(vsynth "${vivado_exe}")
    add_custom_target(${target}_vsynth DEPENDS ${step_outputs})
  else()
    _kml_failing_target(${target}_vsynth no_vivado)
  endif()

  # Report: always re-run (cheap), so the table reflects whatever steps have finished since.
  list(APPEND report_args
            --csynth "${reports_dir}/csynth.xml"
            --cosim "${reports_dir}/cosim.rpt"
            --vivado-utilization "${reports_dir}/vivado_utilization.rpt"
            --vivado-timing "${reports_dir}/vivado_timing.rpt"
            --tool "hls.flow=${flow}" --tool "hls.path=${hls_exe}" --tool "vivado.path=${vivado_exe}")
  set_target_properties(${target} PROPERTIES KML_REPORT_ARGS "${report_args}")
  add_custom_target(${target}_report
    COMMAND kml::kml-report ${report_args} -o "${work}/report.json"
    DEPENDS "${reports_dir}/csynth.xml"
    BYPRODUCTS "${work}/report.json"
    COMMENT "kml: report for ${target}"
    VERBATIM)
endfunction()
