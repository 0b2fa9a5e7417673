#pragma once
/// A test hook for the crash-safety tests: with HPSWEEP_TEST_CRASH=<name>:<n> in the environment,
/// the n-th call of crash_point("<name>") kills the process with SIGKILL, at exactly the
/// dangerous moment (mid-append to the journal, between the journal and the results rewrite,
/// between writing the temporary file and renaming it). Without the variable it does nothing.

namespace hpsweep::core {

void crash_point(const char* name) noexcept;

}  // namespace hpsweep::core
