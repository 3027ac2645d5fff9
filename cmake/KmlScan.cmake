# kml_add_fpga_scan(): a design-space scan, one kml model per combination of settings.
#
#   kml_add_fpga_scan(<name> <model> <config.toml> TEST_DATA <file.io.h5>
#                     VARY <key> <value>... [VARY <key> <value>...]...
#                     [WEIGHTS <w.h5>] [CSIM_CHECKS <args>...] [PLUGINS ...] [TEMPLATE_DIRS ...]
#                     [RTL] [OUTPUT_DIR <dir>])
#
# Each VARY names a setting of the config's [model] table (reuse_factor, precision, strategy, io_type, or
# any key kml-convert --set accepts, such as layer.<name>.reuse_factor) and the values it takes; the scan
# is every combination, the last VARY changing fastest.  Point i is the model <name>_<i> (all of
# kml_add_fpga_model's targets: <name>_<i>_csim, _synth, _report, _hls_package, ...), converted from the
# config with those settings replacing the config's (`SET`), in its own work directory
# <dir>/<name>_<i> (<dir> = OUTPUT_DIR, default ${CMAKE_CURRENT_BINARY_DIR}/<name>).
#
# Scan-level targets:
#   <name>_csim     the C simulation of every point
#   <name>_synth    HLS synthesis of every point (in parallel, as the kml_vendor_jobs pool and
#                   KML_VENDOR_LAUNCHER allow: a cluster runs them side by side)
#   <name>_report   every point's report.json (from whatever reports exist), then <dir>/scan.json and
#                   <dir>/scan.html: per point the C simulation's accuracy against TEST_DATA's reference
#                   (argmax agreement, max error), latency/II and resources (Vivado, else HLS, else the
#                   RTL report), Pareto-optimal points marked; a table on the console.
# <dir>/scan.json maps the point names to their settings from configure time on (the report adds the
# results); <dir>/scan_points.json is what the report starts from.
include_guard(GLOBAL)

function(kml_add_fpga_scan name model config)
  set(usage "kml_add_fpga_scan(<name> <model> <config.toml> TEST_DATA <f.io.h5> VARY <key> <value>... "
            "[VARY ...] [WEIGHTS <w.h5>] [CSIM_CHECKS <args>...] [PLUGINS ...] [TEMPLATE_DIRS ...] [RTL] "
            "[OUTPUT_DIR <dir>])")
  string(JOIN "" usage ${usage})
  # VARY repeats, so the arguments are split by hand: keyword -> values.
  set(keywords VARY TEST_DATA WEIGHTS CSIM_CHECKS PLUGINS TEMPLATE_DIRS RTL OUTPUT_DIR)
  set(current "")
  set(vary_keys "")
  set(n_vary 0)
  set(forward "")
  set(test_data "")
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${name}")
  set(rtl FALSE)
  foreach(arg IN LISTS ARGN)
    if(arg IN_LIST keywords)
      set(current "${arg}")
      if(arg STREQUAL "VARY")
        math(EXPR n_vary "${n_vary} + 1")
        set(vary_${n_vary}_key "")
        set(vary_${n_vary}_values "")
      elseif(arg STREQUAL "RTL")
        set(rtl TRUE)
        set(current "")
      elseif(arg MATCHES "^(WEIGHTS|CSIM_CHECKS|PLUGINS|TEMPLATE_DIRS)$")
        list(APPEND forward "${arg}")
      endif()
      continue()
    endif()
    if(current STREQUAL "VARY")
      if(vary_${n_vary}_key STREQUAL "")
        if(NOT arg MATCHES "^[A-Za-z_][A-Za-z0-9_.]*$")
          message(FATAL_ERROR "kml_add_fpga_scan(${name}): '${arg}' is not a setting name\n  usage: ${usage}")
        endif()
        if(arg IN_LIST vary_keys)
          message(FATAL_ERROR "kml_add_fpga_scan(${name}): VARY ${arg} given twice")
        endif()
        set(vary_${n_vary}_key "${arg}")
        list(APPEND vary_keys "${arg}")
      else()
        list(APPEND vary_${n_vary}_values "${arg}")
      endif()
    elseif(current STREQUAL "TEST_DATA")
      set(test_data "${arg}")
      set(current "")
    elseif(current STREQUAL "OUTPUT_DIR")
      _kml_absolute(out_dir "${arg}" "${CMAKE_CURRENT_BINARY_DIR}")
      set(current "")
    elseif(current MATCHES "^(WEIGHTS|CSIM_CHECKS|PLUGINS|TEMPLATE_DIRS)$")
      list(APPEND forward "${arg}")
    else()
      message(FATAL_ERROR "kml_add_fpga_scan(${name}): unexpected argument '${arg}'\n  usage: ${usage}")
    endif()
  endforeach()
  if(n_vary EQUAL 0)
    message(FATAL_ERROR "kml_add_fpga_scan(${name}): nothing to vary (give VARY <key> <value>...)\n  usage: ${usage}")
  endif()
  if(test_data STREQUAL "")
    message(FATAL_ERROR "kml_add_fpga_scan(${name}): TEST_DATA is required (the accuracy of each point is "
                        "measured on it)\n  usage: ${usage}")
  endif()
  foreach(v RANGE 1 ${n_vary})
    list(LENGTH vary_${v}_values n)
    if(vary_${v}_key STREQUAL "" OR n EQUAL 0)
      message(FATAL_ERROR "kml_add_fpga_scan(${name}): VARY ${vary_${v}_key} needs a setting name and at least one value")
    endif()
    foreach(value IN LISTS vary_${v}_values)
      if(value STREQUAL "")
        message(FATAL_ERROR "kml_add_fpga_scan(${name}): VARY ${vary_${v}_key}: empty value")
      endif()
    endforeach()
  endforeach()
  foreach(suffix _csim _synth _report)
    if(TARGET ${name}${suffix})
      message(FATAL_ERROR "kml_add_fpga_scan(${name}): a target named '${name}${suffix}' already exists")
    endif()
  endforeach()
  if(rtl)
    list(APPEND forward RTL)
  endif()

  # Every combination: point i's index in VARY v is (i / stride_v) % n_v, the last VARY fastest.
  set(n_points 1)
  foreach(v RANGE 1 ${n_vary})
    list(LENGTH vary_${v}_values n)
    math(EXPR n_points "${n_points} * ${n}")
    set(stride_${v} 1)
    math(EXPR after "${v} + 1")
    if(after LESS_EQUAL n_vary)
      foreach(u RANGE ${after} ${n_vary})
        list(LENGTH vary_${u}_values n_u)
        math(EXPR stride_${v} "${stride_${v}} * ${n_u}")
      endforeach()
    endif()
  endforeach()
  math(EXPR last "${n_points} - 1")

  cmake_path(GET model FILENAME model_name)
  cmake_path(GET config FILENAME config_name)
  set(doc "{}")
  string(JSON doc SET "${doc}" kml_scan_schema 1)
  string(JSON doc SET "${doc}" name "\"${name}\"")
  string(JSON doc SET "${doc}" model "\"${model_name}\"")
  string(JSON doc SET "${doc}" config "\"${config_name}\"")
  string(JSON doc SET "${doc}" vary "[]")
  foreach(v RANGE 1 ${n_vary})
    math(EXPR j "${v} - 1")
    set(values "[]")
    set(k 0)
    foreach(value IN LISTS vary_${v}_values)
      _kml_json_string(quoted "${value}")
      string(JSON values SET "${values}" ${k} "${quoted}")
      math(EXPR k "${k} + 1")
    endforeach()
    string(JSON doc SET "${doc}" vary ${j} "{\"key\": \"${vary_${v}_key}\", \"values\": ${values}}")
  endforeach()
  string(JSON doc SET "${doc}" points "[]")

  set(point_csims "")
  set(point_synths "")
  set(report_commands "")
  set(table "")
  foreach(i RANGE ${last})
    set(point "${name}_${i}")
    set(sets "")
    set(settings "{}")
    set(text "")
    foreach(v RANGE 1 ${n_vary})
      list(LENGTH vary_${v}_values n)
      math(EXPR index "(${i} / ${stride_${v}}) % ${n}")
      list(GET vary_${v}_values ${index} value)
      list(APPEND sets "${vary_${v}_key}=${value}")
      _kml_json_string(quoted "${value}")
      string(JSON settings SET "${settings}" "${vary_${v}_key}" "${quoted}")
      string(APPEND text " ${vary_${v}_key}=${value}")
    endforeach()
    kml_add_fpga_model(${point} "${model}" "${config}" TEST_DATA "${test_data}" ${forward}
                       SET ${sets} OUTPUT_DIR "${out_dir}/${point}")
    get_target_property(point_work ${point} KML_WORK_DIR)
    get_target_property(point_report_args ${point} KML_REPORT_ARGS)
    _kml_json_string(work_json "${point_work}")
    _kml_json_string(report_json "${point_work}/report.json")
    string(JSON doc SET "${doc}" points ${i}
           "{\"name\": \"${point}\", \"settings\": ${settings}, \"work_dir\": ${work_json}, \"report\": ${report_json}}")
    list(APPEND point_csims ${point}_csim)
    list(APPEND point_synths ${point}_synth)
    list(APPEND report_commands COMMAND kml::kml-report ${point_report_args} -q -o "${point_work}/report.json")
    string(APPEND table "\n     ${point}:${text}")
  endforeach()

  # scan_points.json, and scan.json until a report replaces it (again whenever the points change).
  file(MAKE_DIRECTORY "${out_dir}")
  file(WRITE "${out_dir}/scan_points.json.tmp" "${doc}\n")
  file(COPY_FILE "${out_dir}/scan_points.json.tmp" "${out_dir}/scan_points.json" ONLY_IF_DIFFERENT)
  file(REMOVE "${out_dir}/scan_points.json.tmp")
  if(NOT EXISTS "${out_dir}/scan.json" OR "${out_dir}/scan_points.json" IS_NEWER_THAN "${out_dir}/scan.json")
    file(COPY_FILE "${out_dir}/scan_points.json" "${out_dir}/scan.json")
  endif()
  list(JOIN vary_keys " x " vary_text)
  message(STATUS "kml: scan ${name}: ${n_points} points (${vary_text}) -> ${out_dir}/scan.json${table}")

  add_custom_target(${name}_csim)
  add_dependencies(${name}_csim ${point_csims})
  add_custom_target(${name}_synth)
  add_dependencies(${name}_synth ${point_synths})
  add_custom_target(${name}_report
    ${report_commands}
    COMMAND kml::kml-report --scan "${out_dir}/scan_points.json" -o "${out_dir}/scan.json"
            --html "${out_dir}/scan.html"
    BYPRODUCTS "${out_dir}/scan.json" "${out_dir}/scan.html"
    COMMENT "kml: scan ${name}: ${n_points} points -> ${out_dir}/scan.json, scan.html"
    VERBATIM)
  add_dependencies(${name}_report ${point_csims})
  set_target_properties(${name}_report PROPERTIES KML_SCAN_POINTS "${n_points}" KML_SCAN_DIR "${out_dir}")
endfunction()

# A JSON string literal of `text`.
function(_kml_json_string out text)
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  set(${out} "\"${text}\"" PARENT_SCOPE)
endfunction()
