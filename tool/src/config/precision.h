// Precision strings as hls4ml users write them: ap_fixed<W,I[,Q[,O[,N]]]>, ap_ufixed, ap_int<W>,
// ap_uint<W>, fixed<...>/ufixed<...>, int<W>/uint<W>, float, double, auto.
#pragma once
#include <string>

namespace kml {

struct Precision {
  enum class Kind { Fixed, Float, Double, Auto };
  Kind kind = Kind::Fixed;
  bool is_signed = true;
  int width = 16;
  int integer = 6;
  std::string rounding = "AP_TRN";   // vendor ap_q_mode name
  std::string overflow = "AP_WRAP";  // vendor ap_o_mode name
  int sat_bits = 0;

  bool is_float() const { return kind == Kind::Float || kind == Kind::Double; }
  bool is_auto() const { return kind == Kind::Auto; }
  int fractional() const { return width - integer; }

  // The C++ type the generated code uses: "ap_fixed<16,6>", "ap_ufixed<8,0,AP_RND,AP_SAT>", "float".
  std::string cpp() const;
  // Canonical string form (round-trips through parse_precision).
  std::string str() const { return cpp(); }
  bool operator==(const Precision& o) const;
  bool operator!=(const Precision& o) const { return !(*this == o); }

  static Precision fixed(int w, int i, bool is_signed = true);
  static Precision float32();
};

// Parse a precision string; throws kml::Error with a message saying what is wrong (no file prefix).
Precision parse_precision(const std::string& text);

}  // namespace kml
