#pragma once
/// Faults the shell tests inject into one trial of a real run, through the environment:
/// HPSWEEP_TEST_FAULT=nan:<trial>:<epoch> (the trial's loss turns NaN in that epoch: its finished
/// record is rewritten as the trainer reports a divergence, so it tests the runtime's handling,
/// not rung decisions) or bad_alloc:<trial> (the trial function throws std::bad_alloc, which the
/// worker must record as failed). It wraps the trial function the workers
/// call (runtime::TrialFunction), so nothing in the trainer, the runtime or their signatures
/// knows about it. Documented in tests/runtime/faults_test.sh.

#include "hpsweep/runtime/trial_runner.hpp"

namespace hpsweep::cli {

/// `train`, with the fault HPSWEEP_TEST_FAULT names wrapped around it; `train` itself when the
/// variable is unset.
[[nodiscard]] runtime::TrialFunction with_test_fault(runtime::TrialFunction train);

}  // namespace hpsweep::cli
