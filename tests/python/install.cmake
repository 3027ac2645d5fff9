# python.install: cmake --install --component kml_python into a fresh prefix, import the module from there with
# PYTHONPATH=<prefix>/<SITE>, move the prefix and import it again (nothing in the module points into the prefix).
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD}" --component kml_python --prefix "${WORK}/prefix"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install --component kml_python failed (${rc})")
endif()
file(GLOB installed "${WORK}/prefix/${SITE}/${MODULE}.*")
if(NOT installed)
  message(FATAL_ERROR "no ${MODULE}.* in ${WORK}/prefix/${SITE}")
endif()
foreach(prefix prefix moved)
  if(prefix STREQUAL "moved")
    file(RENAME "${WORK}/prefix" "${WORK}/moved")
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PYTHONPATH=${WORK}/${prefix}/${SITE}"
                          "${PYTHON}" -c "import ${MODULE}, numpy; print(${MODULE}.__file__); print(${MODULE}.predict(numpy.zeros((2,) + ${MODULE}.input_shapes[0][1:], numpy.float32)).shape)"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "${out}")
  if(NOT rc EQUAL 0 OR NOT out MATCHES "${WORK}/${prefix}/" OR NOT out MATCHES "\\(2, 5\\)")
    message(FATAL_ERROR "import ${MODULE} from ${WORK}/${prefix}/${SITE} failed: ${out}${err}")
  endif()
endforeach()
