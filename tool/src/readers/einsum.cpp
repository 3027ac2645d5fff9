#include "readers/einsum.h"

#include <map>

#include "util/error.h"

namespace kml::readers {

bool split_equation(const std::string& eq_in, std::string& a, std::string& b, std::string& out) {
  std::string eq;
  for (char c : eq_in)
    if (c != ' ') eq += c;
  auto comma = eq.find(',');
  auto arrow = eq.find("->");
  if (comma == std::string::npos || arrow == std::string::npos || arrow < comma) return false;
  a = eq.substr(0, comma);
  b = eq.substr(comma + 1, arrow - comma - 1);
  out = eq.substr(arrow + 2);
  return !a.empty() && !b.empty();
}

EinsumPlan plan_einsum(const std::string& a, const ir::Shape& as, const std::string& b, const ir::Shape& bs,
                       const std::string& o) {
  auto check_term = [](const std::string& t, const ir::Shape* s, const char* what) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!(t[i] >= 'a' && t[i] <= 'z') && !(t[i] >= 'A' && t[i] <= 'Z'))
        throw Error(std::string("einsum ") + what + " term '" + t + "' has a character other than a letter");
      if (t.find(t[i], i + 1) != std::string::npos)
        throw Error(std::string("einsum ") + what + " term '" + t + "' repeats the letter '" + t[i] +
                    "' (diagonals are not supported)");
    }
    if (s && s->size() != t.size())
      throw Error(std::string("einsum ") + what + " term '" + t + "' has " + std::to_string(t.size()) +
                  " letters for a tensor of shape " + ir::shape_str(*s));
  };
  check_term(a, &as, "first");
  check_term(b, &bs, "second");
  check_term(o, nullptr, "output");

  std::map<char, std::size_t> dim;
  auto note = [&](const std::string& t, const ir::Shape& s) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      auto it = dim.find(t[i]);
      if (it != dim.end() && it->second != s[i])
        throw Error(std::string("einsum letter '") + t[i] + "' has sizes " + std::to_string(it->second) + " and " +
                    std::to_string(s[i]));
      dim[t[i]] = s[i];
    }
  };
  note(a, as);
  note(b, bs);
  auto in = [](const std::string& t, char c) { return t.find(c) != std::string::npos; };
  for (char c : o)
    if (!in(a, c) && !in(b, c)) throw Error(std::string("einsum output letter '") + c + "' is in no operand");
  for (char c : a)
    if (!in(b, c) && !in(o, c)) throw Error(std::string("einsum letter '") + c + "' is summed over one operand only (not supported)");
  for (char c : b)
    if (!in(a, c) && !in(o, c)) throw Error(std::string("einsum letter '") + c + "' is summed over one operand only (not supported)");

  std::string S, L, C, R;
  for (char c : o) {
    if (in(a, c) && in(b, c)) S += c;
    else if (in(a, c)) L += c;
    else R += c;
  }
  for (char c : a)
    if (in(b, c) && !in(o, c)) C += c;

  EinsumPlan p;
  auto prod = [&](const std::string& g) {
    std::size_t n = 1;
    for (char c : g) n *= dim[c];
    return n;
  };
  p.n_s = prod(S);
  p.n_l = prod(L);
  p.n_c = prod(C);
  p.n_r = prod(R);
  for (char c : o) p.out_shape.push_back(dim[c]);
  if (p.out_shape.empty()) p.out_shape = {1};

  // Row-major strides of a term.
  auto strides = [&](const std::string& t) {
    std::map<char, std::size_t> st;
    std::size_t s = 1;
    for (std::size_t i = t.size(); i-- > 0;) {
      st[t[i]] = s;
      s *= dim[t[i]];
    }
    return st;
  };
  auto sa = strides(a), sb = strides(b), so = strides(o);
  // Enumerate the coordinates of a letter group (row-major over the group) and return, per position, the
  // offset contributed in a term with strides `st`.
  auto offsets = [&](const std::string& g, std::map<char, std::size_t>& st) {
    std::vector<std::size_t> r(prod(g), 0);
    std::size_t block = 1;
    for (std::size_t i = g.size(); i-- > 0;) {
      std::size_t d = dim[g[i]];
      std::size_t stride = st.count(g[i]) ? st[g[i]] : 0;
      for (std::size_t k = 0; k < r.size(); ++k) r[k] += ((k / block) % d) * stride;
      block *= d;
    }
    return r;
  };
  auto sA = offsets(S, sa), lA = offsets(L, sa), cA = offsets(C, sa);
  auto sB = offsets(S, sb), cB = offsets(C, sb), rB = offsets(R, sb);
  auto sO = offsets(S, so), lO = offsets(L, so), rO = offsets(R, so);
  for (std::size_t s = 0; s < p.n_s; ++s)
    for (std::size_t l = 0; l < p.n_l; ++l)
      for (std::size_t c = 0; c < p.n_c; ++c) p.a_index.push_back(sA[s] + lA[l] + cA[c]);
  for (std::size_t s = 0; s < p.n_s; ++s)
    for (std::size_t c = 0; c < p.n_c; ++c)
      for (std::size_t r = 0; r < p.n_r; ++r) p.b_index.push_back(sB[s] + cB[c] + rB[r]);
  for (std::size_t s = 0; s < p.n_s; ++s)
    for (std::size_t l = 0; l < p.n_l; ++l)
      for (std::size_t r = 0; r < p.n_r; ++r) p.o_index.push_back(sO[s] + lO[l] + rO[r]);
  return p;
}

}  // namespace kml::readers

namespace kml::readers {
namespace {

ir::Tensor index_tensor(const std::vector<std::size_t>& idx) {
  ir::Tensor t;
  t.shape = {idx.size()};
  for (auto i : idx) t.data.push_back(static_cast<double>(i));
  return t;
}

}  // namespace

ir::Node& emit_einsum(LayerCtx& c, const std::string& a, const std::string& b, const std::string& ta,
                      const std::string& tb, const std::string& to, const std::string& suffix) {
  EinsumPlan p;
  try {
    p = plan_einsum(ta, c.graph->at(a).shape, tb, c.graph->at(b).shape, to);
  } catch (const Error& e) {
    throw c.error(e.what());
  }
  ir::Node n = c.node("einsum", suffix);
  n.inputs = {a, b};
  n.shape = p.out_shape;
  n.attr["equation"] = ta + "," + tb + "->" + to;
  n.attr["n_s"] = p.n_s;
  n.attr["n_l"] = p.n_l;
  n.attr["n_c"] = p.n_c;
  n.attr["n_r"] = p.n_r;
  n.weights["a_index"] = index_tensor(p.a_index);
  n.weights["b_index"] = index_tensor(p.b_index);
  n.weights["o_index"] = index_tensor(p.o_index);
  return c.emit(std::move(n));
}

ir::Node& emit_einsum_dense(LayerCtx& c, const std::string& a, const std::string& ta, const ir::Tensor& kernel,
                            const std::string& tk, const ir::Tensor* bias, const std::string& tbias,
                            const std::string& to, const std::string& suffix) {
  EinsumPlan p;
  try {
    p = plan_einsum(ta, c.graph->at(a).shape, tk, kernel.shape, to);
  } catch (const Error& e) {
    throw c.error(e.what());
  }
  ir::Node n = c.node("einsum_dense", suffix);
  n.inputs = {a};
  n.shape = p.out_shape;
  n.attr["equation"] = ta + "," + tk + "->" + to;
  n.attr["n_s"] = p.n_s;
  n.attr["n_l"] = p.n_l;
  n.attr["n_c"] = p.n_c;
  n.attr["n_r"] = p.n_r;
  ir::Tensor k;
  k.shape = {p.n_s * p.n_c * p.n_r};
  for (auto i : p.b_index) k.data.push_back(kernel.data.at(i));
  n.weights["kernel"] = std::move(k);
  // Bias broadcast onto the canonical output positions.
  ir::Tensor bt;
  bt.shape = {p.o_index.size()};
  bt.data.assign(p.o_index.size(), 0.0);
  if (bias) {
    for (char ch : tbias)
      if (to.find(ch) == std::string::npos)
        throw c.error(std::string("bias axis '") + ch + "' is not an output axis of '" + to + "'");
    ir::Shape bshape;
    for (char ch : tbias) bshape.push_back(p.out_shape[to.find(ch)]);
    if (ir::shape_size(bshape) != bias->size())
      throw c.error("bias has " + std::to_string(bias->size()) + " values, expected shape " + ir::shape_str(bshape));
    // Output coordinates of each flat output index -> bias index.
    std::vector<std::size_t> ostride(to.size(), 1);
    for (std::size_t i = to.size(); i-- > 1;) ostride[i - 1] = ostride[i] * p.out_shape[i];
    for (std::size_t k2 = 0; k2 < p.o_index.size(); ++k2) {
      std::size_t flat = p.o_index[k2], bi = 0;
      for (char ch : tbias) {
        std::size_t pos = to.find(ch);
        std::size_t coord = (flat / ostride[pos]) % p.out_shape[pos];
        bi = bi * p.out_shape[pos] + coord;
      }
      bt.data[k2] = bias->data[bi];
    }
  }
  n.weights["bias"] = std::move(bt);
  n.weights["a_index"] = index_tensor(p.a_index);
  n.weights["o_index"] = index_tensor(p.o_index);
  return c.emit(std::move(n));
}

}  // namespace kml::readers
