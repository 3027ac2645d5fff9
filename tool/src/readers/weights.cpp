#include "readers/weights.h"

#include <algorithm>
#include <cctype>

#include "util/error.h"

namespace kml::readers {
namespace {

ir::Tensor to_tensor(h5::Array a) {
  ir::Tensor t;
  t.shape = std::move(a.shape);
  t.data = std::move(a.data);
  return t;
}

class Keras2Store : public WeightStore {
 public:
  explicit Keras2Store(h5::File f) : file_(std::move(f)) {
    if (!file_.has_attr(root_, "layer_names") && file_.is_group("/model_weights")) root_ = "/model_weights";
    if (!file_.has_attr(root_, "layer_names"))
      throw file_error(file_.label(), "no Keras weights found (no 'layer_names' attribute at the root or in 'model_weights')");
  }
  const std::string& label() const override { return file_.label(); }

  std::vector<NamedTensor> layer(const std::string& name, const std::string&) override {
    std::vector<NamedTensor> out;
    std::string group = (root_ == "/" ? "/" : root_ + "/") + name;
    if (!file_.is_group(group)) return out;  // layers without weights have no group (or an empty one)
    std::vector<std::string> names;
    // Attributes over 64 KiB are split into weight_names0, weight_names1, ...
    if (file_.has_attr(group, "weight_names")) {
      names = file_.attr_strings(group, "weight_names");
    } else {
      for (int i = 0; file_.has_attr(group, "weight_names" + std::to_string(i)); ++i)
        for (auto& s : file_.attr_strings(group, "weight_names" + std::to_string(i))) names.push_back(s);
    }
    for (const auto& wn : names) {
      std::string path = group + "/" + wn;
      if (!file_.is_dataset(path))
        throw file_error(file_.label(), "layer '" + name + "': missing weights dataset '" + path + "'");
      std::string clean = wn;
      if (clean.size() > 2 && clean.compare(clean.size() - 2, 2, ":0") == 0) clean.resize(clean.size() - 2);
      out.push_back({clean, to_tensor(file_.read(path))});
    }
    return out;
  }

 private:
  h5::File file_;
  std::string root_ = "/";
};

std::string snake_case(const std::string& cls) {
  // Keras' naming: "BatchNormalization" -> "batch_normalization", "Conv2D" -> "conv2d", "PReLU" -> "p_re_lu".
  std::string out;
  for (std::size_t i = 0; i < cls.size(); ++i) {
    char c = cls[i];
    bool up = std::isupper(static_cast<unsigned char>(c));
    if (up && i > 0) {
      char prev = cls[i - 1];
      bool next_lower = i + 1 < cls.size() && std::islower(static_cast<unsigned char>(cls[i + 1]));
      if (std::islower(static_cast<unsigned char>(prev)) || std::isdigit(static_cast<unsigned char>(prev)) ||
          (std::isupper(static_cast<unsigned char>(prev)) && next_lower))
        out += '_';
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // Keras' regex leaves digits glued to the letters before them ("conv2d"), as above.
  return out;
}

class Keras3Store : public WeightStore {
 public:
  Keras3Store(h5::File f, const std::vector<std::pair<std::string, std::string>>& layers) : file_(std::move(f)) {
    // Since Keras 3.6 each layer's vars group carries the layer name; older files need the naming rule.
    for (const auto& child : file_.children("/layers")) {
      std::string g = "/layers/" + child;
      for (const std::string& where : {g + "/vars", g}) {
        if (auto n = file_.attr_string(where, "name")) {
          by_name_[*n] = g;
          break;
        }
      }
    }
    std::map<std::string, int> counts;
    for (const auto& [name, cls] : layers) {
      std::string base = snake_case(cls);
      int k = counts[base]++;
      std::string g = "/layers/" + (k == 0 ? base : base + "_" + std::to_string(k));
      if (!by_name_.count(name) && file_.is_group(g)) by_name_[name] = g;
    }
  }
  const std::string& label() const override { return file_.label(); }

  std::vector<NamedTensor> layer(const std::string& name, const std::string&) override {
    std::vector<NamedTensor> out;
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return out;
    collect(it->second, "", out);
    return out;
  }

 private:
  void collect(const std::string& group, const std::string& rel, std::vector<NamedTensor>& out) {
    std::string vars = group + "/vars";
    if (file_.is_group(vars)) {
      auto kids = file_.children(vars);
      std::vector<int> idx;
      for (auto& k : kids) {
        bool digits = !k.empty() && std::all_of(k.begin(), k.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if (!digits) continue;
        // Keras numbers a layer's variables 0, 1, 2, ...: an index beyond any real layer is a corrupt file.
        if (k.size() > 6)
          throw file_error(file_.label(), "group '" + vars + "' has a variable named '" + k.substr(0, 40) +
                                              "', not a variable index of a Keras layer");
        idx.push_back(std::stoi(k));
      }
      std::sort(idx.begin(), idx.end());
      for (int i : idx)
        out.push_back({rel + "vars/" + std::to_string(i), to_tensor(file_.read(vars + "/" + std::to_string(i)))});
    }
    for (const auto& k : file_.children(group)) {
      if (k == "vars") continue;
      if (file_.is_group(group + "/" + k)) collect(group + "/" + k, rel + k + "/", out);
    }
  }

  h5::File file_;
  std::map<std::string, std::string> by_name_;
};

}  // namespace

std::unique_ptr<WeightStore> keras2_weights(h5::File file) { return std::make_unique<Keras2Store>(std::move(file)); }

std::unique_ptr<WeightStore> keras3_weights(h5::File file,
                                            const std::vector<std::pair<std::string, std::string>>& layers) {
  return std::make_unique<Keras3Store>(std::move(file), layers);
}

}  // namespace kml::readers
