// io_stream top function: layer processes over hls::stream FIFOs (see emit/stream.h).
#include "emit/hls/stream.h"
#include "ir/op.h"

#include <cctype>
#include <set>
#include <sstream>

#include "util/error.h"
#include "util/names.h"

namespace kml::emit {

std::string replace_identifier(const std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::string r;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t p = text.find(from, i);
    if (p == std::string::npos) break;
    bool left = p == 0 || !ident(text[p - 1]);
    bool right = p + from.size() >= text.size() || !ident(text[p + from.size()]);
    r += text.substr(i, p - i);
    if (left && right) {
      r += to;
    } else {
      r += from;
    }
    i = p + from.size();
  }
  r += text.substr(i);
  return r;
}

namespace {

// One stream element: a vector of `chan` values.
std::string vec_of(const std::string& elem, std::size_t chan) {
  return "kml::vec<" + elem + ", " + unsigned_literal(chan) + ">";
}

struct Tensor {
  std::string base;  // the stream the producer writes (a port for model inputs)
  std::string elem;  // element type
  std::size_t chan = 1, n_elem = 1;
  bool port_input = false;
  std::string producer;  // node name ("" for model inputs)
  int depth = 0;
  std::string vec() const { return vec_of(elem, chan); }
  std::string stream() const { return "hls::stream<" + vec() + " >"; }
  std::size_t size() const { return chan * n_elem; }
};

struct Use {
  int process = -1;  // reader process, or -1 for a model output
  std::size_t input = 0;
  std::size_t output = 0;  // model output index when process == -1
  std::string stream;      // FIFO this use reads
};

struct Process {
  const NodeNames* nn = nullptr;  // layer, or nullptr for a repack
  const NodeCode* code = nullptr;
  const ir::Node* node = nullptr;
  std::vector<int> inputs;  // tensor ids
  int output = -1;
  std::vector<std::string> in_streams;  // filled from uses
};

// input0_t -> input0_vec_t
std::string port_vec(const std::string& elem) {
  std::string b = elem.size() > 2 && elem.compare(elem.size() - 2, 2, "_t") == 0 ? elem.substr(0, elem.size() - 2) : elem;
  return b + "_vec_t";
}

std::string indent(const std::string& text, const std::string& pad) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) out += pad + line + "\n";
  return out;
}

// Ops applied independently to each last-axis vector, whose array template can be narrowed to one row.
bool rowwise(const ir::Node& n, std::size_t rows) { return ir::stream_form(n, rows) != ir::StreamForm::Process; }

const char* const kStreamable[] = {"conv2d", "pool2d", "global_pool2d"};

}  // namespace

StreamCode write_stream_top(const StreamModel& m) {
  const ir::Graph& g = *m.graph;
  const Config& cfg = *m.cfg;
  std::vector<Tensor> tensors;
  std::map<std::string, int> tensor_of;  // node name -> tensor id
  std::vector<Process> procs;
  std::map<std::string, std::size_t> emitted;
  for (std::size_t k = 0; k < m.nodes.size(); ++k) emitted[m.nodes[k]->node->name] = k;

  auto depth_of = [&](const ir::Node& n, std::size_t n_elem) {
    std::vector<std::string> names = {n.name};
    if (n.keras_name != n.name) names.push_back(n.keras_name);
    if (n.attr.contains("fused_batchnorm")) names.push_back(n.attr["fused_batchnorm"].get<std::string>());
    return cfg.setting(&LayerSettings::fifo_depth, names, {n.keras_class}, static_cast<int>(n_elem));
  };
  auto make_tensor = [&](const ir::Node& n, const std::string& base, const std::string& elem) {
    Tensor t;
    t.base = base;
    t.elem = elem;
    t.chan = n.shape.empty() ? 1 : n.shape.back();
    if (t.chan == 0) t.chan = 1;
    t.n_elem = ir::shape_size(n.shape) / t.chan;
    t.producer = n.name;
    t.depth = depth_of(n, t.n_elem);
    tensors.push_back(t);
    return static_cast<int>(tensors.size() - 1);
  };

  int index = 0;
  for (const auto& np : g.nodes()) {
    const ir::Node& n = *np;
    ++index;
    if (ir::is_source(n)) {
      for (std::size_t i = 0; i < m.ins.size(); ++i)
        if (m.ins[i].node == n.name) {
          int t = make_tensor(n, m.ins[i].var, m.ins[i].type);
          tensors[t].port_input = true;
          tensors[t].producer = "";
          tensor_of[n.name] = t;
        }
      continue;
    }
    auto it = emitted.find(n.name);
    if (it == emitted.end()) {
      // A view in io_parallel (reshape): the same stream if the vector width is unchanged, else a repack.
      if (n.inputs.size() != 1) throw Error("internal: io_stream: no code for node '" + n.name + "'");
      int in = tensor_of.at(n.inputs[0]);
      std::size_t chan = n.shape.empty() ? 1 : n.shape.back();
      if (chan == tensors[in].chan) {
        tensor_of[n.name] = in;
        continue;
      }
      std::string elem = tensors[in].elem;
      int t = make_tensor(n, "layer" + std::to_string(index) + "_out", elem);
      tensor_of[n.name] = t;
      Process p;
      p.node = &n;
      p.inputs = {in};
      p.output = t;
      procs.push_back(p);
      continue;
    }
    const NodeNames& nn = *m.nodes[it->second];
    Process p;
    p.nn = &nn;
    p.code = m.code[it->second];
    p.node = &n;
    for (const auto& in : n.inputs) p.inputs.push_back(tensor_of.at(in));
    p.output = make_tensor(n, nn.out_var, nn.out_type);
    tensor_of[n.name] = p.output;
    procs.push_back(p);
  }

  // Readers of every tensor; each reader gets its own FIFO when there are several.
  std::vector<std::vector<Use>> uses(tensors.size());
  for (std::size_t p = 0; p < procs.size(); ++p)
    for (std::size_t i = 0; i < procs[p].inputs.size(); ++i) {
      Use us;
      us.process = static_cast<int>(p);
      us.input = i;
      uses[procs[p].inputs[i]].push_back(us);
    }
  for (std::size_t j = 0; j < m.outs.size(); ++j) {
    Use us;
    us.output = j;
    uses[tensor_of.at(m.outs[j].node)].push_back(us);
  }
  std::vector<std::string> out_stream(tensors.size());  // what the producer writes
  std::vector<bool> local(tensors.size(), false);       // declared in the top function
  struct Clone {
    int tensor;
    std::vector<std::string> outs;
  };
  std::vector<Clone> clones;
  std::vector<std::pair<std::string, int>> clone_decls;  // stream name, tensor
  for (std::size_t t = 0; t < tensors.size(); ++t) {
    auto& us = uses[t];
    const Tensor& T = tensors[t];
    out_stream[t] = T.base;
    local[t] = !T.port_input;
    if (us.size() == 1 && us[0].process < 0 && !T.port_input) {
      out_stream[t] = m.outs[us[0].output].var;  // the producer writes the output port
      local[t] = false;
      continue;
    }
    if (us.size() == 1 && us[0].process >= 0) {
      us[0].stream = T.base;
      continue;
    }
    if (us.empty()) continue;
    Clone c;
    c.tensor = static_cast<int>(t);
    for (std::size_t k = 0; k < us.size(); ++k) {
      if (us[k].process < 0) {
        us[k].stream = m.outs[us[k].output].var;
      } else {
        us[k].stream = T.base + "_cp" + std::to_string(k);
        clone_decls.push_back({us[k].stream, static_cast<int>(t)});
      }
      c.outs.push_back(us[k].stream);
    }
    clones.push_back(c);
  }
  for (std::size_t t = 0; t < tensors.size(); ++t)
    for (const auto& us : uses[t])
      if (us.process >= 0) {
        auto& p = procs[us.process];
        p.in_streams.resize(p.inputs.size());
        p.in_streams[us.input] = us.stream;
      }

  std::ostringstream src;
  // ---- layer processes
  for (const auto& p : procs) {
    if (!p.nn) continue;
    const NodeNames& nn = *p.nn;
    const ir::Node& n = *p.node;
    const Tensor& out = tensors[p.output];
    const std::string fn = "proc" + std::to_string(nn.index);
    const bool traced = emit::traced(n);
    std::string call = p.code->call;
    std::ostringstream params;
    for (std::size_t i = 0; i < p.inputs.size(); ++i)
      params << tensors[p.inputs[i]].stream() << "& in" << i << ", ";
    params << out.stream() << "& out";

    std::ostringstream body;
    bool needs_split = traced;  // the streaming forms trace through a host-only tee
    const std::size_t rows = out.n_elem;
    // A streamable template called the usual way, with the node's arrays after the output (NodeNames::call).
    std::vector<std::string> arrays;
    for (const auto& w : p.code->weights) arrays.push_back(w.var);
    std::string streamable;
    for (const char* s : kStreamable)
      if (p.inputs.size() == 1 && call == nn.call(s, arrays)) streamable = s;
    if (p.inputs.size() == 1 && rowwise(n, rows) && tensors[p.inputs[0]].n_elem == rows) {
      const Tensor& in = tensors[p.inputs[0]];
      const bool reused = ir::stream_form(n, rows) == ir::StreamForm::ReusedRows;
      std::string narrowed = reused ? "kml::one_row<" + nn.config() + ">"
                                             : "kml::row_of<" + nn.config() + ", " + unsigned_literal(out.chan) + ">";
      call = replace_identifier(call, nn.config(), narrowed);
      call = replace_identifier(call, nn.in_vars[0], "x_row.data");
      call = replace_identifier(call, nn.out_var, "y_row.data");
      body << "Rows:\n  for (unsigned r = 0; r < " << unsigned_literal(rows) << "; r++) {\n"
           << "#pragma HLS PIPELINE II = " << (reused ? std::max(1, n.reuse_factor) : 1) << "\n"
           << "    " << in.vec() << " x_row = in0.read();\n"
           << "#pragma HLS ARRAY_PARTITION variable = x_row.data complete\n"
           << "    " << out.vec() << " y_row;\n"
           << "#pragma HLS ARRAY_PARTITION variable = y_row.data complete\n"
           << indent(call, "    ") << "    out.write(y_row);\n  }\n";
    } else if (!streamable.empty()) {
      // The same call of its streaming form, on the process's streams of vectors.
      NodeNames sn = nn;
      sn.in_vars = {"in0"};
      sn.in_types = {tensors[p.inputs[0]].vec()};
      sn.out_var = "out";
      sn.out_type = out.vec();
      body << indent(sn.call(streamable + "_stream", arrays), "  ");
    } else {
      needs_split = false;
      for (std::size_t i = 0; i < p.inputs.size(); ++i) {
        const Tensor& in = tensors[p.inputs[i]];
        std::string a = "a_in" + std::to_string(i);
        body << "  " << in.elem << " " << a << "[" << in.size() << "];\n"
             << "#pragma HLS ARRAY_PARTITION variable = " << a << " complete dim = 0\n"
             << "  kml::stream_to_array<" << in.vec() << ", " << unsigned_literal(in.n_elem) << ">(in" << i << ", " << a
             << ");\n";
      }
      body << "  " << out.elem << " a_out[" << out.size() << "];\n"
           << "#pragma HLS ARRAY_PARTITION variable = a_out complete dim = 0\n";
      std::set<std::string> done;
      for (std::size_t i = 0; i < p.inputs.size(); ++i) {
        if (done.count(nn.in_vars[i])) continue;
        done.insert(nn.in_vars[i]);
        call = replace_identifier(call, nn.in_vars[i], "a_in" + std::to_string(i));
      }
      call = replace_identifier(call, nn.out_var, "a_out");
      body << indent(call, "  ");
      if (traced) body << "  KML_TRACE(" << names::cpp_string(names::file_stem(n.name)) << ", a_out, " << out.size() << ");\n";
      body << "  kml::array_to_stream<" << out.vec() << ", " << unsigned_literal(out.n_elem) << ">(a_out, out);\n";
    }

    src << "// " << names::cpp_comment(n.name) << ": " << n.op << " " << ir::shape_str(n.shape) << " ("
        << (body.str().find("Rows:") == 0           ? "row by row"
            : body.str().find("a_out[") != std::string::npos ? "array adapter"
                                                             : "streaming")
        << ")\n";
    if (needs_split) {
      src << "static void " << fn << "_run(" << params.str() << ") {\n#pragma HLS INLINE\n" << body.str() << "}\n";
      std::string args;
      for (std::size_t i = 0; i < p.inputs.size(); ++i) args += "in" + std::to_string(i) + ", ";
      src << "static void " << fn << "(" << params.str() << ") {\n#pragma HLS INLINE off\n"
          << "#ifndef __SYNTHESIS__\n"
          << "  " << out.stream() << " traced;\n"
          << "  " << fn << "_run(" << args << "traced);\n"
          << "  kml::tee_stream<" << out.vec() << ", " << unsigned_literal(out.n_elem) << ">(traced, out, [](const "
          << out.elem << "* d, unsigned n) { KML_TRACE(" << names::cpp_string(names::file_stem(n.name)) << ", d, n); });\n"
          << "#else\n"
          << "  " << fn << "_run(" << args << "out);\n"
          << "#endif\n}\n\n";
    } else {
      src << "static void " << fn << "(" << params.str() << ") {\n#pragma HLS INLINE off\n" << body.str() << "}\n\n";
    }
  }
  // ---- clone processes
  for (const auto& c : clones) {
    const Tensor& T = tensors[c.tensor];
    src << "static void clone_" << T.base << "(" << T.stream() << "& in";
    for (std::size_t k = 0; k < c.outs.size(); ++k) src << ", " << T.stream() << "& out" << k;
    src << ") {\n#pragma HLS INLINE off\nClone:\n  for (unsigned e = 0; e < " << unsigned_literal(T.n_elem)
        << "; e++) {\n#pragma HLS PIPELINE\n    " << T.vec() << " v = in.read();\n";
    for (std::size_t k = 0; k < c.outs.size(); ++k) src << "    out" << k << ".write(v);\n";
    src << "  }\n}\n\n";
  }

  // ---- top function
  StreamCode sc;
  std::ostringstream sig;
  sig << "void " << m.top << "(";
  for (std::size_t i = 0; i < m.ins.size(); ++i)
    sig << (i ? ", " : "") << "hls::stream<" << port_vec(m.ins[i].type) << ">& " << m.ins[i].var;
  for (std::size_t j = 0; j < m.outs.size(); ++j)
    sig << ", hls::stream<" << port_vec(m.outs[j].type) << ">& " << m.outs[j].var;
  sig << ")";
  sc.signature = sig.str();

  src << sc.signature << " {\n";
  std::string ports;
  for (const auto& e : m.ins) ports += (ports.empty() ? "" : ",") + e.var;
  for (const auto& e : m.outs) ports += "," + e.var;
  src << "#pragma HLS INTERFACE axis port = " << ports << "\n#pragma HLS DATAFLOW\n\n";
  auto decl = [&](const std::string& name, const Tensor& T) {
    src << "  " << T.stream() << " " << name << "(\"" << name << "\");\n"
        << "#pragma HLS STREAM variable = " << name << " depth = " << T.depth << "\n";
  };
  for (std::size_t t = 0; t < tensors.size(); ++t)
    if (local[t]) decl(tensors[t].base, tensors[t]);
  for (const auto& [name, t] : clone_decls) decl(name, tensors[t]);
  src << "\n";
  auto clone_call = [&](int t) {
    for (const auto& c : clones)
      if (c.tensor == t) {
        src << "  clone_" << tensors[t].base << "(" << tensors[t].base;
        for (const auto& o : c.outs) src << ", " << o;
        src << ");\n";
      }
  };
  for (std::size_t t = 0; t < tensors.size(); ++t)
    if (tensors[t].port_input) clone_call(static_cast<int>(t));
  for (const auto& p : procs) {
    const Tensor& out = tensors[p.output];
    if (!p.nn) {
      const Tensor& in = tensors[p.inputs[0]];
      src << "  kml::repack_stream<" << in.vec() << ", " << out.vec() << ", " << unsigned_literal(out.size()) << ">("
          << p.in_streams[0] << ", " << out_stream[p.output] << ");  // " << names::cpp_comment(p.node->name) << "\n";
    } else {
      src << "  proc" << p.nn->index << "(";
      for (const auto& s : p.in_streams) src << s << ", ";
      src << out_stream[p.output] << ");  // " << names::cpp_comment(p.node->name) << "\n";
    }
    clone_call(p.output);
  }
  // A model input that is also a model output (and read by nothing else) is copied.
  for (std::size_t t = 0; t < tensors.size(); ++t)
    if (tensors[t].port_input && uses[t].size() == 1 && uses[t][0].process < 0)
      src << "  kml::copy_stream<" << tensors[t].vec() << ", " << unsigned_literal(tensors[t].n_elem) << ">("
          << tensors[t].base << ", " << m.outs[uses[t][0].output].var << ");\n";
  src << "}\n\n";

  // ---- host entry point with the io_parallel signature
  sc.array_entry = m.top + "_arrays";
  std::ostringstream asig;
  asig << "void " << sc.array_entry << "(";
  for (std::size_t i = 0; i < m.ins.size(); ++i)
    asig << (i ? ", " : "") << m.ins[i].type << " " << m.ins[i].var << "[" << ir::shape_size(m.ins[i].shape) << "]";
  for (std::size_t j = 0; j < m.outs.size(); ++j)
    asig << ", " << m.outs[j].type << " " << m.outs[j].var << "[" << ir::shape_size(m.outs[j].shape) << "]";
  asig << ")";
  auto chan = [](const ir::Shape& s) -> std::size_t { return s.empty() || s.back() == 0 ? 1 : s.back(); };
  src << "#ifndef __SYNTHESIS__\n" << asig.str() << " {\n";
  for (const auto& e : m.ins) {
    std::size_t c = chan(e.shape), n = ir::shape_size(e.shape) / c;
    src << "  hls::stream<" << port_vec(e.type) << "> s_" << e.var << ";\n"
        << "  kml::array_to_stream<" << port_vec(e.type) << ", " << unsigned_literal(n) << ">(" << e.var << ", s_"
        << e.var << ");\n";
  }
  for (const auto& e : m.outs) src << "  hls::stream<" << port_vec(e.type) << "> s_" << e.var << ";\n";
  src << "  " << m.top << "(";
  for (std::size_t i = 0; i < m.ins.size(); ++i) src << (i ? ", " : "") << "s_" << m.ins[i].var;
  for (const auto& e : m.outs) src << ", s_" << e.var;
  src << ");\n";
  for (const auto& e : m.outs) {
    std::size_t c = chan(e.shape), n = ir::shape_size(e.shape) / c;
    src << "  kml::stream_to_array<" << port_vec(e.type) << ", " << unsigned_literal(n) << ">(s_" << e.var << ", "
        << e.var << ");\n";
  }
  src << "}\n#endif\n";
  sc.source = src.str();

  std::ostringstream h;
  h << "#include \"kml/stream.h\"\n\n";
  for (const auto* ports : {&m.ins, &m.outs})
    for (const auto& e : *ports) h << "typedef " << vec_of(e.type, chan(e.shape)) << " " << port_vec(e.type) << ";\n";
  h << "\n// Top function (io_stream): one stream element per position, the last axis as a vector.\n"
    << sc.signature << ";\n\n"
    << "#ifndef __SYNTHESIS__\n// Host entry point with io_parallel's array signature (testbench, bridge).\n"
    << asig.str() << ";\n#endif\n";
  sc.header = h.str();
  return sc;
}

}  // namespace kml::emit
