// Human-readable tables for kml-report: one model in detail, or a summary row per model.
#pragma once

#include "parsers.h"

#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

namespace kml::report {

inline const char* const kResources[] = {"LUT", "FF", "DSP", "BRAM_18K", "URAM"};

// A value for a table cell: "-" for null, integers as such, floats with `decimals` decimals.
std::string fmt(const json& v, int decimals = 3);
// used / available as "12.34%" ("-" when either is missing).
std::string percent(const json& used, const json& available);
// The member at `path` (null when any step is missing).
const json& at(const json& j, std::initializer_list<const char*> path);
// Rows as left-aligned columns separated by two spaces, each line prefixed by `indent`.
void print_rows(std::ostream& os, const std::vector<std::vector<std::string>>& rows, const std::string& indent);

void print_model(std::ostream& os, const json& report);
void print_summary(std::ostream& os, const std::vector<json>& reports);

}  // namespace kml::report
