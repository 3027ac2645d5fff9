// Reshaping layers: Reshape, Permute, RepeatVector, ZeroPadding1D/2D, Cropping1D/2D, UpSampling1D/2D.
// (Flatten is a core layer.)
//
// IR ops:
//   "reshape"   a view (no code); "transpose" attr perm (output axis i is input axis perm[i]);
//   "repeat"    attrs n_in, n (RepeatVector: (n_in) -> (n, n_in));
//   "zero_pad", "crop", "upsample"  attrs in_h in_w n_chan out_h out_w and top/left (rows/columns added or removed
//               before) or size_h/size_w, on channels_last tensors (1D = height 1); channels_first layers are
//               marked like the convolutions (attr channels_first) for the channels_last pass.
#include "readers/layers.h"
#include "readers/spatial.h"

namespace kml::readers {
namespace {

using nlohmann::json;
using spatial::Geom;

void reshape(LayerCtx& c) {
  json t = c.config().value("target_shape", json());
  if (!t.is_array()) throw c.error("'target_shape' is missing");
  std::size_t total = ir::shape_size(c.in_shape()), known = 1;
  int unknown = -1;
  std::vector<long long> dims;
  for (std::size_t i = 0; i < t.size(); ++i) {
    long long v = t[i].is_null() ? -1 : t[i].get<long long>();
    if (v < 0) {
      if (unknown >= 0) throw c.error("target_shape " + t.dump() + " has more than one unknown dimension");
      unknown = int(i);
    } else {
      known *= std::size_t(v);
    }
    dims.push_back(v);
  }
  if (unknown >= 0) {
    if (known == 0 || total % known) throw c.error("cannot reshape " + ir::shape_str(c.in_shape()) + " to " + t.dump());
    dims[unknown] = (long long)(total / known);
  }
  ir::Node n = c.node("reshape");
  for (long long d : dims) n.shape.push_back(std::size_t(d));
  if (ir::shape_size(n.shape) != total)
    throw c.error("cannot reshape " + ir::shape_str(c.in_shape()) + " to " + ir::shape_str(n.shape));
  c.emit(std::move(n));
}

void permute(LayerCtx& c) {
  json d = c.config().value("dims", json());
  const ir::Shape& in = c.in_shape();
  if (!d.is_array() || d.size() != in.size())
    throw c.error("'dims' = " + d.dump() + " does not match the input " + ir::shape_str(in));
  std::vector<std::size_t> perm;
  std::vector<bool> seen(in.size(), false);
  for (const auto& x : d) {
    long long a = x.get<long long>() - 1;  // Keras counts the batch axis as 0
    if (a < 0 || a >= (long long)in.size() || seen[a]) throw c.error("'dims' = " + d.dump() + " is not a permutation");
    seen[a] = true;
    perm.push_back(std::size_t(a));
  }
  ir::Node n = c.node("transpose");
  n.attr["perm"] = perm;
  for (std::size_t a : perm) n.shape.push_back(in[a]);
  c.emit(std::move(n));
}

void repeat_vector(LayerCtx& c) {
  const ir::Shape& in = c.in_shape();
  if (in.size() != 1) throw c.error("expected a vector input, got " + ir::shape_str(in));
  std::size_t times = c.get<std::size_t>("n", 0);
  if (times == 0) throw c.error("'n' must be positive");
  ir::Node n = c.node("repeat");
  n.attr["n_in"] = in[0];
  n.attr["n"] = times;
  n.shape = {times, in[0]};
  c.emit(std::move(n));
}

// (before, after) amounts per spatial dimension from ZeroPadding/Cropping's argument: an integer, a pair
// (1D: before/after; 2D: symmetric per dimension) or a pair of pairs.
std::vector<std::pair<std::size_t, std::size_t>> amounts(const LayerCtx& c, const char* key, int rank) {
  json v = c.config().value(key, json());
  auto bad = [&]() { return c.error(std::string("'") + key + "' = " + v.dump() + " is not understood"); };
  auto num = [&](const json& x) {
    if (!x.is_number_integer() || x.get<long long>() < 0) throw bad();
    return std::size_t(x.get<long long>());
  };
  std::vector<std::pair<std::size_t, std::size_t>> r;
  if (v.is_number_integer()) {
    r.assign(rank, {num(v), num(v)});
  } else if (v.is_array() && rank == 1 && v.size() == 2 && v[0].is_number_integer()) {
    r.push_back({num(v[0]), num(v[1])});
  } else if (v.is_array() && rank == 1 && v.size() == 1) {
    r.push_back({num(v[0]), num(v[0])});
  } else if (v.is_array() && std::size_t(rank) == v.size()) {
    for (const auto& x : v) {
      if (x.is_number_integer()) r.push_back({num(x), num(x)});
      else if (x.is_array() && x.size() == 2) r.push_back({num(x[0]), num(x[1])});
      else throw bad();
    }
  } else {
    throw bad();
  }
  if (rank == 1) r.insert(r.begin(), {0, 0});
  return r;
}

ir::Node spatial_node(LayerCtx& c, const char* op, const Geom& g, std::size_t out_h, std::size_t out_w) {
  ir::Node n = c.node(op);
  n.attr["rank"] = g.rank;
  n.attr["in_h"] = g.h;
  n.attr["in_w"] = g.w;
  n.attr["n_chan"] = g.c;
  n.attr["out_h"] = out_h;
  n.attr["out_w"] = out_w;
  if (g.channels_first) n.attr["channels_first"] = true;
  n.shape = spatial::keras_shape(g.rank, g.channels_first, out_h, out_w, g.c);
  return n;
}

void zero_pad(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  auto p = amounts(c, "padding", rank);
  ir::Node n = spatial_node(c, "zero_pad", g, g.h + p[0].first + p[0].second, g.w + p[1].first + p[1].second);
  n.attr["top"] = p[0].first;
  n.attr["left"] = p[1].first;
  c.emit(std::move(n));
}

void crop(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  auto p = amounts(c, "cropping", rank);
  if (p[0].first + p[0].second >= g.h + (rank == 1 ? 1 : 0) || p[1].first + p[1].second >= g.w)
    throw c.error("cropping removes the whole input " + ir::shape_str(c.in_shape()));
  ir::Node n = spatial_node(c, "crop", g, g.h - p[0].first - p[0].second, g.w - p[1].first - p[1].second);
  n.attr["top"] = p[0].first;
  n.attr["left"] = p[1].first;
  c.emit(std::move(n));
}

void upsample(LayerCtx& c, int rank) {
  Geom g = spatial::input_geom(c, rank, spatial::channels_first(c));
  std::vector<std::size_t> s = spatial::pair(c, "size", rank, json(2));
  std::string interp = c.get<std::string>("interpolation", "nearest");
  if (interp != "nearest")
    throw c.error("interpolation '" + interp + "' is not supported (only 'nearest')");
  ir::Node n = spatial_node(c, "upsample", g, g.h * s[0], g.w * s[1]);
  n.attr["size_h"] = s[0];
  n.attr["size_w"] = s[1];
  c.emit(std::move(n));
}

}  // namespace

void register_reshape_layers(LayerRegistry& r) {
  r.add("Reshape", reshape);
  r.add("Permute", permute);
  r.add("RepeatVector", repeat_vector);
  for (int rank : {1, 2}) {
    std::string d = std::to_string(rank) + "D";
    r.add("ZeroPadding" + d, [rank](LayerCtx& c) { zero_pad(c, rank); });
    r.add("Cropping" + d, [rank](LayerCtx& c) { crop(c, rank); });
    r.add("UpSampling" + d, [rank](LayerCtx& c) { upsample(c, rank); });
  }
}

}  // namespace kml::readers
