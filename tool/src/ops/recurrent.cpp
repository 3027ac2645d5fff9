// The recurrent op: rnn (SimpleRNN, LSTM, GRU cells; readers/layers_recurrent.cpp, emit/hls/ops_recurrent.cpp,
// templates/kml/recurrent.h).
#include "ops/common.h"

namespace kml::ir {

void register_recurrent_ops(OpRegistry& r) {
  using ops::uattr;
  OpInfo rnn = ops::op("rnn", {"result", "accum", "state", "weight", "recurrent_weight", "bias", "table"});
  rnn.reuse = [](const Node& n) -> std::optional<ReuseDims> {
    const std::string cell = n.attr.value("cell", std::string());
    std::size_t gates = cell == "lstm" ? 4 : cell == "gru" ? 3 : 1;
    std::size_t units = uattr(n, "units", uattr(n, "n_state", 0));
    std::size_t n_in = uattr(n, "n_in", 0);
    if (units == 0 || n_in == 0) return std::nullopt;
    return ReuseDims{n_in, gates * units};
  };
  rnn.range = RangeRule::Rnn;
  r.add(rnn);
}

}  // namespace kml::ir
