// kml: the Python module of one model's bit-accurate host emulation (kml_add_fpga_model(... PYTHON)).
// The same source for every model: kml_py_meta.h (written by scripts/KmlPythonMeta.cmake from the model's
// kml_manifest.json) includes the model's API header and defines KML_PY_MODULE (the module's name), KML_PY_NS
// (the API's namespace) and kml_py_manifest (the manifest's bytes), from which the module describes the inputs,
// outputs and traced layers.
//
//   predict(x, threads=0)  x: one array (N, ...) per input (a list for several), float32 or float64 (then quantized
//                          from the double, through the double API), Keras layout;
//                          returns float32 arrays (N, ...) (a list for several outputs), as Keras' model.predict.
//                          threads: 0 = every core (the batch API, predict_batch).
//   trace(x)               {layer: float64 array (N, ...)} for every traced layer (trace = true in the config).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kml/trace.h"
#include "kml_py_meta.h"

namespace py = pybind11;

namespace {

struct Endpoint {
  std::string name;
  std::vector<py::ssize_t> shape;  // without the batch dimension
  std::size_t size = 0;
  std::string precision;
};

struct Traced {
  std::string file;                // the name the generated code records it under
  std::vector<std::string> names;  // the dict keys: Keras layer name (and the node name where it differs)
  std::vector<py::ssize_t> shape;
  std::size_t size = 0;
};

struct Model {
  std::vector<Endpoint> ins, outs;
  std::vector<Traced> traced;
};

Model& model() {
  static Model m;
  return m;
}

const char* module_name() { return KML_PY_STR(KML_PY_MODULE); }

std::string shape_text(const std::vector<py::ssize_t>& shape, bool batch) {
  std::ostringstream s;
  s << '(';
  if (batch) s << 'N';
  for (std::size_t i = 0; i < shape.size(); ++i) s << (i || batch ? ", " : "") << shape[i];
  if (!batch && shape.size() == 1) s << ',';
  s << ')';
  return s.str();
}

std::string shape_of(const py::array& a) {
  std::vector<py::ssize_t> s(a.shape(), a.shape() + a.ndim());
  return shape_text(s, false);
}

std::string inputs_text() {
  std::string t;
  for (std::size_t i = 0; i < model().ins.size(); ++i)
    t += (i ? ", '" : "'") + model().ins[i].name + "' " + shape_text(model().ins[i].shape, true);
  return t;
}

[[noreturn]] void fail(const char* fn, const std::string& what) {
  throw py::value_error(std::string(module_name()) + "." + fn + ": " + what);
}

// The inputs, checked (shapes, dtypes, one batch size), one per model input; `wide`: one of them is float64.
std::vector<py::array> take_inputs(const char* fn, py::handle x, std::size_t& n, bool& wide) {
  const Model& m = model();
  std::vector<py::object> items;
  if (py::isinstance<py::list>(x) || py::isinstance<py::tuple>(x)) {
    py::sequence seq = py::reinterpret_borrow<py::sequence>(x);
    const bool nested_values = m.ins.size() == 1 && seq.size() > 0 && !py::isinstance<py::array>(seq[0]);
    if (nested_values) {
      items.push_back(py::reinterpret_borrow<py::object>(x));  // a (nested) list of numbers
    } else {
      for (auto item : seq) items.push_back(py::reinterpret_borrow<py::object>(item));
    }
  } else {
    items.push_back(py::reinterpret_borrow<py::object>(x));
  }
  if (items.size() != m.ins.size()) {
    std::ostringstream s;
    s << "the model has " << m.ins.size() << " input" << (m.ins.size() == 1 ? "" : "s") << " (" << inputs_text()
      << "); got " << items.size() << (m.ins.size() == 1 ? " arrays" : "");
    if (m.ins.size() > 1) s << ": give a list of " << m.ins.size() << " arrays";
    fail(fn, s.str());
  }
  py::module_ np = py::module_::import("numpy");
  std::vector<py::array> out;
  wide = false;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Endpoint& e = m.ins[i];
    const std::string which = "input '" + e.name + "'";
    py::array a = py::isinstance<py::array>(items[i]) ? py::reinterpret_borrow<py::array>(items[i])
                                                      : py::array(np.attr("asarray")(items[i]));
    const py::dtype dt = a.dtype();
    if (dt.kind() != 'f' || (dt.itemsize() != 4 && dt.itemsize() != 8))
      fail(fn, which + " must be float32 or float64 of shape " + shape_text(e.shape, true) + ", got " +
                   py::str(static_cast<const py::handle&>(dt)).cast<std::string>() + " (x.astype(numpy.float32))");
    bool ok = static_cast<std::size_t>(a.ndim()) == e.shape.size() + 1;
    for (std::size_t d = 0; ok && d < e.shape.size(); ++d) ok = a.shape(d + 1) == e.shape[d];
    if (!ok)
      fail(fn, which + " must have shape " + shape_text(e.shape, true) + " (batch first), got " + shape_of(a));
    const std::size_t batch = static_cast<std::size_t>(a.shape(0));
    if (i == 0) {
      n = batch;
    } else if (batch != n) {
      fail(fn, "the inputs' batch sizes differ: '" + m.ins[0].name + "' has " + std::to_string(n) + " samples, '" +
                   e.name + "' " + std::to_string(batch));
    }
    wide = wide || dt.itemsize() == 8;
    out.push_back(a);
  }
  return out;
}

// All inputs of a sample one after another (the layout of the C++ API) as C arrays of T (float64 inputs go to the
// double API: quantized from the double itself, as the testbench quantizes its %.17g text).
template <class T>
struct Packed {
  std::vector<py::array_t<T, py::array::c_style | py::array::forcecast>> arrays;
  std::vector<T> buffer;
  const T* data = nullptr;
};

template <class T>
void pack(const std::vector<py::array>& ins, std::size_t n, Packed<T>& p) {
  for (const py::array& a : ins) {
    p.arrays.push_back(py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(a));
    if (!p.arrays.back()) throw py::error_already_set();
  }
  if (ins.size() == 1) {
    p.data = p.arrays[0].data();
    return;
  }
  p.buffer.resize(n * KML_PY_NS::total_input_size);
  std::size_t offset = 0;
  for (std::size_t i = 0; i < ins.size(); ++i) {
    const std::size_t w = KML_PY_NS::input_size[i];
    const T* src = p.arrays[i].data();
    for (std::size_t s = 0; s < n; ++s)
      std::memcpy(p.buffer.data() + s * KML_PY_NS::total_input_size + offset, src + s * w, w * sizeof(T));
    offset += w;
  }
  p.data = p.buffer.data();
}

// Runs f(const T* packed_inputs) with T = double when an input is float64, else float.
template <class F>
void with_inputs(const std::vector<py::array>& ins, std::size_t n, bool wide, F&& f) {
  if (wide) {
    Packed<double> p;
    pack(ins, n, p);
    f(p.data);
  } else {
    Packed<float> p;
    pack(ins, n, p);
    f(p.data);
  }
}



std::vector<py::ssize_t> batch_shape(std::size_t n, const std::vector<py::ssize_t>& shape) {
  std::vector<py::ssize_t> s{static_cast<py::ssize_t>(n)};
  s.insert(s.end(), shape.begin(), shape.end());
  return s;
}

py::object predict(py::handle x, long threads) {
  if (threads < 0) fail("predict", "threads must be 0 (every core) or a positive count, got " + std::to_string(threads));
  std::size_t n = 0;
  bool wide = false;
  const auto ins = take_inputs("predict", x, n, wide);
  const Model& m = model();
  const unsigned t = static_cast<unsigned>(threads);
  if (m.outs.size() == 1) {
    py::array_t<float> y(batch_shape(n, m.outs[0].shape));
    float* out = y.mutable_data();
    with_inputs(ins, n, wide, [&](const auto* in) {
      py::gil_scoped_release nogil;
      KML_PY_NS::predict_batch(in, out, n, t);
    });
    return std::move(y);
  }
  std::vector<float> all(n * KML_PY_NS::total_output_size);
  with_inputs(ins, n, wide, [&](const auto* in) {
    py::gil_scoped_release nogil;
    KML_PY_NS::predict_batch(in, all.data(), n, t);
  });
  py::list ys;
  std::size_t offset = 0;
  for (std::size_t j = 0; j < m.outs.size(); ++j) {
    py::array_t<float> y(batch_shape(n, m.outs[j].shape));
    float* dst = y.mutable_data();
    const std::size_t w = KML_PY_NS::output_size[j];
    for (std::size_t s = 0; s < n; ++s)
      std::memcpy(dst + s * w, all.data() + s * KML_PY_NS::total_output_size + offset, w * sizeof(float));
    offset += w;
    ys.append(std::move(y));
  }
  return std::move(ys);
}

class Collector final : public kml::trace::Sink {
 public:
  std::map<std::string, std::vector<double>> values;
  void record(const char* name, const double* v, unsigned n) override {
    std::vector<double>& d = values[name];
    d.insert(d.end(), v, v + n);
  }
};

py::dict trace(py::handle x) {
  const Model& m = model();
  if (m.traced.empty())
    throw std::runtime_error(std::string(module_name()) +
                          ".trace: the model was converted without tracing; set trace = true in its config (or "
                          "SET trace=true in kml_add_fpga_model) and rebuild the module");
  std::size_t n = 0;
  bool wide = false;
  const auto ins = take_inputs("trace", x, n, wide);
  Collector c;
  with_inputs(ins, n, wide, [&](const auto* in) {
    py::gil_scoped_release nogil;
    std::vector<float> out(KML_PY_NS::total_output_size);
    kml::trace::Sink* previous = kml::trace::set_sink(&c);
    for (std::size_t s = 0; s < n; ++s) KML_PY_NS::predict(in + s * KML_PY_NS::total_input_size, out.data());
    kml::trace::set_sink(previous);
  });
  py::dict d;
  for (const Traced& t : m.traced) {
    const std::vector<double>& v = c.values[t.file];
    if (v.size() != n * t.size)
      throw std::runtime_error(std::string(module_name()) + ".trace: layer '" + t.names.back() + "' recorded " +
                               std::to_string(v.size()) + " values for " + std::to_string(n) + " samples of " +
                               std::to_string(t.size));
    py::array_t<double> a(batch_shape(n, t.shape));
    if (!v.empty()) std::memcpy(a.mutable_data(), v.data(), v.size() * sizeof(double));
    for (const std::string& name : t.names) d[py::str(name)] = a;
  }
  return d;
}

std::vector<py::ssize_t> to_shape(py::handle list) {
  std::vector<py::ssize_t> s;
  for (auto v : list) s.push_back(v.cast<py::ssize_t>());
  return s;
}

py::tuple keras_shape(const std::vector<py::ssize_t>& shape) {
  py::list l;
  l.append(py::none());
  for (auto v : shape) l.append(v);
  return py::tuple(l);
}

}  // namespace

PYBIND11_MODULE(KML_PY_MODULE, mod) {
  // The manifest, read with Python's json module.
  const py::object manifest = py::module_::import("json").attr("loads")(
      py::bytes(reinterpret_cast<const char*>(kml_py_manifest), sizeof kml_py_manifest));
  Model& m = model();
  m.ins.clear();
  m.outs.clear();
  m.traced.clear();
  auto endpoints = [](py::handle list, std::vector<Endpoint>& into) {
    for (auto e : list)
      into.push_back({e["name"].cast<std::string>(), to_shape(e["shape"]), e["size"].cast<std::size_t>(),
                      e["precision"].cast<std::string>()});
  };
  endpoints(manifest["inputs"], m.ins);
  endpoints(manifest["outputs"], m.outs);
  if (m.ins.size() != KML_PY_NS::n_inputs || m.outs.size() != KML_PY_NS::n_outputs)
    throw std::runtime_error(std::string(module_name()) + ": the manifest and the API header disagree on the inputs");
  std::map<std::string, std::vector<py::ssize_t>> layer_shape;
  for (auto l : manifest["layers"]) layer_shape[l["name"].cast<std::string>()] = to_shape(l["shape"]);
  for (auto t : manifest.attr("get")("trace", py::list())) {
    Traced tr;
    tr.file = t["file"].cast<std::string>();
    for (auto nm : t["names"]) tr.names.push_back(nm.cast<std::string>());
    const std::string layer = t.attr("get")("layer", t["node"]).cast<std::string>();
    tr.shape = layer_shape[layer];
    tr.size = t["size"].cast<std::size_t>();
    m.traced.push_back(tr);
  }

  mod.doc() = "Bit-accurate emulation of the kml model '" + manifest["name"].cast<std::string>() +
              "' (generated HLS C++, host build)";
  mod.def("predict", &predict, py::arg("x"), py::arg("threads") = 0,
          "predict(x, threads=0): x is one numpy array (N, ...) per model input (a list for several), float32 or "
          "float64, in the Keras input layout; returns float32 arrays (N, ...) like keras' model.predict (a list "
          "for several outputs). threads: worker threads (0: every core).");
  mod.def("trace", &trace, py::arg("x"),
          "trace(x): {layer name: float64 array (N, ...)} of every traced layer (needs trace = true in the "
          "model's config).");

  auto describe = [](const std::vector<Endpoint>& es) {
    py::list l;
    for (const Endpoint& e : es) {
      py::dict d;
      d["name"] = e.name;
      d["shape"] = keras_shape(e.shape);
      d["precision"] = e.precision;
      l.append(d);
    }
    return l;
  };
  mod.attr("inputs") = describe(m.ins);
  mod.attr("outputs") = describe(m.outs);
  py::list in_names, in_shapes, out_names, out_shapes, out_types, traced;
  for (const Endpoint& e : m.ins) in_names.append(e.name), in_shapes.append(keras_shape(e.shape));
  for (const Endpoint& e : m.outs)
    out_names.append(e.name), out_shapes.append(keras_shape(e.shape)), out_types.append(e.precision);
  for (const Traced& t : m.traced)
    for (const std::string& nm : t.names) traced.append(nm);
  mod.attr("input_names") = in_names;
  mod.attr("input_shapes") = in_shapes;
  mod.attr("output_names") = out_names;
  mod.attr("output_shapes") = out_shapes;
  mod.attr("output_types") = out_types;
  mod.attr("traced_layers") = traced;
  mod.attr("name") = manifest["name"];
  mod.attr("kml_version") = manifest["kml_version"];
}
