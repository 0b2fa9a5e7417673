#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <ostream>

#include "hpsweep/cli/sweep_commands.hpp"
#include "hpsweep/search/command.hpp"
#include "hpsweep/cli/table.hpp"
#include "hpsweep/runtime/trial_runner.hpp"
#include "hpsweep/search/plan.hpp"
#include "hpsweep/search/termination.hpp"
#include "hpsweep/search/value.hpp"
#include "settings_json.hpp"

namespace hpsweep::cli {

void add_plan_options(CLI::App& cmd, PlanOptions& o) {
  cmd.add_option("sweep", o.sweep, "Sweep file (YAML)")->required()->check(CLI::ExistingFile);
  cmd.add_option("--format", o.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
}

int run_plan(const PlanOptions& o, std::ostream& out) {
  const runtime::PreparedSweep sweep = runtime::prepare_sweep(o.sweep);
  const Format format = parse_format(o.format);
  for (const std::string& note : sweep.spec.notes) std::cerr << note << "\n";
  const bool program = sweep.spec.runs_program();
  double sample_epochs = 0;
  for (const auto& trial : sweep.plan) {
    if (program) break;  // a program's work is its own
    sample_epochs += static_cast<double>(runtime::train_config(trial.settings, trial.seed).epochs) *
                     static_cast<double>(sweep.data_description.train_samples);
  }
  if (format == Format::kTable) {
    out << "sweep " << sweep.spec.name << ": " << search::method_name(sweep.spec.method) << ", "
        << search::num_configs(sweep.spec) << " configurations x " << sweep.spec.repeats << " repeats = "
        << search::num_trials(sweep.spec) << " trials\n";
    if (sweep.spec.method == search::Method::kBayes) {
      const search::BayesSpec& b = sweep.spec.bayes;
      const long long startup = std::min<long long>(b.startup_trials, search::num_configs(sweep.spec));
      const long long later = search::num_configs(sweep.spec) - startup;
      out << "bayes: " << startup << " startup configurations drawn as method random draws them (listed below), then "
          << later << " decided by TPE during the sweep in batches of " << b.batch_size
          << " (each from every trial settled before it; " << b.candidates << " candidates, gamma " << b.gamma
          << ", prior_weight " << b.prior_weight << "); run_cap " << search::num_configs(sweep.spec) << " is the budget\n";
    }
    if (program) {
      const std::vector<std::string> argv = search::expand_command(*sweep.spec.program, sweep.plan.empty() ? search::Assignment{} : sweep.plan.front().settings, "<trial dir>/params.json");
      out << "program: each trial runs";
      for (const std::string& word : argv) out << " " << word;
      out << (sweep.plan.empty() ? "" : " (trial 0)") << "\nmetric: " << sweep.spec.metric.name << " ("
          << search::goal_name(sweep.spec.metric.goal) << "), as the program reports it";
      if (sweep.spec.trial_timeout > 0) out << "; trial_timeout " << sweep.spec.trial_timeout << " s";
    } else {
      const store::DataDescription& data = sweep.data_description;
      out << "data: " << data.train_samples << " train, " << data.val_samples << " val, " << data.test_samples
          << " test samples, " << data.feature_names.size() << " features, " << data.task << "\n"
        << "work: " << static_cast<long long>(sample_epochs) << " sample-epochs of training (epochs x training samples)";
    }
    const search::EarlyTerminate& et = sweep.spec.early_terminate;
    if (et.enabled()) {
      int longest = program ? et.max_epochs : 0;
      for (const auto& t : sweep.plan) {
        if (!program) longest = std::max(longest, runtime::train_config(t.settings, t.seed).epochs);
      }
      const std::vector<int> rungs = search::rung_epochs(et, longest);
      out << (program ? "; early termination (" : " at most; early termination (") << search::termination_name(et.type)
          << ") judges trials at " << (program ? "report" : "epoch")
          << (rungs.size() > 1 ? "s " : " ");
      for (std::size_t i = 0; i < rungs.size() && i < 8; ++i) out << (i ? ", " : "") << rungs[i];
      if (rungs.size() > 8) out << ", ... " << rungs.back();
      out << " and stops the unpromising ones";
    }
    out << "\n\n";
  }
  std::vector<std::string> columns = {"trial", "config", "repeat", "seed"};
  if (!sweep.plan.empty()) {
    for (const auto& s : sweep.plan.front().settings) columns.push_back(s.name);
  }
  Table table(columns);
  for (const auto& trial : sweep.plan) {
    // The seed as text: JSON readers (JavaScript, jq) keep only 53 bits of a number.
    std::vector<nlohmann::ordered_json> row = {trial.index, trial.config, trial.repeat, std::to_string(trial.seed)};
    for (const auto& s : trial.settings) row.push_back(to_json(s.value));
    table.add(std::move(row));
  }
  table.print(out, format);
  return 0;
}

}  // namespace hpsweep::cli
