// kml runtime: ap_int<W> / ap_uint<W> (and ap_fixed / ap_ufixed) for host builds.
// Drop-in for the vendor's <ap_int.h> in generated code; see kml_ap_common.h.
#ifndef KML_AP_INT_H
#define KML_AP_INT_H
#include "kml_ap_common.h"
#endif  // KML_AP_INT_H
