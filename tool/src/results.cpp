// The test-vector side of the C simulation: reference inputs -> testbench input lines, testbench output
// lines -> csim_results.h5 compared with the reference.
#include "results.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/hdf5.h"
#include "util/error.h"
#include "util/names.h"

namespace kml {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_manifest(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw file_error(path, "cannot open manifest");
  try {
    return nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw file_error(path, std::string("invalid manifest: ") + e.what());
  }
}

}  // namespace

void write_testdata(const std::string& io_h5, const std::string& manifest_path, const std::string& out) {
  nlohmann::json m = read_manifest(manifest_path);
  h5::File f = h5::File::open(io_h5);
  std::vector<h5::Array> xs;
  std::size_t n = 0;
  const auto& inputs = m.at("inputs");
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string ds = "x" + std::to_string(i);
    if (!f.is_dataset(ds)) throw file_error(io_h5, "no dataset '" + ds + "' for model input " + std::to_string(i));
    h5::Array a = f.read(ds);
    std::size_t per = inputs[i].at("size").get<std::size_t>();
    if (a.shape.empty() || a.data.size() != a.shape[0] * per)
      throw file_error(io_h5, "dataset '" + ds + "' does not hold samples of " + std::to_string(per) + " values (model input '" +
                                  inputs[i].at("name").get<std::string>() + "')");
    if (i == 0) n = a.shape[0];
    else if (a.shape[0] != n) throw file_error(io_h5, "inputs have different numbers of samples");
    xs.push_back(std::move(a));
  }
  std::string tmp = out + ".tmp";
  {
    std::ofstream o(tmp);
    if (!o) throw file_error(out, "cannot write");
    char buf[40];
    for (std::size_t s = 0; s < n; ++s) {
      bool first = true;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        std::size_t per = inputs[i].at("size").get<std::size_t>();
        for (std::size_t k = 0; k < per; ++k) {
          // %.17g: the testbench reads doubles, and every float32 (a double) prints exactly enough to come back
          // bit for bit (any double does); %.9g only round-trips through float: a value on the 2^-F grid could print
          // just below it and lose an LSB in the testbench.
          std::snprintf(buf, sizeof buf, "%.17g", xs[i].data[s * per + k]);
          o << (first ? "" : " ") << buf;
          first = false;
        }
      }
      o << '\n';
    }
    if (!o) throw file_error(out, "cannot write");
  }
  fs::rename(tmp, out);
}

namespace {

std::vector<std::vector<double>> read_lines(const std::string& path, std::size_t width) {
  std::ifstream in(path);
  if (!in) throw file_error(path, "cannot open");
  std::vector<std::vector<double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::vector<double> v;
    double x;
    while (ss >> x) v.push_back(x);
    if (v.size() != width)
      throw file_error(path, "line " + std::to_string(rows.size() + 1) + " has " + std::to_string(v.size()) +
                                 " values, expected " + std::to_string(width));
    rows.push_back(std::move(v));
  }
  return rows;
}

}  // namespace

ResultsSummary write_results(const std::string& manifest_path, const std::string& results, const std::string& reference,
                             const std::string& trace_dir, const std::string& out) {
  nlohmann::json m = read_manifest(manifest_path);
  const auto& outputs = m.at("outputs");
  std::size_t total = 0;
  for (const auto& o : outputs) total += o.at("size").get<std::size_t>();
  auto rows = read_lines(results, total);
  ResultsSummary sum;
  sum.samples = rows.size();

  std::string tmp = out + ".tmp";
  std::vector<std::vector<float>> ys;
  {
    h5::File f = h5::File::create(tmp);
    std::size_t off = 0;
    for (std::size_t j = 0; j < outputs.size(); ++j) {
      std::size_t per = outputs[j].at("size").get<std::size_t>();
      std::vector<std::size_t> shape = {rows.size()};
      for (const auto& d : outputs[j].at("shape")) shape.push_back(d.get<std::size_t>());
      std::vector<float> data;
      data.reserve(rows.size() * per);
      for (const auto& r : rows)
        for (std::size_t k = 0; k < per; ++k) data.push_back(static_cast<float>(r[off + k]));
      f.write("y" + std::to_string(j), shape, data);
      ys.push_back(std::move(data));
      off += per;
    }
    if (!trace_dir.empty()) {
      if (!fs::is_directory(trace_dir)) throw file_error(trace_dir, "no such trace directory");
      for (const auto& t : m.value("trace", nlohmann::json::array())) {
        const std::string node = t.at("node").get<std::string>();
        // The testbench names each trace file by the node's file-safe stem (util/names.h).
        const fs::path p = fs::path(trace_dir) / (names::file_stem(node) + ".dat");
        // A node the testbench never reached (no samples) has no file.
        if (!fs::exists(p)) continue;
        const std::size_t width = t.at("size").get<std::size_t>();
        auto tr = read_lines(p.string(), width);
        std::vector<float> data;
        data.reserve(tr.size() * width);
        for (const auto& r : tr)
          for (double v : r) data.push_back(static_cast<float>(v));
        for (const auto& nj : t.at("names")) {
          // A name with '/' would make HDF5 groups: such a name is stored under its file-safe stem.
          const std::string name = nj.get<std::string>();
          const bool plain = name.find('/') == std::string::npos && name != "." && name != "..";
          f.write("trace/" + (plain ? name : names::file_stem(name)), {tr.size(), width}, data);
        }
      }
    }
  }
  fs::rename(tmp, out);

  if (!reference.empty()) {
    h5::File ref = h5::File::open(reference);
    double max_err = 0, sum_err = 0;
    std::size_t count = 0, agree = 0;
    for (std::size_t j = 0; j < outputs.size(); ++j) {
      std::string ds = "y" + std::to_string(j);
      if (!ref.is_dataset(ds)) continue;
      h5::Array a = ref.read(ds);
      if (a.data.size() != ys[j].size())
        throw file_error(reference, "dataset '" + ds + "' has " + std::to_string(a.data.size()) + " values, the results " +
                                        std::to_string(ys[j].size()));
      for (std::size_t k = 0; k < a.data.size(); ++k) {
        double e = std::fabs(double(ys[j][k]) - a.data[k]);
        max_err = std::max(max_err, e);
        sum.max_scaled_error = std::max(sum.max_scaled_error, e / std::max(1.0, std::fabs(a.data[k])));
        sum.mismatches += ys[j][k] != static_cast<float>(a.data[k]);
        sum_err += e;
        ++count;
      }
      if (j == 0 && !rows.empty()) {
        std::size_t per = outputs[0].at("size").get<std::size_t>();
        for (std::size_t s = 0; s < rows.size(); ++s) {
          std::size_t bi = 0, br = 0;
          for (std::size_t k = 1; k < per; ++k) {
            if (ys[0][s * per + k] > ys[0][s * per + bi]) bi = k;
            if (a.data[s * per + k] > a.data[s * per + br]) br = k;
          }
          agree += bi == br;
        }
        sum.argmax_agreement = double(agree) / rows.size();
      }
    }
    sum.elements = count;
    if (count) {
      sum.max_abs_error = max_err;
      sum.mean_abs_error = sum_err / count;
    }
  }
  return sum;
}

}  // namespace kml
