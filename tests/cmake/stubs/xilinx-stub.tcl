# Tcl half of the stand-in vendor tools (xilinx-stub): runs a vendor Tcl script that computes its paths
# at run time (kml's portable build_prj.tcl and vivado_synth.tcl: [info script], glob, ::argv) in a real
# Tcl interpreter, with the vendor commands defined as procedures.  Each action command (csynth_design,
# cosim_design, export_design, csim_design, Vivado's synthesis) is handed back to xilinx-stub as the flat
# script it amounts to -- absolute paths, one command per line -- so the same checks and canned results
# apply as for the scripts kml writes for the build tree.
#   tclsh xilinx-stub.tcl <tool> <script> [script arguments...]
# Environment: KML_STUB_SELF (the stand-in, called back with KML_STUB_REPLAY=1), KML_STUB_TOOL_PATH.
set tool [lindex $::argv 0]
set script [file normalize [lindex $::argv 1]]
set ::argv [lrange $::argv 2 end]
set ::argc [llength $::argv]
set ::stub(prj) ""
set ::stub(sol) ""
set ::stub(reset) 0
set ::stub(top) ""
set ::stub(files) {}
set ::stub(tb) {}
set ::stub(tbdirs) {}
set ::stub(part) ""
set ::stub(clock) ""
set ::stub(flow_target) 0
set ::stub(verilog) {}
set ::stub(vtop) ""
set ::stub(vpart) ""
set ::stub(n) 0

proc stub_fail {msg} {
  puts stderr "$::tool (stand-in): ERROR: $msg"
  ::tcl_exit 1
}

# Hands a flat script back to xilinx-stub (under this tool's name) and returns when it is done.
proc stub_replay {lines {vivado 0}} {
  incr ::stub(n)
  set f [file join [pwd] ".kml_stub_replay_$::stub(n).tcl"]
  set fh [open $f w]
  puts $fh [join [concat $lines [list exit]] "\n"]
  close $fh
  set self $::env(KML_STUB_TOOL_PATH)
  if {$vivado} {
    set cmd [list $self -mode batch -source $f]
  } elseif {$::tool eq "vitis-run"} {
    set cmd [list $self --mode hls --tcl $f]
  } else {
    set cmd [list $self -f $f]
  }
  set ::env(KML_STUB_REPLAY) 1
  if {[catch {exec {*}$cmd >@ stdout 2>@ stderr} err]} {
    file delete $f
    puts stderr $err
    ::tcl_exit 1
  }
  file delete $f
}

proc open_project {args} {
  set ::stub(reset) [expr {[lindex $args 0] eq "-reset"}]
  set ::stub(prj) [lindex $args end]
  if {$::stub(reset)} {
    set ::stub(files) {}
    set ::stub(tb) {}
    set ::stub(tbdirs) {}
  }
}
proc set_top {name} { set ::stub(top) $name }
proc add_files {args} {
  set tb 0
  set cflags ""
  set file ""
  for {set i 0} {$i < [llength $args]} {incr i} {
    set a [lindex $args $i]
    if {$a eq "-tb"} {
      set tb 1
    } elseif {$a eq "-cflags" || $a eq "-csimflags"} {
      incr i
      set cflags [lindex $args $i]
    } else {
      set file [file normalize $a]
    }
  }
  if {![file exists $file]} { stub_fail "add_files: no such file or directory '$file'" }
  if {[file isdirectory $file]} {
    if {!$tb} { stub_fail "add_files: a directory ($file) can only be a testbench file (-tb)" }
    lappend ::stub(tbdirs) $file
  } elseif {$tb} {
    lappend ::stub(tb) [list $file $cflags]
  } else {
    lappend ::stub(files) [list $file $cflags]
  }
}
proc open_solution {args} {
  if {[lsearch $args -flow_target] >= 0} {
    if {$::tool eq "vivado_hls"} { error "vivado_hls: unknown option -flow_target" }
    set ::stub(flow_target) 1
  }
  set ::stub(sol) [lindex [lsearch -all -inline -not -glob $args -*] 0]
  if {[lsearch $args -flow_target] >= 0} {
    set ::stub(sol) [lindex [lsearch -all -inline -not -regexp $args {^(-.*|vivado|vitis)$}] 0]
  }
}
proc set_part {part} { set ::stub(part) $part }
proc create_clock {args} {
  set i [lsearch $args -period]
  set ::stub(clock) [lindex $args [expr {$i + 1}]]
}
proc set_clock_uncertainty {args} {}
proc config_compile {args} {}
proc config_interface {args} {}
proc config_schedule {args} {}

proc stub_project_lines {} {
  set lines [list "open_project -reset $::stub(prj)" "set_top $::stub(top)"]
  foreach f $::stub(files) { lappend lines "add_files {[lindex $f 0]} -cflags {[lindex $f 1]}" }
  foreach f $::stub(tb) { lappend lines "add_files -tb {[lindex $f 0]} -cflags {[lindex $f 1]}" }
  set sol "open_solution -reset $::stub(sol)"
  if {$::stub(flow_target)} { append sol " -flow_target vivado" }
  lappend lines $sol "set_part {$::stub(part)}" "create_clock -period $::stub(clock) -name default"
  return $lines
}
proc stub_reopen_lines {} {
  return [list "open_project $::stub(prj)" "open_solution $::stub(sol)"]
}

# The testbench runs in the tool's simulation directory, with a copy of the testbench directories
# (add_files -tb <dir>); relative -argv paths are relative to it.
proc stub_sim_argv {kind argv} {
  set dir [file join [pwd] $::stub(prj) $::stub(sol) {*}$kind]
  file mkdir $dir
  foreach d $::stub(tbdirs) {
    file delete -force [file join $dir [file tail $d]]
    file copy $d $dir
  }
  set out {}
  foreach a $argv { lappend out [file join $dir $a] }
  return $out
}

proc csynth_design {args} {
  if {!$::stub(reset)} { stub_fail "csynth_design in a project that was reopened, not created (open_project -reset)" }
  stub_replay [concat [stub_project_lines] [list csynth_design]]
}
proc csim_design {args} {
  set i [lsearch $args -argv]
  set argv [stub_sim_argv {csim build} [lindex $args [expr {$i + 1}]]]
  # The flat csim script of xilinx-stub creates nothing: it needs the project's files.
  stub_replay [concat [stub_project_lines] [list "csim_design -argv {$argv}"]]
}
proc cosim_design {args} {
  set i [lsearch $args -argv]
  set argv [stub_sim_argv {sim wrapc_pc} [lindex $args [expr {$i + 1}]]]
  stub_replay [concat [stub_reopen_lines] [list "cosim_design -rtl verilog -argv {$argv}"]]
}
proc export_design {args} {
  stub_replay [concat [stub_reopen_lines] [list "export_design -format ip_catalog"]]
}

# Vivado
proc create_project {args} {
  set i [lsearch $args -part]
  if {$i >= 0} { set ::stub(vpart) [lindex $args [expr {$i + 1}]] }
}
proc read_verilog {files} {
  foreach f $files { lappend ::stub(verilog) [file normalize $f] }
}
proc read_xdc {args} {}
proc synth_design {args} {
  set ::stub(vtop) [lindex $args [expr {[lsearch $args -top] + 1}]]
  set ::stub(vpart) [lindex $args [expr {[lsearch $args -part] + 1}]]
  if {[llength $::stub(verilog)] == 0} { stub_fail "synth_design without read_verilog" }
}
proc report_utilization {args} {
  set out [file dirname [file normalize [lindex $args [expr {[lsearch $args -file] + 1}]]]]
  set rtl [file dirname [lindex $::stub(verilog) 0]]
  stub_replay [list "set rtl_dir {$rtl}" "set out_dir {$out}" \
    "synth_design -top $::stub(vtop) -part {$::stub(vpart)} -mode out_of_context"] 1
}
proc report_timing_summary {args} {}

rename exit ::tcl_exit
proc exit {{code 0}} { ::tcl_exit $code }
cd [pwd]
if {[catch {source $script} err]} {
  puts stderr "$tool (stand-in): ERROR: $script: $err"
  ::tcl_exit 1
}
stub_fail "$script does not end with 'exit' (the tool would wait at its prompt)"
