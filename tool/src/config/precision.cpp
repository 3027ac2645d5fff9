#include "config/precision.h"

#include <cctype>
#include <sstream>
#include <vector>

#include "util/error.h"

namespace kml {
namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

constexpr int kMaxWidth = 64;
constexpr int kMaxIntegerBits = 512;

int parse_int(const std::string& text, const std::string& what, const std::string& whole) {
  std::string t = trim(text);
  std::size_t pos = 0;
  int v = 0;
  try {
    v = std::stoi(t, &pos);
  } catch (...) {
    pos = 0;
  }
  if (t.empty() || pos != t.size())
    throw Error("bad precision '" + whole + "': " + what + " '" + t + "' is not an integer");
  return v;
}

const std::vector<std::string>& rounding_modes() {
  static const std::vector<std::string> m = {"AP_RND",     "AP_RND_ZERO", "AP_RND_MIN_INF", "AP_RND_INF",
                                             "AP_RND_CONV", "AP_TRN",      "AP_TRN_ZERO"};
  return m;
}
const std::vector<std::string>& overflow_modes() {
  static const std::vector<std::string> m = {"AP_SAT", "AP_SAT_ZERO", "AP_SAT_SYM", "AP_WRAP", "AP_WRAP_SM"};
  return m;
}

std::string mode(const std::string& text, const std::vector<std::string>& allowed, const char* what,
                 const std::string& whole) {
  std::string t = upper(trim(text));
  if (t.rfind("AP_", 0) != 0) t = "AP_" + t;  // hls4ml also accepts RND, SAT, ...
  for (const auto& a : allowed)
    if (a == t) return t;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw Error("bad precision '" + whole + "': unknown " + what + " mode '" + trim(text) + "' (one of " + list + ")");
}

}  // namespace

std::string Precision::cpp() const {
  switch (kind) {
    case Kind::Float: return "float";
    case Kind::Double: return "double";
    case Kind::Auto: return "auto";
    case Kind::Fixed: break;
  }
  std::ostringstream o;
  o << (is_signed ? "ap_fixed<" : "ap_ufixed<") << width << "," << integer;
  bool q = rounding != "AP_TRN", ov = overflow != "AP_WRAP", n = sat_bits != 0;
  if (q || ov || n) o << "," << rounding;
  if (ov || n) o << "," << overflow;
  if (n) o << "," << sat_bits;
  o << ">";
  return o.str();
}

bool Precision::operator==(const Precision& o) const {
  if (kind != o.kind) return false;
  if (kind != Kind::Fixed) return true;
  return is_signed == o.is_signed && width == o.width && integer == o.integer && rounding == o.rounding &&
         overflow == o.overflow && sat_bits == o.sat_bits;
}

Precision Precision::fixed(int w, int i, bool s) {
  Precision p;
  p.width = w;
  p.integer = i;
  p.is_signed = s;
  return p;
}

Precision Precision::float32() {
  Precision p;
  p.kind = Kind::Float;
  return p;
}

Precision parse_precision(const std::string& text) {
  const std::string whole = trim(text);
  std::string lower;
  for (char c : whole) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Precision p;
  if (lower == "float") { p.kind = Precision::Kind::Float; return p; }
  if (lower == "double") { p.kind = Precision::Kind::Double; return p; }
  if (lower == "auto") { p.kind = Precision::Kind::Auto; return p; }

  auto lt = whole.find('<');
  if (lt == std::string::npos || whole.back() != '>')
    throw Error("bad precision '" + whole +
                "': expected ap_fixed<W,I>, ap_ufixed<W,I>, ap_int<W>, ap_uint<W>, fixed<W,I>, float, double or auto");
  std::string head = trim(lower.substr(0, lt));
  std::vector<std::string> args;
  {
    std::string inner = whole.substr(lt + 1, whole.size() - lt - 2);
    std::stringstream ss(inner);
    std::string item;
    while (std::getline(ss, item, ',')) args.push_back(trim(item));
    if (!inner.empty() && inner.back() == ',') args.push_back("");
  }
  bool is_int = false;
  if (head == "ap_fixed" || head == "fixed") p.is_signed = true;
  else if (head == "ap_ufixed" || head == "ufixed") p.is_signed = false;
  else if (head == "ap_int" || head == "int") { p.is_signed = true; is_int = true; }
  else if (head == "ap_uint" || head == "uint") { p.is_signed = false; is_int = true; }
  else throw Error("bad precision '" + whole + "': unknown type '" + head + "'");

  if (is_int) {
    if (args.size() != 1) throw Error("bad precision '" + whole + "': " + head + " takes exactly one width");
    p.width = parse_int(args[0], "width", whole);
    p.integer = p.width;
  } else {
    if (args.size() < 2 || args.size() > 5)
      throw Error("bad precision '" + whole + "': " + head + " takes 2 to 5 parameters <W,I[,Q[,O[,N]]]>");
    p.width = parse_int(args[0], "width", whole);
    p.integer = parse_int(args[1], "integer width", whole);
    if (args.size() > 2) p.rounding = mode(args[2], rounding_modes(), "rounding", whole);
    if (args.size() > 3) p.overflow = mode(args[3], overflow_modes(), "overflow", whole);
    if (args.size() > 4) p.sat_bits = parse_int(args[4], "saturation bits", whole);
  }
  // kml's runtime holds every value, and the product of two values (W1 + W2 bits), in one native integer of at
  // most 128 bits: 64 is the widest width whose products it can represent.
  if (p.width < 1 || p.width > kMaxWidth)
    throw Error("bad precision '" + whole + "': width " + std::to_string(p.width) + " is outside 1.." +
                std::to_string(kMaxWidth) + " (the widest type whose products kml's 128-bit runtime can represent)");
  // Values convert through double: the scale 2^(I-W) and the range 2^I must stay well inside its exponent range.
  if (p.integer < -kMaxIntegerBits || p.integer > kMaxIntegerBits)
    throw Error("bad precision '" + whole + "': integer width " + std::to_string(p.integer) + " is outside " +
                std::to_string(-kMaxIntegerBits) + ".." + std::to_string(kMaxIntegerBits));
  if (p.sat_bits < 0 || p.sat_bits > p.width)
    throw Error("bad precision '" + whole + "': saturation bits must be in 0.." + std::to_string(p.width));
  return p;
}

}  // namespace kml
