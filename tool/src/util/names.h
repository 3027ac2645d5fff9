// Names from a model or a configuration on their way into generated text.  A model or TOML from a third party
// must not be able to break the generated code, or run commands in a vendor tool, through a layer name, a
// model name or a configuration string, so every such name goes through one of these:
//
//   cpp_comment        text for a // comment: no line break, no line splice (backslash, ??/), ASCII or UTF-8
//   cpp_string         a C++ string literal (quoted; every byte outside printable ASCII as an octal escape)
//   project_ident      the C++ namespace of a model (and <ident>_top): never a keyword, a reserved name or a name
//                      the generated code, the C library or the vendor headers declare globally
//   project_name       the model's name as it names files (include/<name>.h) and Tcl words
//   file_stem          a name as a file name (trace files): letters, digits, _ - + . only, others %XX
//   check_tool_word    a configuration string written into Tcl / .cfg (the FPGA part): refused unless it is a
//                      plain word
//   shown              any name inside an error message: one line, control characters escaped
#pragma once
#include <string>

namespace kml::names {

std::string cpp_comment(const std::string& s);
std::string cpp_string(const std::string& s);

// `name` (a project name) as a C++ identifier: characters outside [A-Za-z0-9_] and runs of '_' become one '_',
// a leading digit gets "m_" and a leading '_' "m" before it; a keyword (float, int, ...), a name the C/C++
// libraries or the vendor headers use at global scope (main, std, kml, time, linux, ...), a name ending in _t
// or starting with a prefix kml and the vendor reserve (KML_, ap_, AP_, hls_) gets a trailing '_'.
std::string project_ident(const std::string& name);
bool is_reserved_ident(const std::string& ident);

// Characters a project name may hold: ASCII letters, digits, '_', '.', '+', '-' and UTF-8 encoded non-ASCII
// characters; it must not start with '.' or '-'.  An explicit name (-n, the CMake target) that breaks this is
// an error naming it; a name taken from the model file's stem is made to fit ('_' for each other character).
bool is_project_name(const std::string& name);
std::string project_name_from_stem(const std::string& stem);

// True when include/<name>.h is also the name of a C, POSIX or vendor header (float.h, math.h, ap_fixed.h):
// the API header then starts with #include_next of it, so that a file including <float.h> with the model's
// include directory on the path still gets the real one.
bool shadows_system_header(const std::string& name);

std::string file_stem(const std::string& name);

// Throws kml::Error "<where>: <key> = "<value>": ..." unless `value` is empty or a plain word
// ([A-Za-z0-9][A-Za-z0-9_.:+-]*, at most 128 characters): written into Tcl and .cfg files, anything else
// ("xc\nexit 1", brackets, $, ;, braces, quotes, spaces) could run commands in the vendor tool.
void check_tool_word(const std::string& value, const std::string& key, const std::string& where);

std::string shown(const std::string& s);

}  // namespace kml::names
