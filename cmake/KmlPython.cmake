# The Python module of a model (kml_add_fpga_model(... PYTHON), or every model with KML_PYTHON=ON): a pybind11
# extension module named like the model's C++ namespace (_kml_python_name), wrapping the host emulation library <target> (its batch
# API). Source: python/kml_module.cpp + kml_py_meta.h written from the model's manifest (scripts/KmlPythonMeta.cmake).
# Python 3 (development files), pybind11 and numpy are looked for only when a model asks for its module.
#
#   <target>_python        the module, <work>/python/<ident>.<SOABI>.so: PYTHONPATH=<work>/python python3 -c "import <ident>"
#   cmake --install        puts it into <prefix>/${KML_PYTHON_INSTALL_DIR} (component kml_python)
include_guard(GLOBAL)

set(KML_PYTHON OFF CACHE BOOL "Build the Python module (PYTHON) of every kml_add_fpga_model() model")
set(KML_PYTHON_INSTALL_DIR "" CACHE STRING
  "Where cmake --install puts the models' Python modules, relative to the prefix (empty: lib/python3.<minor>/site-packages)")

# Finds Python 3 (interpreter and development files), pybind11 and numpy in the calling directory, or fails with one
# message naming the missing Debian package.
function(_kml_python_find target)
  set(why "kml_add_fpga_model(${target}): PYTHON (or KML_PYTHON) builds a Python module and needs")
  find_package(Python3 3.7 QUIET COMPONENTS Interpreter Development.Module)
  if(NOT Python3_Interpreter_FOUND)
    message(FATAL_ERROR "${why} Python 3 (Debian package python3), which was not found")
  endif()
  if(NOT Python3_Development.Module_FOUND)
    message(FATAL_ERROR "${why} Python 3's development files (Debian package python3-dev), which were not found "
                        "for ${Python3_EXECUTABLE}")
  endif()
  find_package(pybind11 2.6 CONFIG QUIET)
  if(NOT pybind11_FOUND OR NOT TARGET pybind11::headers)
    message(FATAL_ERROR "${why} pybind11 (Debian package pybind11-dev), which was not found (pybind11_DIR)")
  endif()
  get_property(numpy_ok GLOBAL PROPERTY _KML_PYTHON_NUMPY_OK)
  if(NOT numpy_ok STREQUAL Python3_EXECUTABLE)
    execute_process(COMMAND "${Python3_EXECUTABLE}" -c "import numpy" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${why} numpy (Debian package python3-numpy), which ${Python3_EXECUTABLE} cannot import")
    endif()
    set_property(GLOBAL PROPERTY _KML_PYTHON_NUMPY_OK "${Python3_EXECUTABLE}")
  endif()
  # The calling scope needs the version for the install directory.
  set(Python3_VERSION_MAJOR "${Python3_VERSION_MAJOR}" PARENT_SCOPE)
  set(Python3_VERSION_MINOR "${Python3_VERSION_MINOR}" PARENT_SCOPE)
endfunction()

# The Python module's name: the target made an identifier as kml-convert makes its C++ namespace (util/names.cpp
# project_ident: other characters and runs of '_' become one '_', "m_" before a leading digit, "m" before a leading
# '_'), without the trailing '_' a reserved C++ name gets there (Python has its own rules: `import float` works), and
# with a trailing '_' for a Python keyword instead.
function(_kml_python_name out target)
  string(REGEX REPLACE "[^A-Za-z0-9_]" "_" name "${target}")
  string(REGEX REPLACE "__+" "_" name "${name}")
  if(name MATCHES "^[0-9]")
    set(name "m_${name}")
  elseif(name MATCHES "^_")
    set(name "m${name}")
  endif()
  set(keywords False None True and as assert async await break class continue def del elif else except finally for
               from global if import in is lambda nonlocal not or pass raise return try while with yield)
  if(name IN_LIST keywords)
    string(APPEND name "_")
  endif()
  set(${out} "${name}" PARENT_SCOPE)
endfunction()

# Called by kml_add_fpga_model() (in its scope: target, work, manifest; CMAKE_CURRENT_FUNCTION_LIST_DIR is kml.cmake's
# directory, which holds this file, python/ and scripts/).
macro(_kml_add_python_module)
  _kml_python_find(${target})
  _kml_python_name(py_name "${target}")
  set(py_dir "${work}/python")
  set(py_meta "${py_dir}/include/kml_py_meta.h")
  add_custom_command(
    OUTPUT "${py_meta}"
    COMMAND "${CMAKE_COMMAND}" "-DKML_TARGET=${target}" "-DKML_MODULE=${py_name}" "-DKML_MANIFEST=${manifest}"
            "-DKML_OUT=${py_meta}" -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/scripts/KmlPythonMeta.cmake"
    DEPENDS "${manifest}" "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/scripts/KmlPythonMeta.cmake"
    COMMENT "kml: Python module description of ${target}"
    VERBATIM)
  Python3_add_library(${target}_python MODULE WITH_SOABI "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/python/kml_module.cpp" "${py_meta}")
  add_dependencies(${target}_python ${target}_generate)
  target_include_directories(${target}_python PRIVATE "${py_dir}/include")
  target_link_libraries(${target}_python PRIVATE ${target} pybind11::headers kml::templates)
  if(TARGET kml::runtime)
    target_link_libraries(${target}_python PRIVATE kml::runtime)
  endif()
  # "$<0:>": no per-configuration subdirectory, so that PYTHONPATH=<work>/python finds it with every generator.
  set_target_properties(${target}_python PROPERTIES
    OUTPUT_NAME "${py_name}" PREFIX "" LIBRARY_OUTPUT_DIRECTORY "${py_dir}$<0:>"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON KML_PYTHON_MODULE "${py_name}"
                                              KML_PYTHON_DIR "${py_dir}")
  if(KML_PYTHON_INSTALL_DIR)
    set(py_install_dir "${KML_PYTHON_INSTALL_DIR}")
  else()
    set(py_install_dir "lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/site-packages")
  endif()
  set(py_install_extra "")
  if(KML_PYTHON_INSTALL_EXCLUDE_FROM_ALL)
    set(py_install_extra EXCLUDE_FROM_ALL)
  endif()
  install(TARGETS ${target}_python LIBRARY DESTINATION "${py_install_dir}" COMPONENT kml_python ${py_install_extra})
endmacro()
