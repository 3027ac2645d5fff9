// The test-vector side of the C simulation: reference inputs -> testbench input lines, testbench output
// lines -> csim_results.h5 compared with the reference.
#include "results.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/precision.h"
#include "io/hdf5.h"
#include "io/npy.h"
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

bool is_npy(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  return ext == ".npy" || ext == ".NPY";
}

std::vector<h5::Array> read_inputs(const std::vector<std::string>& files, const std::string& manifest_path) {
  nlohmann::json m = read_manifest(manifest_path);
  const auto& inputs = m.at("inputs");
  if (files.empty()) throw Error("no test data given (an .io.h5 file, or one .npy file per model input)");
  const bool npy = is_npy(files[0]);
  for (const auto& f : files)
    if (is_npy(f) != npy) throw file_error(f, "test data mixes .npy and HDF5 files (give one .io.h5, or only .npy files)");
  if (!npy && files.size() != 1)
    throw file_error(files[1], "test data: one .io.h5 file holds every input (x0, x1, ...); more files are .npy only");
  if (npy && files.size() != inputs.size())
    throw file_error(files[0], "the model has " + std::to_string(inputs.size()) + " inputs, " + std::to_string(files.size()) +
                                   " .npy files were given (one per input, in the model's input order)");
  std::optional<h5::File> f;
  if (!npy) f.emplace(h5::File::open(files[0]));
  std::vector<h5::Array> xs;
  std::size_t n = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string ds = "x" + std::to_string(i);
    const std::string& file = npy ? files[i] : files[0];
    const std::string what = npy ? "the array" : "dataset '" + ds + "'";
    if (!npy && !f->is_dataset(ds)) throw file_error(file, "no dataset '" + ds + "' for model input " + std::to_string(i));
    h5::Array a = npy ? npy::read(file) : f->read(ds);
    const std::size_t per = inputs[i].at("size").get<std::size_t>();
    if (npy && a.data.size() == per && a.shape.size() <= 1) a.shape = {1, per};  // one sample without a batch axis
    if (a.shape.empty() || a.data.size() != a.shape[0] * per)
      throw file_error(file, what + " does not hold samples of " + std::to_string(per) + " values (model input '" +
                                 inputs[i].at("name").get<std::string>() + "', shape " +
                                 inputs[i].at("shape").dump() + ", batch first)");
    if (i == 0) n = a.shape[0];
    else if (a.shape[0] != n)
      throw file_error(file, "input " + std::to_string(i) + " has " + std::to_string(a.shape[0]) + " samples, input 0 has " +
                                 std::to_string(n));
    xs.push_back(std::move(a));
  }
  return xs;
}

void write_testdata(const std::vector<std::string>& files, const std::string& manifest_path, const std::string& out) {
  nlohmann::json m = read_manifest(manifest_path);
  const auto& inputs = m.at("inputs");
  std::vector<h5::Array> xs = read_inputs(files, manifest_path);
  const std::size_t n = xs.empty() ? 0 : xs[0].shape[0];
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

namespace {

// LSB of a fixed-point type string ("ap_fixed<16,6,AP_RND>"), 0 for float types and strings that do not parse.
double lsb_of(const std::string& type) {
  try {
    Precision p = parse_precision(type);
    if (p.is_float() || p.is_auto()) return 0;
    return std::ldexp(1.0, -p.fractional());
  } catch (const Error&) {
    return 0;
  }
}

struct Diff {
  double max_abs = 0, sum_abs = 0, max_ref = 0, max_scaled = 0;
  std::size_t mismatches = 0, count = 0;
  void add(float y, double ref) {
    const float rf = static_cast<float>(ref);
    const double e = std::fabs(double(y) - double(rf));
    max_abs = std::max(max_abs, e);
    sum_abs += e;
    max_ref = std::max(max_ref, std::fabs(double(rf)));
    max_scaled = std::max(max_scaled, e / std::max(1.0, std::fabs(double(rf))));
    mismatches += y != rf;
    ++count;
  }
};

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

  // ---- outputs and traces as float32, the way csim_results.h5 stores them
  std::vector<std::vector<float>> ys;
  std::size_t off = 0;
  for (std::size_t j = 0; j < outputs.size(); ++j) {
    std::size_t per = outputs[j].at("size").get<std::size_t>();
    std::vector<float> data;
    data.reserve(rows.size() * per);
    for (const auto& r : rows)
      for (std::size_t k = 0; k < per; ++k) data.push_back(static_cast<float>(r[off + k]));
    ys.push_back(std::move(data));
    off += per;
  }
  struct Trace {
    const nlohmann::json* entry;
    std::size_t samples, width;
    std::vector<float> data;
  };
  std::vector<Trace> traces;
  if (!trace_dir.empty()) {
    if (!fs::is_directory(trace_dir)) throw file_error(trace_dir, "no such trace directory");
    if (!m.contains("trace")) m["trace"] = nlohmann::json::array();
    for (const auto& t : m.at("trace")) {  // traces keep pointers into m
      // The testbench names each trace file by the node's file-safe stem (util/names.h).
      const fs::path p = fs::path(trace_dir) / (names::file_stem(t.at("node").get<std::string>()) + ".dat");
      if (!fs::exists(p)) continue;  // a node the testbench never reached (no samples)
      Trace tr{&t, 0, t.at("size").get<std::size_t>(), {}};
      auto lines = read_lines(p.string(), tr.width);
      tr.samples = lines.size();
      tr.data.reserve(tr.samples * tr.width);
      for (const auto& r : lines)
        for (double v : r) tr.data.push_back(static_cast<float>(v));
      traces.push_back(std::move(tr));
    }
  }

  // ---- comparison with the reference: y* and, layer by layer, trace/<layer>
  if (!reference.empty()) {
    h5::File ref = h5::File::open(reference);
    Diff all;
    std::size_t agree = 0;
    double max_lsb = -1;
    for (std::size_t j = 0; j < outputs.size(); ++j) {
      std::string ds = "y" + std::to_string(j);
      if (!ref.is_dataset(ds)) continue;
      sum.has_reference = true;
      h5::Array a = ref.read(ds);
      if (a.data.size() != ys[j].size())
        throw file_error(reference, "dataset '" + ds + "' has " + std::to_string(a.data.size()) + " values, the results " +
                                        std::to_string(ys[j].size()));
      Diff d;
      for (std::size_t k = 0; k < a.data.size(); ++k) {
        d.add(ys[j][k], a.data[k]);
        all.add(ys[j][k], a.data[k]);
      }
      const std::string type = outputs[j].value("precision", "float");
      const double lsb = lsb_of(type);
      if (lsb > 0) max_lsb = std::max(max_lsb, d.max_abs / lsb);
      if (j == 0) sum.output_type = type;
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
    if (sum.has_reference) {
      sum.elements = all.count;
      sum.mismatches = all.mismatches;
      sum.max_scaled_error = all.max_scaled;
      sum.max_error_lsb = max_lsb;
      if (all.count) {
        sum.max_abs_error = all.max_abs;
        sum.mean_abs_error = all.sum_abs / all.count;
      }
    }
    // Layer by layer, in graph order: each traced node under the names the reference has (Keras layer names).
    std::map<std::string, const nlohmann::json*> layer_of;
    for (const auto& l : m.at("layers")) layer_of[l.at("name").get<std::string>()] = &l;
    for (const auto& tr : traces) {
      for (const auto& nm : tr.entry->at("names")) {
        const std::string name = nm.get<std::string>();
        const std::string ds = "trace/" + name;
        if (!ref.is_dataset(ds)) continue;
        h5::Array a = ref.read(ds);
        LayerCompare c;
        c.layer = name;
        c.node = tr.entry->value("layer", tr.entry->at("node").get<std::string>());
        if (auto it = layer_of.find(c.node); it != layer_of.end()) {
          // The Keras layer's class (a split activation's node is an "Activation" of a Dense).
          auto k = layer_of.find(tr.entry->value("keras_name", c.node));
          c.keras_class = (k != layer_of.end() ? k->second : it->second)->value("keras_class", "");
          const auto& prec = it->second->value("precision", nlohmann::json::object());
          c.type = prec.contains("result") ? prec.at("result").get<std::string>() : "float";
        }
        c.lsb = lsb_of(c.type);
        if (a.data.size() != tr.data.size()) {
          c.note = "reference has " + std::to_string(a.data.size()) + " values, the trace " + std::to_string(tr.data.size());
          sum.layers.push_back(std::move(c));
          continue;
        }
        Diff d;
        for (std::size_t k = 0; k < a.data.size(); ++k) d.add(tr.data[k], a.data[k]);
        c.elements = d.count;
        c.mismatches = d.mismatches;
        c.max_abs_error = d.max_abs;
        c.mean_abs_error = d.count ? d.sum_abs / d.count : 0;
        c.relative_error = d.max_ref > 0 ? d.max_abs / d.max_ref : (d.max_abs > 0 ? INFINITY : 0);
        c.max_scaled_error = d.max_scaled;
        c.max_error_lsb = c.lsb > 0 ? d.max_abs / c.lsb : -1;
        if (sum.first_past_lsb.empty() && c.max_error_lsb > 1) sum.first_past_lsb = c.layer;
        sum.layers.push_back(std::move(c));
      }
    }
  }

  // ---- csim_results.h5: y*, trace/<name>, compare
  std::string tmp = out + ".tmp";
  {
    h5::File f = h5::File::create(tmp);
    for (std::size_t j = 0; j < outputs.size(); ++j) {
      std::vector<std::size_t> shape = {rows.size()};
      for (const auto& d : outputs[j].at("shape")) shape.push_back(d.get<std::size_t>());
      f.write("y" + std::to_string(j), shape, ys[j]);
    }
    for (const auto& tr : traces)
      for (const auto& nj : tr.entry->at("names")) {
        // A name with '/' would make HDF5 groups: such a name is stored under its file-safe stem.
        const std::string name = nj.get<std::string>();
        const bool plain = name.find('/') == std::string::npos && name != "." && name != "..";
        f.write("trace/" + (plain ? name : names::file_stem(name)), {tr.samples, tr.width}, tr.data);
      }
    if (!sum.layers.empty()) {
      // One row per compared layer; the layer names, their types and the column names as attributes.
      std::vector<float> table;
      std::vector<std::string> names, types;
      for (const auto& c : sum.layers) {
        names.push_back(c.layer);
        types.push_back(c.type);
        for (double v : {c.max_abs_error, c.mean_abs_error, c.relative_error, c.max_scaled_error, c.lsb, c.max_error_lsb,
                         double(c.mismatches), double(c.elements)})
          table.push_back(static_cast<float>(v));
      }
      f.write("compare", {sum.layers.size(), 8}, table);
      f.write_attr("compare", "layers", names);
      f.write_attr("compare", "types", types);
      f.write_attr("compare", "columns",
                   {"max_abs_error", "mean_abs_error", "relative_error", "max_scaled_error", "lsb", "max_error_lsb",
                    "mismatches", "elements"});
      f.write_attr("compare", "first_past_lsb", {sum.first_past_lsb});
    }
  }
  fs::rename(tmp, out);
  return sum;
}

std::string format_compare_table(const ResultsSummary& s) {
  if (s.layers.empty()) return "";
  std::size_t wl = 5, wc = 4, wt = 11;
  for (const auto& c : s.layers) {
    wl = std::max(wl, c.layer.size());
    wc = std::max(wc, c.keras_class.size());
    wt = std::max(wt, c.type.size());
  }
  std::string r;
  char buf[512];
  std::snprintf(buf, sizeof buf, "  %-*s  %-*s  %-*s  %12s  %12s  %10s  %10s  %s\n", int(wl), "layer", int(wc), "type",
                int(wt), "result type", "max abs err", "mean abs err", "rel err", "max err", "");
  r += buf;
  for (const auto& c : s.layers) {
    if (!c.note.empty()) {
      std::snprintf(buf, sizeof buf, "  %-*s  %-*s  %-*s  not compared: %s\n", int(wl), c.layer.c_str(), int(wc),
                    c.keras_class.c_str(), int(wt), c.type.c_str(), c.note.c_str());
      r += buf;
      continue;
    }
    char lsb[32];
    if (c.max_error_lsb >= 0) std::snprintf(lsb, sizeof lsb, "%.3g LSB", c.max_error_lsb);
    else std::snprintf(lsb, sizeof lsb, "-");
    std::snprintf(buf, sizeof buf, "  %-*s  %-*s  %-*s  %12.4g  %12.4g  %10.3g  %10s  %s\n", int(wl), c.layer.c_str(),
                  int(wc), c.keras_class.c_str(), int(wt), c.type.c_str(), c.max_abs_error, c.mean_abs_error,
                  c.relative_error, lsb,
                  c.mismatches == 0 ? "bit-exact" : (c.layer == s.first_past_lsb ? "<- first past its LSB" : ""));
    r += buf;
  }
  return r;
}

}  // namespace kml
