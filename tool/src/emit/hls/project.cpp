// Assembles the generated project: firmware (top function, typedefs, configs, weights), testbench,
// host bridge, public API header and manifest.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "emit/hls/emitter.h"
#include "ir/op.h"
#include "emit/hls/stream.h"
#include "util/error.h"
#include "util/names.h"
#include "version.h"

namespace kml::emit {

namespace fs = std::filesystem;

std::string NodeNames::type(const std::string& role) const { return role + std::to_string(index) + "_t"; }

std::string NodeNames::call(const std::string& fn, const std::vector<std::string>& args, std::size_t n_inputs) const {
  std::string targs, vars;
  for (std::size_t i = 0; i < n_inputs; ++i) {
    targs += in_types.at(i) + ", ";
    vars += in_vars.at(i) + ", ";
  }
  vars += out_var;
  for (const auto& a : args) vars += ", " + a;
  return "kml::" + fn + "<" + targs + out_type + ", " + config() + ">(" + vars + ");";
}

HlsBackend::HlsBackend() {
  register_core_emitters(emitters_);
  register_quant_emitters(emitters_);
  register_conv_emitters(emitters_);
  register_reshape_emitters(emitters_);
  register_merge_emitters(emitters_);
  register_recurrent_emitters(emitters_);
  register_attention_emitters(emitters_);
  register_hgq_attention_emitters(emitters_);
  register_dense_po2_emitters(emitters_);
  register_garnet_emitters(emitters_);
}

HlsBackend& hls_backend() {
  static HlsBackend b;
  return b;
}

void append_literal(std::string& out, double v, Spelling how) {
  // std::to_chars writes the shortest decimal that reads back as exactly the same value.
  if (std::isnan(v)) v = 0.0;
  char buf[64];
  char* end = nullptr;
  switch (how) {
    case Spelling::Double:
      end = std::to_chars(buf, buf + sizeof buf, v).ptr;
      break;
    case Spelling::Float:
      end = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v)).ptr;
      break;
    case Spelling::DoubleLiteral:
      end = std::to_chars(buf, buf + sizeof buf, v).ptr;
      if (std::find_if(buf, end, [](char c) { return c == '.' || c == 'e' || c == 'n'; }) == end) {
        *end++ = '.';
        *end++ = '0';
      }
      break;
    case Spelling::Initializer: {
      const float f = static_cast<float>(v);
      if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
        end = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v)).ptr;
      } else if (static_cast<double>(f) == v && std::isfinite(f)) {
        end = std::to_chars(buf, buf + sizeof buf, f).ptr;
        *end++ = 'f';
      } else {
        end = std::to_chars(buf, buf + sizeof buf, v).ptr;
      }
      break;
    }
  }
  out.append(buf, end);
}

std::string literal(double v, bool as_float) {
  std::string s;
  append_literal(s, v, as_float ? Spelling::Float : Spelling::Double);
  return s;
}

std::string c_identifier(const std::string& s) {
  std::string r;
  for (char c : s) r += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (r.empty() || std::isdigit(static_cast<unsigned char>(r[0]))) r = "m_" + r;
  return r;
}

namespace {

void write_file(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw file_error(p.string(), "cannot write file");
}

std::string guard(const std::string& name) {
  std::string g;
  for (char c : name) g += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  return g + "_";
}

struct Endpoint {
  std::string var, type;
  std::size_t size;
  ir::Shape shape;
  std::string name;
};

struct Layout {
  std::vector<NodeNames> nodes;  // emitted nodes, in order
  std::map<std::string, std::string> var, type;  // node name -> array variable / element type
  std::vector<Endpoint> ins, outs;
};

Layout plan(const ir::Graph& g) {
  Layout L;
  int k = 0;
  for (std::size_t i = 0; i < g.inputs.size(); ++i) {
    const ir::Node& n = g.at(g.inputs[i]);
    std::string var = "x" + std::to_string(i), type = "input" + std::to_string(i) + "_t";
    L.var[n.name] = var;
    L.type[n.name] = type;
    L.ins.push_back({var, type, ir::shape_size(n.shape), n.shape, n.keras_name});
  }
  std::map<std::string, std::string> out_var;
  for (std::size_t j = 0; j < g.outputs.size(); ++j) {
    const ir::Node& n = g.at(g.outputs[j]);
    std::string var = "y" + std::to_string(j), type = "result" + std::to_string(j) + "_t";
    L.outs.push_back({var, type, ir::shape_size(n.shape), n.shape, n.keras_name});
  }
  for (const auto& np : g.nodes()) {
    const ir::Node& n = *np;
    ++k;
    if (ir::is_source(n)) continue;
    NodeNames nn;
    nn.node = &n;
    nn.index = k;
    for (const auto& in : n.inputs) {
      nn.in_vars.push_back(L.var.at(in));
      nn.in_types.push_back(L.type.at(in));
    }
    if (ir::is_view(n)) {  // a view: same array, same type
      L.var[n.name] = nn.in_vars[0];
      L.type[n.name] = nn.in_types[0];
      continue;
    }
    nn.out_var = "layer" + std::to_string(k) + "_out";
    nn.out_type = "layer" + std::to_string(k) + "_t";
    L.var[n.name] = nn.out_var;
    L.type[n.name] = nn.out_type;
    L.nodes.push_back(nn);
  }
  return L;
}

// A weight array as a header. Float arrays are plain constant arrays. Arrays of ap_ types are written between
// KML_WEIGHTS_BEGIN/END (kml/common.h): a constant array for synthesis; in C simulation (kml's runtime headers or
// the vendor's) the literals become a constant table that fills the ap_ array once at startup, each element
// converted from its literal's own type (int, long, float or double) as the constant initialization would, which
// compiles in seconds where constant-initializing every ap_ element takes minutes with the vendor's headers.
std::string weights_header(const WeightArray& w, bool float_type) {
  std::string g = guard("KML_W_" + w.var + "_H");
  std::string s;
  const std::size_t n = w.tensor->size();
  const std::string size = std::to_string(std::max<std::size_t>(1, n));
  s.reserve(256 + n * 14);
  s += "// " + names::cpp_comment(w.comment) + ", shape " + ir::shape_str(w.tensor->shape) + "\n#ifndef " + g + "\n#define " + g + "\n\n";
  if (float_type)
    s += "static const " + w.type + " " + w.var + "[" + size + "] = {";
  else
    s += "KML_WEIGHTS_BEGIN(" + w.type + ", " + w.var + ", " + size + ")";
  for (std::size_t i = 0; i < n; ++i) {
    s += (i % 8 == 0) ? "\n    " : " ";
    append_literal(s, w.tensor->data[i], Spelling::Initializer);
    if (i + 1 < n) s += ',';
  }
  if (n == 0) s += "0";
  if (float_type)
    s += "};\n\n#endif\n";
  else
    s += "\nKML_WEIGHTS_END(" + w.type + ", " + w.var + ", " + size + ")\n\n#endif\n";
  return s;
}

}  // namespace

bool traced(const ir::Node& n) { return !ir::is_source(n) && n.settings.value("trace", false); }

std::vector<std::string> trace_names(const ir::Graph& g, const ir::Node& n) {
  std::vector<std::string> names;
  if (n.keras_output) {
    if (n.name != n.keras_name) names.push_back(n.name);
    names.push_back(n.keras_name);
    return names;
  }
  // Not the Keras layer's output: under its node name, unless that is the name of a Keras layer's output.
  bool taken = false;
  for (const auto& o : g.nodes())
    if (o.get() != &n && o->keras_output && o->keras_name == n.name) taken = true;
  names.push_back(taken ? n.name + "_linear" : n.name);
  return names;
}

nlohmann::json manifest(const ir::Graph& g, const Config& cfg, const ProjectInfo& info) {
  using nlohmann::json;
  json m;
  m["name"] = info.name;
  m["ident"] = info.ident;
  m["top"] = info.ident + "_top";
  m["kml_version"] = KML_VERSION;
  m["part"] = cfg.part;
  m["clock_period"] = cfg.clock_period;
  m["clock_uncertainty"] = cfg.clock_uncertainty;
  m["io_type"] = cfg.io_type;
  auto endpoints = [&](const std::vector<std::string>& names) {
    json a = json::array();
    for (const auto& nm : names) {
      const ir::Node& n = g.at(nm);
      a.push_back({{"name", n.keras_name}, {"shape", n.shape}, {"size", ir::shape_size(n.shape)},
                   {"precision", n.types.count("result") ? n.types.at("result").cpp() : "float"}});
    }
    return a;
  };
  m["inputs"] = endpoints(g.inputs);
  m["outputs"] = endpoints(g.outputs);
  json layers = json::array();
  for (const auto& np : g.nodes()) {
    const ir::Node& n = *np;
    json l = {{"name", n.name}, {"op", n.op}, {"keras_name", n.keras_name}, {"keras_class", n.keras_class},
              {"shape", n.shape}};
    json t = json::object();
    for (const auto& [role, p] : n.types) t[role] = p.cpp();
    l["precision"] = t;
    if (ir::has_code(n)) {
      l["reuse_factor"] = n.reuse_factor;
      l["strategy"] = n.strategy;
    }
    layers.push_back(l);
  }
  m["layers"] = layers;
  // Traced nodes, in graph order: the testbench writes <trace dir>/<file>.dat (`file`: the node's file stem), one
  // line of `size` values per sample; `kml-convert results` stores it under every name of `names`.
  // A reshape is a view of its input's array (no code, no trace of its own): it is recorded from the trace of the
  // node it views, when that one is traced.
  json trace = json::array();
  for (const auto& np : g.nodes()) {
    if (!traced(*np)) continue;
    const ir::Node* src = np.get();
    while (ir::is_view(*src) && !src->inputs.empty()) src = &g.at(src->inputs[0]);
    if (src != np.get() && !traced(*src)) continue;
    json e = {{"node", src->name}, {"file", names::file_stem(src->name)}, {"names", trace_names(g, *np)},
              {"keras_name", np->keras_name}, {"size", ir::shape_size(np->shape)}};
    if (src != np.get()) e["view_of"] = src->name, e["layer"] = np->name;
    trace.push_back(e);
  }
  m["trace"] = trace;
  m["sources"] = {{"firmware", {"firmware/model.cpp"}},
                  {"testbench", "tb/testbench.cpp"},
                  {"bridge", "bridge/bridge.cpp"},
                  {"api_header", "include/" + info.name + ".h"}};
  m["provenance"] = info.provenance;
  return m;
}

void write_project(const ir::Graph& g, const Config& cfg, const ProjectInfo& info, const fs::path& dir) {
  hls_backend().write_project(g, cfg, info, dir);
}

void HlsBackend::write_project(const ir::Graph& g, const Config& cfg, const ProjectInfo& info, const fs::path& dir) const {
  Layout L = plan(g);
  const std::string top = info.ident + "_top";

  // ---- per-node code
  std::vector<NodeCode> code;
  std::set<std::string> includes;
  for (const auto& nn : L.nodes) {
    const OpEmitter* e = emitters_.find(nn.node->op);
    if (!e) throw Error("internal: no emitter for IR op '" + nn.node->op + "' (layer '" + nn.node->keras_name + "')");
    code.push_back((*e)(nn, cfg));
    for (auto& inc : code.back().includes) includes.insert(inc);
  }

  // ---- defines.h
  std::ostringstream def;
  def << "// Generated by kml-convert " << KML_VERSION << " for model '" << names::cpp_comment(info.name) << "'. Do not edit.\n"
      << "#ifndef KML_DEFINES_H_\n#define KML_DEFINES_H_\n\n#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n\n";
  for (std::size_t i = 0; i < g.inputs.size(); ++i)
    def << "typedef " << g.at(g.inputs[i]).type("result").cpp() << " " << L.ins[i].type << ";\n";
  for (std::size_t k = 0; k < L.nodes.size(); ++k) {
    const auto& nn = L.nodes[k];
    def << "\n// " << names::cpp_comment(nn.node->name) << " (" << names::cpp_comment(nn.node->keras_class) << " '"
        << names::cpp_comment(nn.node->keras_name) << "')\n";
    def << "typedef " << nn.node->type("result").cpp() << " " << nn.out_type << ";\n";
    for (const auto& [name, p] : code[k].typedefs) def << "typedef " << p.cpp() << " " << name << ";\n";
  }
  def << "\n";
  for (std::size_t j = 0; j < g.outputs.size(); ++j)
    def << "typedef " << L.type.at(g.outputs[j]) << " " << L.outs[j].type << ";\n";
  if (g.inputs.size() == 1) def << "typedef " << L.ins[0].type << " input_t;\n";
  if (g.outputs.size() == 1) def << "typedef " << L.outs[0].type << " result_t;\n";
  def << "\n";
  for (std::size_t i = 0; i < L.ins.size(); ++i)
    def << "#define KML_N_INPUT_" << i << " " << L.ins[i].size << "\n";
  for (std::size_t j = 0; j < L.outs.size(); ++j)
    def << "#define KML_N_OUTPUT_" << j << " " << L.outs[j].size << "\n";
  def << "#define KML_N_INPUTS " << L.ins.size() << "\n#define KML_N_OUTPUTS " << L.outs.size() << "\n";
  def << "\n#endif\n";

  // ---- parameters.h
  std::ostringstream par;
  par << "// Generated by kml-convert. Do not edit.\n#ifndef KML_PARAMETERS_H_\n#define KML_PARAMETERS_H_\n\n"
      << "#include \"defines.h\"\n#include \"kml/common.h\"\n";
  for (const auto& inc : includes) par << "#include \"" << inc << "\"\n";
  par << "\n";
  for (std::size_t k = 0; k < L.nodes.size(); ++k)
    for (const auto& w : code[k].weights) par << "#include \"weights/" << w.var << ".h\"\n";
  par << "\n";
  for (std::size_t k = 0; k < L.nodes.size(); ++k)
    par << "// " << names::cpp_comment(L.nodes[k].node->name) << "\n" << code[k].config << "\n";
  par << "#endif\n";

  // ---- model.h / model.cpp
  std::ostringstream sig;
  sig << "void " << top << "(";
  for (std::size_t i = 0; i < L.ins.size(); ++i)
    sig << (i ? ", " : "") << L.ins[i].type << " " << L.ins[i].var << "[" << L.ins[i].size << "]";
  for (std::size_t j = 0; j < L.outs.size(); ++j)
    sig << ", " << L.outs[j].type << " " << L.outs[j].var << "[" << L.outs[j].size << "]";
  sig << ")";

  std::ostringstream mh;
  mh << "// Generated by kml-convert. Do not edit.\n#ifndef KML_MODEL_H_\n#define KML_MODEL_H_\n\n"
     << "#include \"defines.h\"\n\n// Top function of model '" << names::cpp_comment(info.name) << "'.\n"
     << sig.str() << ";\n\n#endif\n";

  // Which node writes which output array.
  std::map<std::string, std::vector<std::size_t>> writes_output;
  for (std::size_t j = 0; j < g.outputs.size(); ++j) writes_output[g.outputs[j]].push_back(j);

  std::ostringstream mc;
  mc << "// Generated by kml-convert " << KML_VERSION << ". Do not edit.\n"
     << "#include \"model.h\"\n#include \"parameters.h\"\n"
     << "#ifndef __SYNTHESIS__\n#include \"kml/trace.h\"\n#define KML_TRACE(name, arr, n) kml::trace::record(name, arr, n)\n"
     << "#else\n#define KML_TRACE(name, arr, n)\n#endif\n\n"
     << sig.str() << " {\n";
  std::string ports;
  for (const auto& e : L.ins) {
    mc << "#pragma HLS ARRAY_RESHAPE variable = " << e.var << " complete dim = 0\n";
    ports += (ports.empty() ? "" : ",") + e.var;
  }
  for (const auto& e : L.outs) {
    mc << "#pragma HLS ARRAY_PARTITION variable = " << e.var << " complete dim = 0\n";
    ports += "," + e.var;
  }
  bool any_resource = false;
  for (const auto& nn : L.nodes) any_resource |= nn.node->strategy == "resource";
  mc << "#pragma HLS INTERFACE ap_vld port = " << ports << "\n"
     << (any_resource ? "#pragma HLS DATAFLOW\n\n" : "#pragma HLS PIPELINE\n\n");
  for (std::size_t k = 0; k < L.nodes.size(); ++k) {
    const NodeNames& nn = L.nodes[k];
    const ir::Node& n = *nn.node;
    std::size_t size = ir::shape_size(n.shape);
    mc << "  // " << names::cpp_comment(n.name) << ": " << n.op << " " << ir::shape_str(n.shape) << "\n";
    mc << "  " << nn.out_type << " " << nn.out_var << "[" << size << "];\n"
       << "#pragma HLS ARRAY_PARTITION variable = " << nn.out_var << " complete dim = 0\n";
    std::istringstream calls(code[k].call);
    for (std::string line; std::getline(calls, line);) mc << "  " << line << "\n";
    if (traced(n))
      mc << "  KML_TRACE(" << names::cpp_string(names::file_stem(n.name)) << ", " << nn.out_var << ", " << size << ");\n";
    mc << "\n";
  }
  // Copy results into the output ports (the copy also converts to result<j>_t == the producer's type).
  for (std::size_t j = 0; j < g.outputs.size(); ++j) {
    mc << "  kml::copy<" << L.type.at(g.outputs[j]) << ", " << L.outs[j].type << ", " << L.outs[j].size << ">("
       << L.var.at(g.outputs[j]) << ", " << L.outs[j].var << ");\n";
  }
  mc << "}\n";

  // ---- io_stream: stream ports, one process per layer (emit/stream.cpp); the testbench and the bridge call
  // a host-only entry point with the array signature.
  std::string entry = top;
  if (cfg.io_type == "io_stream") {
    StreamModel sm;
    sm.graph = &g;
    sm.cfg = &cfg;
    sm.top = top;
    for (std::size_t i = 0; i < L.ins.size(); ++i) sm.ins.push_back({L.ins[i].var, L.ins[i].type, L.ins[i].shape, g.inputs[i]});
    for (std::size_t j = 0; j < L.outs.size(); ++j)
      sm.outs.push_back({L.outs[j].var, L.outs[j].type, L.outs[j].shape, g.outputs[j]});
    for (std::size_t k = 0; k < L.nodes.size(); ++k) {
      sm.nodes.push_back(&L.nodes[k]);
      sm.code.push_back(&code[k]);
    }
    sm.var = L.var;
    sm.type = L.type;
    StreamCode sc = write_stream_top(sm);
    entry = sc.array_entry;
    mh.str("");
    mh << "// Generated by kml-convert. Do not edit.\n#ifndef KML_MODEL_H_\n#define KML_MODEL_H_\n\n"
       << "#include \"defines.h\"\n" << sc.header << "\n#endif\n";
    mc.str("");
    mc << "// Generated by kml-convert " << KML_VERSION << ". Do not edit.\n"
       << "#include \"model.h\"\n#include \"parameters.h\"\n"
       << "#ifndef __SYNTHESIS__\n#include \"kml/trace.h\"\n#define KML_TRACE(name, arr, n) kml::trace::record(name, arr, n)\n"
       << "#else\n#define KML_TRACE(name, arr, n)\n#endif\n\n"
       << sc.source;
  }

  // ---- testbench (standard C++ only: vendor csim compiles it too)
  std::ostringstream tb;
  std::size_t total_in = 0, total_out = 0;
  for (const auto& e : L.ins) total_in += e.size;
  for (const auto& e : L.outs) total_out += e.size;
  tb << "// Generated by kml-convert. Testbench: testbench [INPUTS.dat [OUTPUTS.dat [TRACE_DIR]]]\n"
     << "// TRACE_DIR (created if missing) receives <node>.dat per traced node (trace = true), one line per sample.\n"
     << "// Each line of INPUTS.dat is one sample: all inputs flattened and concatenated (" << total_in
     << " values).\n// Each line written to OUTPUTS.dat holds all outputs (" << total_out << " values).\n"
     << "#include <cstdio>\n#include <cstdlib>\n#include <fstream>\n#include <iostream>\n#include <sstream>\n"
     << "#include <string>\n#include <vector>\n\n#include \"../firmware/model.h\"\n#include \"kml/common.h\"\n"
     << "#include \"kml/trace.h\"\n\n"
     << "int main(int argc, char** argv) {\n"
     << "  const char* in_path = argc > 1 ? argv[1] : \"tb_data/inputs.dat\";\n"
     << "  const char* out_path = argc > 2 ? argv[2] : \"tb_data/csim_results.dat\";\n"
     << "  if (argc > 3 && !kml::trace::set_directory(argv[3])) return 1;\n"
     << "  std::ifstream in(in_path);\n"
     << "  if (!in) { std::cerr << in_path << \": cannot open test inputs\\n\"; return 1; }\n"
     << "  std::ofstream out(out_path);\n"
     << "  if (!out) { std::cerr << out_path << \": cannot write results\\n\"; return 1; }\n"
     << "  std::string line;\n  std::size_t sample = 0;\n"
     << "  while (std::getline(in, line)) {\n"
     << "    if (line.empty() || line[0] == '#') continue;\n"
     << "    std::istringstream ss(line);\n    std::vector<double> v;\n    double x;\n"
     << "    while (ss >> x) v.push_back(x);\n"
     << "    if (v.size() != " << total_in << "u) {\n"
     << "      std::cerr << in_path << \": sample \" << sample << \" has \" << v.size() << \" values, expected "
     << total_in << "\\n\";\n      return 1;\n    }\n";
  std::size_t off = 0;
  for (const auto& e : L.ins) {
    tb << "    " << e.type << " " << e.var << "[" << e.size << "];\n"
       << "    for (unsigned i = 0; i < " << e.size << "u; i++) " << e.var << "[i] = (" << e.type << ")v[" << off
       << " + i];\n";
    off += e.size;
  }
  for (const auto& e : L.outs) tb << "    " << e.type << " " << e.var << "[" << e.size << "];\n";
  tb << "    kml::trace::begin_sample(sample);\n    " << entry << "(";
  for (std::size_t i = 0; i < L.ins.size(); ++i) tb << (i ? ", " : "") << L.ins[i].var;
  for (const auto& e : L.outs) tb << ", " << e.var;
  tb << ");\n    char buf[40];\n";
  bool first = true;
  for (const auto& e : L.outs) {
    tb << "    for (unsigned j = 0; j < " << e.size << "u; j++) {\n"
       << "      std::snprintf(buf, sizeof buf, \"%.17g\", kml::to_double(" << e.var << "[j]));\n"
       << "      out << (" << (first ? "j ? \" \" : \"\"" : "\" \"") << ") << buf;\n    }\n";
    first = false;
  }
  tb << "    out << '\\n';\n    ++sample;\n  }\n"
     << "  std::cout << \"kml testbench: \" << sample << \" samples -> \" << out_path << std::endl;\n"
     << "  return 0;\n}\n";

  // ---- public API header and bridge
  std::ostringstream api;
  api << "// Generated by kml-convert. Host API of the bit-accurate emulation of model '" << names::cpp_comment(info.name)
      << "'.\n#pragma once\n";
  // include/<name>.h hides a C, POSIX or vendor header of that name from every file with the model's include
  // directory on its path: such a file then gets the real one through this header.
  if (names::shadows_system_header(info.name)) api << "#include_next <" << info.name << ".h>\n";
  api << "#include <cstddef>\n\n";
  if (info.ident != info.name)
    api << "// The model's C++ namespace (" << names::cpp_comment(info.name)
        << " is not a usable one: a keyword, a reserved name or not an identifier).\n";
  api << "namespace " << info.ident << " {\n\n"
      << "constexpr std::size_t n_inputs = " << L.ins.size() << ";\n"
      << "constexpr std::size_t n_outputs = " << L.outs.size() << ";\n"
      << "constexpr std::size_t input_size[n_inputs] = {";
  for (std::size_t i = 0; i < L.ins.size(); ++i) api << (i ? ", " : "") << L.ins[i].size;
  api << "};\nconstexpr std::size_t output_size[n_outputs] = {";
  for (std::size_t j = 0; j < L.outs.size(); ++j) api << (j ? ", " : "") << L.outs[j].size;
  api << "};\nconstexpr std::size_t total_input_size = " << total_in << ";\n"
      << "constexpr std::size_t total_output_size = " << total_out << ";\n\n"
      << "// One sample: all inputs concatenated (total_input_size floats, row-major, Keras layout) in, all\n"
      << "// outputs concatenated out. Inputs are quantized to the model's input precision on the way in.\n"
      << "void predict(const float* in, float* out);\n"
      << "// One sample, one pointer per input / output.\n"
      << "void predict(const float* const* inputs, float* const* outputs);\n"
      << "// n_samples samples laid out one after another, spread over n_threads threads (0: all cores).\n"
      << "void predict_batch(const float* in, float* out, std::size_t n_samples, unsigned n_threads = 0);\n"
      << "// The same with double inputs, quantized from the double itself (as the testbench does its %.17g text).\n"
      << "void predict(const double* in, float* out);\n"
      << "void predict(const double* const* inputs, float* const* outputs);\n"
      << "void predict_batch(const double* in, float* out, std::size_t n_samples, unsigned n_threads = 0);\n\n"
      << "}  // namespace " << info.ident << "\n";

  std::ostringstream br;
  // Relative includes: the bridge finds the project's own headers whatever the include path holds (with
  // include/ first, a model named "model" has an include/model.h).  An API header named like a system header
  // is included through the include path, as its users do: its #include_next then finds the real one.
  br << "// Generated by kml-convert. Do not edit.\n#include \""
     << (names::shadows_system_header(info.name) ? "" : "../include/") << info.name << ".h\"\n\n"
     << "#include <algorithm>\n#include <thread>\n#include <vector>\n\n"
     << "#include \"../firmware/model.h\"\n#include \"kml/common.h\"\n\n"
     << "namespace " << info.ident << " {\n\nnamespace {\n\n"
     << "template <class In>\nvoid predict_sample(const In* const* inputs, float* const* outputs) {\n";
  for (std::size_t i = 0; i < L.ins.size(); ++i)
    br << "  " << L.ins[i].type << " " << L.ins[i].var << "[" << L.ins[i].size << "];\n"
       << "  for (std::size_t i = 0; i < " << L.ins[i].size << "; i++) " << L.ins[i].var << "[i] = inputs[" << i
       << "][i];\n";
  for (const auto& e : L.outs) br << "  " << e.type << " " << e.var << "[" << e.size << "];\n";
  br << "  ::" << entry << "(";
  for (std::size_t i = 0; i < L.ins.size(); ++i) br << (i ? ", " : "") << L.ins[i].var;
  for (const auto& e : L.outs) br << ", " << e.var;
  br << ");\n";
  for (std::size_t j = 0; j < L.outs.size(); ++j)
    br << "  for (std::size_t j = 0; j < " << L.outs[j].size << "; j++) outputs[" << j
       << "][j] = static_cast<float>(kml::to_double(" << L.outs[j].var << "[j]));\n";
  br << "}\n\ntemplate <class In>\nvoid predict_flat(const In* in, float* out) {\n"
     << "  const In* inputs[n_inputs];\n  float* outputs[n_outputs];\n"
     << "  std::size_t o = 0;\n"
     << "  for (std::size_t i = 0; i < n_inputs; i++) { inputs[i] = in + o; o += input_size[i]; }\n"
     << "  o = 0;\n"
     << "  for (std::size_t j = 0; j < n_outputs; j++) { outputs[j] = out + o; o += output_size[j]; }\n"
     << "  predict_sample(inputs, outputs);\n}\n\n"
     << "template <class In>\nvoid predict_many(const In* in, float* out, std::size_t n, unsigned n_threads) {\n"
     << "  if (n == 0) return;\n"
     << "  // The first call initialises the layers' lookup tables; make it before any thread starts.\n"
     << "  predict_flat(in, out);\n"
     << "  if (n_threads == 0) n_threads = std::max(1u, std::thread::hardware_concurrency());\n"
     << "  n_threads = static_cast<unsigned>(std::min<std::size_t>(n_threads, n - 1 ? n - 1 : 1));\n"
     << "  auto work = [&](std::size_t begin, std::size_t end) {\n"
     << "    for (std::size_t s = begin; s < end; s++) predict_flat(in + s * total_input_size, out + s * total_output_size);\n"
     << "  };\n"
     << "  if (n_threads <= 1) { work(1, n); return; }\n"
     << "  std::vector<std::thread> pool;\n"
     << "  const std::size_t chunk = (n - 1 + n_threads - 1) / n_threads;\n"
     << "  for (unsigned t = 0; t < n_threads; t++) {\n"
     << "    std::size_t b = 1 + t * chunk, e = std::min(n, b + chunk);\n"
     << "    if (b < e) pool.emplace_back(work, b, e);\n"
     << "  }\n  for (auto& th : pool) th.join();\n}\n\n}  // namespace\n\n"
     << "void predict(const float* const* inputs, float* const* outputs) { predict_sample(inputs, outputs); }\n"
     << "void predict(const double* const* inputs, float* const* outputs) { predict_sample(inputs, outputs); }\n"
     << "void predict(const float* in, float* out) { predict_flat(in, out); }\n"
     << "void predict(const double* in, float* out) { predict_flat(in, out); }\n"
     << "void predict_batch(const float* in, float* out, std::size_t n, unsigned n_threads) {\n"
     << "  predict_many(in, out, n, n_threads);\n}\n"
     << "void predict_batch(const double* in, float* out, std::size_t n, unsigned n_threads) {\n"
     << "  predict_many(in, out, n, n_threads);\n}\n\n"
     << "}  // namespace " << info.ident << "\n";

  // ---- write everything
  write_file(dir / "firmware" / "defines.h", def.str());
  write_file(dir / "firmware" / "parameters.h", par.str());
  write_file(dir / "firmware" / "model.h", mh.str());
  write_file(dir / "firmware" / "model.cpp", mc.str());
  fs::create_directories(dir / "firmware" / "weights");
  std::map<std::string, bool> float_typedef;
  for (const auto& c : code)
    for (const auto& [name, p] : c.typedefs) float_typedef[name] = p.is_float();
  for (const auto& c : code)
    for (const auto& w : c.weights) {
      auto it = float_typedef.find(w.type);
      const bool is_float = it != float_typedef.end() ? it->second : (w.type == "float" || w.type == "double");
      write_file(dir / "firmware" / "weights" / (w.var + ".h"), weights_header(w, is_float));
    }
  write_file(dir / "tb" / "testbench.cpp", tb.str());
  write_file(dir / "include" / (info.name + ".h"), api.str());
  write_file(dir / "bridge" / "bridge.cpp", br.str());
  write_file(dir / "kml_manifest.json", manifest(g, cfg, info).dump(2) + "\n");
}

}  // namespace kml::emit
