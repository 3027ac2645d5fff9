// Human-readable tables for kml-report: one model in detail, or a summary row per model.
#pragma once

#include "parsers.h"

#include <ostream>
#include <vector>

namespace kml::report {

void print_model(std::ostream& os, const json& report);
void print_summary(std::ostream& os, const std::vector<json>& reports);

}  // namespace kml::report
