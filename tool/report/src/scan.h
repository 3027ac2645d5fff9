// kml-report --scan: the results of a design-space scan (kml_add_fpga_scan) in one document.
//
// Input: the points file kml_add_fpga_scan() writes at configure time (scan_points.json: the scan's name,
// model, config, the varied keys and, per point, its name, settings and the path of its report.json).
// Output: scan.json (the same, plus per point the C simulation's accuracy against the reference, latency
// and II, resources from the best report there is -- Vivado, else the HLS estimate, else the RTL/Yosys
// report -- and whether the point is Pareto-optimal), a table on stdout, and optionally a self-contained
// HTML page with SVG plots of accuracy against resources and against latency, Pareto points marked.
#pragma once

#include <string>
#include <vector>

#include "parsers.h"

namespace kml::report {

int run_scan(const std::string& points_file, const std::string& out, const std::string& html, bool quiet);

// Pareto-optimal flags of points (x, y): x is minimized, y maximized; a point without both (valid false)
// is never optimal.  A point is optimal when no other point is at least as good in both and better in one.
struct XY {
  bool valid = false;
  double x = 0, y = 0;
};
std::vector<bool> pareto_front(const std::vector<XY>& points);

}  // namespace kml::report
