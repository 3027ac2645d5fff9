# Launchers for kml's vendor steps: run HLS synthesis, co-simulation, export and Vivado synthesis on a
# batch cluster (or through any other wrapper) while kml's own bookkeeping stays on the build host.
#
#   KML_VENDOR_LAUNCHER           a CMake list prefixed to the vendor tool's command line, for every step
#   KML_VENDOR_LAUNCHER_SYNTH     per step (SYNTH, COSIM, EXPORT, VSYNTH): replaces KML_VENDOR_LAUNCHER
#   ..._COSIM, _EXPORT, _VSYNTH   for that step; NONE runs that step on the build host
#
# In each, @MODEL@ becomes the model's target name and @STEP@ the step (synth, cosim, export, vsynth).
# Only the tool's command is wrapped: locking of the work directory, removal of old results, the product
# checks and the atomic publishing of results happen on the build host (KmlVendorStep.cmake), so the
# work directory must be on a file system the compute nodes share.  A first element `kml-batch-wait`
# is kml's own blocking batch wrapper (sbatch, condor_submit; see tool/batch/kml-batch-wait).
#
# Slurm, interactive allocation per step (one job per step, Ctrl-C cancels it):
#   -DKML_VENDOR_LAUNCHER="srun;--ntasks=1;--cpus-per-task=8;--mem=32G;--quit-on-interrupt;--job-name=@MODEL@_@STEP@"
#   -DKML_VENDOR_LAUNCHER_VSYNTH="srun;...;-L;vivado"      (licence-limited step)
#   cmake --build build -j 64  with  -DKML_VENDOR_JOBS=64   (the queue, not Ninja, decides what runs)
include_guard(GLOBAL)

set(KML_VENDOR_LAUNCHER "" CACHE STRING
  "Command prefixed to every kml vendor step's tool (a CMake list; @MODEL@ and @STEP@ are substituted), e.g. srun;--quit-on-interrupt;--job-name=@MODEL@_@STEP@")
foreach(_kml_step SYNTH COSIM EXPORT VSYNTH)
  set(KML_VENDOR_LAUNCHER_${_kml_step} "" CACHE STRING
    "Launcher for kml's ${_kml_step} steps only (replaces KML_VENDOR_LAUNCHER; NONE: run on the build host)")
endforeach()
unset(_kml_step)

# The launcher of one step of one model, with @MODEL@ and @STEP@ substituted (empty: run directly).
function(_kml_vendor_launcher out model step)
  string(TOUPPER "${step}" upper)
  set(launcher "${KML_VENDOR_LAUNCHER}")
  set(source KML_VENDOR_LAUNCHER)
  if(NOT "${KML_VENDOR_LAUNCHER_${upper}}" STREQUAL "")
    set(launcher "${KML_VENDOR_LAUNCHER_${upper}}")
    set(source KML_VENDOR_LAUNCHER_${upper})
  endif()
  if(launcher STREQUAL "NONE")
    set(launcher "")
  endif()
  if(launcher)
    list(GET launcher 0 first)
    get_property(batch_wait GLOBAL PROPERTY KML_BATCH_WAIT)
    if(first STREQUAL "kml-batch-wait" AND batch_wait)
      list(REMOVE_AT launcher 0)
      list(PREPEND launcher "${batch_wait}")
    endif()
    # srun forwards a single Ctrl-C to the job but keeps waiting for it (and then returns 0): the build
    # would not stop.  --quit-on-interrupt makes one Ctrl-C cancel the step.
    set(uses_srun FALSE)
    foreach(arg IN LISTS launcher)
      get_filename_component(arg_name "${arg}" NAME)
      if(arg_name STREQUAL "srun")
        set(uses_srun TRUE)
      endif()
    endforeach()
    if(uses_srun AND NOT "--quit-on-interrupt" IN_LIST launcher)
      get_property(warned GLOBAL PROPERTY _KML_SRUN_WARNED_${source})
      if(NOT warned)
        message(WARNING "kml: ${source} runs srun without --quit-on-interrupt: a Ctrl-C would not stop "
                        "the build (srun forwards one Ctrl-C to the job, waits for it to finish and returns 0). "
                        "Add --quit-on-interrupt.")
        set_property(GLOBAL PROPERTY _KML_SRUN_WARNED_${source} TRUE)
      endif()
    endif()
    string(REPLACE "@MODEL@" "${model}" launcher "${launcher}")
    string(REPLACE "@STEP@" "${step}" launcher "${launcher}")
  endif()
  set(${out} "${launcher}" PARENT_SCOPE)
endfunction()
