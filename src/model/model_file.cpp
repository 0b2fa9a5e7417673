#include "hpsweep/model/model_file.hpp"

#include <charconv>
#include <filesystem>

#include "../h5/h5.hpp"
#include "hpsweep/core/error.hpp"
#include "hpsweep/core/output_file.hpp"

namespace hpsweep::model {
namespace {

using h5::Handle;

/// Parameters of a Dense layer stack, as nn::Mlp lays them out.
long long parameter_count(const nn::Architecture& a) {
  long long count = 0;
  long long inputs = a.inputs;
  for (int layer = 0; layer <= a.depth; ++layer) {
    const long long outputs = layer < a.depth ? a.width : a.outputs;
    count += outputs * inputs + outputs;
    inputs = outputs;
  }
  return count;
}

/// The parameter vector's layer `layer` as a row-major (outputs x inputs) kernel and a bias.
struct LayerView {
  long long inputs, outputs, offset;
};

std::vector<LayerView> layer_views(const nn::Architecture& a) {
  std::vector<LayerView> views;
  long long inputs = a.inputs, offset = 0;
  for (int layer = 0; layer <= a.depth; ++layer) {
    const long long outputs = layer < a.depth ? a.width : a.outputs;
    views.push_back({inputs, outputs, offset});
    offset += outputs * inputs + outputs;
    inputs = outputs;
  }
  return views;
}

void write_provenance(hid_t file, const Provenance& p) {
  h5::write_attribute(file, "sweep", p.sweep);
  h5::write_attribute(file, "results_file", p.results_file);
  h5::write_attribute(file, "trial", static_cast<long long>(p.trial));
  h5::write_attribute(file, "seed", std::to_string(p.seed));  // decimal text: JSON and numpy keep all 64 bits
  h5::write_attribute(file, "settings", p.settings);
  h5::write_attribute(file, "data_fingerprint", p.data_fingerprint);
  h5::write_attribute(file, "weights_epoch", static_cast<long long>(p.weights_epoch));
  h5::write_attribute(file, "epochs_run", static_cast<long long>(p.epochs_run));
  h5::write_attribute(file, "val_loss", p.val_loss);
  h5::write_attribute(file, "val_metric", p.val_metric);
  h5::write_attribute(file, "hpsweep_version", p.hpsweep_version);
  h5::write_attribute(file, "created", p.created);
}

/// The file type of the weights: the precision they were trained in.
hid_t weight_file_type(nn::Precision precision) {
  switch (precision) {
    case nn::Precision::kFloat64: return h5::file_f64();
    case nn::Precision::kFloat32: return h5::file_f32();
  }
  throw core::Error("unknown precision " + std::to_string(static_cast<int>(precision)), core::ExitCode::kInternal);
}

void write_layers(hid_t file, const Model& m) {
  const Handle layers = h5::create_group(file, "layers");
  const hid_t weight_type = weight_file_type(m.precision);
  const auto views = layer_views(m.architecture);
  for (std::size_t i = 0; i < views.size(); ++i) {
    const LayerView& v = views[i];
    const Handle group = h5::create_group(layers.id(), std::to_string(i));
    // Mlp keeps kernels column-major (outputs x inputs); the file holds them row-major, so that
    // numpy's kernel @ x works as written.
    std::vector<double> kernel(static_cast<std::size_t>(v.outputs * v.inputs));
    for (long long o = 0; o < v.outputs; ++o) {
      for (long long in = 0; in < v.inputs; ++in) {
        kernel[static_cast<std::size_t>(o * v.inputs + in)] = m.parameters[static_cast<std::size_t>(v.offset + in * v.outputs + o)];
      }
    }
    const auto bias_begin = m.parameters.begin() + v.offset + v.outputs * v.inputs;
    const std::vector<double> bias(bias_begin, bias_begin + v.outputs);
    h5::write_array(group.id(), "kernel", kernel, {hsize_t(v.outputs), hsize_t(v.inputs)}, weight_type);
    h5::write_array(group.id(), "bias", bias, {hsize_t(v.outputs)}, weight_type);
  }
}

Model read_model_file(hid_t file, const std::string& path) {
  const std::string format = h5::read_string_attribute(file, "format").value_or("");
  if (format != kModelFormatName) {
    throw core::StoreError("'" + path + "' is not an hpsweep model file (no format = \"" + kModelFormatName +
                           "\"); `hpsweep train --save` writes them");
  }
  const long long version = h5::read_integer_attribute(file, "format_version").value_or(-1);
  if (version != kModelFormatVersion) {
    throw core::StoreError("'" + path + "' has model format_version " + std::to_string(version) + "; this hpsweep reads " +
                           std::to_string(kModelFormatVersion));
  }
  auto required_integer = [&](const char* name, long long low, long long high) {
    const auto value = h5::read_integer_attribute(file, name);
    if (!value || *value < low || *value > high) {
      throw core::StoreError("'" + path + "': attribute " + name + " must be an integer in [" + std::to_string(low) + ", " +
                             std::to_string(high) + "]" + (value ? ", got " + std::to_string(*value) : ", but it is missing"));
    }
    return static_cast<int>(*value);
  };
  auto required_text = [&](const char* name) {
    const auto value = h5::read_string_attribute(file, name);
    if (!value) throw core::StoreError("'" + path + "': attribute " + name + " is missing");
    return *value;
  };
  Model m;
  try {
    m.task = data::parse_task(required_text("task"));
    m.architecture.activation = nn::parse_activation(required_text("activation"));
    m.precision = nn::parse_precision(required_text("precision"));
  } catch (const core::ConfigError& e) {
    throw core::StoreError("'" + path + "': " + e.what());
  }
  m.architecture.inputs = required_integer("inputs", 1, kMaxModelInputs);
  m.architecture.width = required_integer("width", 1, kMaxModelWidth);
  m.architecture.depth = required_integer("depth", 0, kMaxModelDepth);
  m.architecture.outputs = required_integer("outputs", 1, kMaxModelClasses);
  if (parameter_count(m.architecture) > kMaxModelParameters) {
    throw core::StoreError("'" + path + "': the declared architecture has more than " + std::to_string(kMaxModelParameters) +
                           " parameters");
  }
  m.target_name = h5::read_string_attribute(file, "target").value_or("");
  const auto inputs = static_cast<hsize_t>(m.architecture.inputs);
  m.feature_names = h5::read_strings(file, "feature_names", inputs, 1024);
  const auto mean = h5::read_array(file, "standardize/mean", {inputs});
  const auto scale = h5::read_array(file, "standardize/scale", {inputs});
  m.standardizer.mean = Eigen::Map<const Eigen::VectorXd>(mean.data(), static_cast<Eigen::Index>(inputs));
  m.standardizer.scale = Eigen::Map<const Eigen::VectorXd>(scale.data(), static_cast<Eigen::Index>(inputs));
  if (m.task != data::Task::kRegression) {
    const hsize_t classes = m.task == data::Task::kBinary ? 2 : static_cast<hsize_t>(m.architecture.outputs);
    m.class_values = h5::read_array(file, "classes", {classes});
  }
  for (std::size_t i = 0; const LayerView& v : layer_views(m.architecture)) {
    const std::string group = "layers/" + std::to_string(i++);
    const auto kernel = h5::read_array(file, group + "/kernel", {hsize_t(v.outputs), hsize_t(v.inputs)});
    const auto bias = h5::read_array(file, group + "/bias", {hsize_t(v.outputs)});
    for (long long in = 0; in < v.inputs; ++in) {
      for (long long o = 0; o < v.outputs; ++o) m.parameters.push_back(kernel[static_cast<std::size_t>(o * v.inputs + in)]);
    }
    m.parameters.insert(m.parameters.end(), bias.begin(), bias.end());
  }
  Provenance& p = m.provenance;
  p.sweep = h5::read_string_attribute(file, "sweep").value_or("");
  p.results_file = h5::read_string_attribute(file, "results_file").value_or("");
  p.trial = static_cast<int>(std::clamp<long long>(h5::read_integer_attribute(file, "trial").value_or(-1), -1, 1LL << 30));
  const std::string seed = h5::read_string_attribute(file, "seed").value_or("0");
  const auto [end, error] = std::from_chars(seed.data(), seed.data() + seed.size(), p.seed);
  if (error != std::errc() || end != seed.data() + seed.size()) throw core::StoreError("'" + path + "': attribute seed is not a 64-bit integer: '" + seed + "'");
  p.settings = h5::read_string_attribute(file, "settings").value_or("");
  p.data_fingerprint = h5::read_string_attribute(file, "data_fingerprint").value_or("");
  p.weights_epoch = static_cast<int>(std::clamp<long long>(h5::read_integer_attribute(file, "weights_epoch").value_or(0), 0, 1LL << 30));
  p.epochs_run = static_cast<int>(std::clamp<long long>(h5::read_integer_attribute(file, "epochs_run").value_or(0), 0, 1LL << 30));
  p.val_loss = h5::read_double_attribute(file, "val_loss").value_or(std::nan(""));
  p.val_metric = h5::read_double_attribute(file, "val_metric").value_or(std::nan(""));
  p.hpsweep_version = h5::read_string_attribute(file, "hpsweep_version").value_or("");
  p.created = h5::read_string_attribute(file, "created").value_or("");
  m.check(path);
  return m;
}

}  // namespace

void Model::check(const std::string& origin) const {
  auto fail = [&](const std::string& what) { throw core::StoreError("'" + origin + "': inconsistent model: " + what); };
  const nn::Architecture& a = architecture;
  if (a.inputs < 1 || a.width < 1 || a.depth < 0 || a.outputs < 1) fail("an empty layer");
  if (static_cast<long long>(parameters.size()) != parameter_count(a)) fail("the parameters do not fit the architecture");
  if (standardizer.mean.size() != a.inputs || standardizer.scale.size() != a.inputs) fail("standardization of another width");
  if (static_cast<int>(feature_names.size()) != a.inputs) fail("feature names of another width");
  for (Eigen::Index f = 0; f < standardizer.scale.size(); ++f) {
    if (!std::isfinite(standardizer.mean(f)) || !(standardizer.scale(f) > 0.0) || !std::isfinite(standardizer.scale(f))) {
      fail("standardization of feature " + std::to_string(f) + " is not finite and positive");
    }
  }
  for (double w : parameters) {
    if (!std::isfinite(w)) fail("a weight is NaN or Inf");
  }
  for (std::size_t c = 0; c < class_values.size(); ++c) {
    if (!std::isfinite(class_values[c]) || (c > 0 && !(class_values[c - 1] < class_values[c]))) {
      fail("class labels must be finite and ascending");  // data::assign_targets orders them so
    }
  }
  switch (task) {
    case data::Task::kRegression:
      if (a.outputs != 1 || !class_values.empty()) fail("a regression model has one output and no classes");
      break;
    case data::Task::kBinary:
      if (a.outputs != 1 || class_values.size() != 2) fail("a binary model has one output and two classes");
      break;
    case data::Task::kMulticlass:
      if (a.outputs < 2 || class_values.size() != static_cast<std::size_t>(a.outputs)) fail("a multiclass model has one output per class");
      break;
  }
}

bool is_model_file(const std::string& path) { return h5::format_of(path) == kModelFormatName; }

void write_model(const std::string& path, const Model& model) {
  model.check(path);
  h5::silence_library_errors();
  core::PendingFile pending(path);
  try {
    {
      const Handle file = h5::create_file(pending.path());
      const hid_t f = file.id();
      const nn::Architecture& a = model.architecture;
      h5::write_attribute(f, "format", std::string(kModelFormatName));
      h5::write_attribute(f, "format_version", static_cast<long long>(kModelFormatVersion));
      h5::write_attribute(f, "task", std::string(data::task_name(model.task)));
      h5::write_attribute(f, "activation", std::string(nn::activation_name(a.activation)));
      h5::write_attribute(f, "precision", std::string(nn::precision_name(model.precision)));
      h5::write_attribute(f, "inputs", static_cast<long long>(a.inputs));
      h5::write_attribute(f, "width", static_cast<long long>(a.width));
      h5::write_attribute(f, "depth", static_cast<long long>(a.depth));
      h5::write_attribute(f, "outputs", static_cast<long long>(a.outputs));
      h5::write_attribute(f, "target", model.target_name);
      write_provenance(f, model.provenance);
      h5::write_strings(f, "feature_names", model.feature_names);
      h5::describe(f, "feature_names", "input columns, in the order of the first layer's kernel columns");
      const Handle standardize = h5::create_group(f, "standardize");
      const auto& s = model.standardizer;
      h5::write_array(standardize.id(), "mean", std::vector<double>(s.mean.data(), s.mean.data() + s.mean.size()),
                      {hsize_t(s.mean.size())}, h5::file_f64());
      h5::write_array(standardize.id(), "scale", std::vector<double>(s.scale.data(), s.scale.data() + s.scale.size()),
                      {hsize_t(s.scale.size())}, h5::file_f64());
      h5::describe(f, "standardize/mean", "per-feature mean of the training split: x_std = (x - mean) / scale");
      h5::describe(f, "standardize/scale", "per-feature standard deviation of the training split (1 for a constant feature)");
      if (!model.class_values.empty()) {
        h5::write_array(f, "classes", model.class_values, {hsize_t(model.class_values.size())}, h5::file_f64());
        h5::describe(f, "classes", "the label of each class index (binary: index 1 is the sigmoid's positive class)");
      }
      write_layers(f, model);
      h5::flush(f);
    }
    pending.publish();
  } catch (const h5::H5Failure& failure) {
    throw core::StoreError("cannot write model file '" + path + "' (" + failure.what() + ")");
  }
}

Model read_model(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw core::StoreError("no model file '" + path + "'");
  if (!h5::is_hdf5(path)) throw core::StoreError("'" + path + "' is not an HDF5 file (a model file is written by `hpsweep train --save`)");
  try {
    const Handle file = h5::open_file(path, H5F_ACC_RDONLY);
    return read_model_file(file.id(), path);
  } catch (const h5::H5Failure& failure) {
    throw core::StoreError("cannot read model file '" + path + "': " + failure.what());
  } catch (const std::bad_alloc&) {
    throw core::StoreError("cannot read model file '" + path + "': it declares more data than this machine's memory");
  }
}

}  // namespace hpsweep::model
