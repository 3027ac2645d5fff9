// Forced first include (-include) of the synthesis-view compile check (run_synth_view.cmake). The open-source
// release of the vendor's ap_types has no synthesis side (its ap_common.h stops with #error under __SYNTHESIS__:
// ssdm_int is the HLS compiler's own), so its headers are read here in their C simulation form; then
// __SYNTHESIS__ is defined again for everything that follows: kml's templates, the generated firmware and kml's
// hls_stream.h / hls_math.h are compiled as Vitis HLS's front end sees them.
#undef __SYNTHESIS__
#include <ap_fixed.h>
#include <ap_int.h>
#define __SYNTHESIS__ 1
