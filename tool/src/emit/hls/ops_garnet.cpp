// Op emitter for garnet (hls4ml's GarNet and GarNetStack, kml/garnet.h): one kml::garnet call per sublayer, the
// vertex data between sublayers in arrays of the layer's result type; the last sublayer collapses.
#include "emit/hls/config_struct.h"
#include "emit/hls/emitter.h"
#include "util/error.h"

namespace kml::emit {
namespace {

const char* const kRoles[] = {"weight", "bias", "distance", "edge_weight", "edge_weight_aggr", "aggr", "norm"};

unsigned collapse_code(const std::string& c) {
  if (c == "mean") return 1;
  if (c == "sum") return 2;
  if (c == "max") return 3;
  return 0;
}

NodeCode garnet(const NodeNames& nn, const Config&) {
  const ir::Node& n = *nn.node;
  NodeCode c;
  c.includes = {"kml/garnet.h"};
  for (const char* r : kRoles) c.typedefs.push_back({nn.type(r), n.type(r)});
  const auto& subs = n.attr.at("sublayers");
  const std::size_t n_vertices = n.attr.at("n_vertices").get<std::size_t>();
  const std::string collapse = n.attr.value("collapse", std::string("none"));
  const Precision& dist = n.type("distance");
  std::string call;
  std::string in_var = nn.in_vars.at(0), in_type = nn.in_types.at(0);
  for (std::size_t s = 0; s < subs.size(); ++s) {
    const bool last = s + 1 == subs.size();
    const std::string k = std::to_string(s);
    const std::string cfg_name = subs.size() == 1 ? nn.config() : nn.config() + "_" + k;
    const std::size_t n_out = subs[s].at("n_out").get<std::size_t>();
    ConfigStruct cs(cfg_name, "kml::garnet_config",
                    subs.size() == 1 ? n.keras_class : n.keras_class + " sublayer " + k);
    cs.u({{"n_vertices", n_vertices},
          {"n_in", subs[s].at("n_in").get<std::size_t>()},
          {"n_aggregators", subs[s].at("n_aggregators").get<std::size_t>()},
          {"n_out", n_out}})
        .u("collapse", last ? collapse_code(collapse) : 0)
        .b("mean_by_nvert", n.attr.value("mean_by_nvert", false))
        .u("distance_width", dist.kind == Precision::Kind::Fixed ? dist.width : 0)
        .u("reuse_factor", n.reuse_factor);
    for (const char* r : kRoles) cs.type(std::string(r) + "_t", nn.type(r));
    c.config += (s ? "\n" : "") + cs.str();
    const std::string dw = nn.add_array(c, "gdw" + k + "_", nn.type("weight"), "dist_kernel" + k,
                                        "sublayer " + k + " aggregator distance kernel (S)");
    const std::string db = nn.add_array(c, "gdb" + k + "_", nn.type("bias"), "dist_bias" + k,
                                        "sublayer " + k + " aggregator distance bias (S)");
    const std::string iw = nn.add_array(c, "giw" + k + "_", nn.type("weight"), "in_kernel" + k,
                                        "sublayer " + k + " input transform (FLR) contracted with Fout's kernel");
    const std::string ib = nn.add_array(c, "gib" + k + "_", nn.type("bias"), "in_bias" + k,
                                        "sublayer " + k + " input transform bias (FLR) contracted with Fout's kernel");
    const std::string ob = nn.add_array(c, "gob" + k + "_", nn.type("bias"), "out_bias" + k,
                                        "sublayer " + k + " output transform bias (Fout)");
    std::string out_var = nn.out_var;
    if (!last) {
      out_var = nn.out_var + "_v" + k;
      call += nn.out_type + " " + out_var + "[" + std::to_string(n_vertices * n_out) + "];\n";
      call += "#pragma HLS ARRAY_PARTITION variable = " + out_var + " complete dim = 0\n";
    }
    call += "kml::garnet<" + in_type + ", " + nn.in_types.at(1) + ", " + nn.out_type + ", " + cfg_name + ">(" +
            in_var + ", " + nn.in_vars.at(1) + ", " + out_var + ", " + dw + ", " + db + ", " + iw + ", " + ib + ", " +
            ob + ");\n";
    in_var = out_var;
    in_type = nn.out_type;
  }
  call.pop_back();
  c.call = call;
  return c;
}

}  // namespace

void register_garnet_emitters(EmitterRegistry& r) { r.add("garnet", garnet); }

}  // namespace kml::emit
