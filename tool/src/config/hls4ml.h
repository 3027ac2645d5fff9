// `kml-convert config --from-hls4ml CONFIG.yml|.json`: an hls4ml configuration as kml's TOML.
#pragma once
#include <string>
#include <vector>

namespace kml {

struct Hls4mlImport {
  std::string toml;                   // kml's configuration (parses with Config::parse)
  std::vector<std::string> unmapped;  // "HLSConfig.Model.BramFactor: why", one per key kml cannot map
};

// Read an hls4ml YAML file (hls4ml's command-line form, HLSConfig inside) or the JSON/YAML of the dict
// config_from_keras_model returns (Model / LayerType / LayerName at the top). Throws kml::Error naming the file.
Hls4mlImport import_hls4ml(const std::string& path);
// The same from text; `label` names it in messages and `json` picks the parser.
Hls4mlImport import_hls4ml_text(const std::string& text, const std::string& label, bool json);

}  // namespace kml
