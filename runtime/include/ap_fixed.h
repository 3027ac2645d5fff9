// kml runtime: ap_fixed<W,I,Q,O,N> / ap_ufixed<W,I,Q,O,N> (and ap_int / ap_uint) for host builds.
// Drop-in for the vendor's <ap_fixed.h> in generated code; see kml_ap_common.h.
#ifndef KML_AP_FIXED_H
#define KML_AP_FIXED_H
#include "kml_ap_common.h"
#endif  // KML_AP_FIXED_H
