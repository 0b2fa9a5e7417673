// A stand-in for a user's C++ program: parameters as --name=value arguments, one JSON report per
// step on standard output, and the same misbehaviours as toy_train.py (`--mode=`).
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  double lr = 0.1;
  std::string mode = "ok";
  int epochs = 4;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--lr=", 0) == 0) lr = std::strtod(arg.c_str() + 5, nullptr);
    if (arg.rfind("--mode=", 0) == 0) mode = arg.substr(7);
    if (arg.rfind("--epochs=", 0) == 0) epochs = std::atoi(arg.c_str() + 9);
  }
  const char* seed_text = std::getenv("HPSWEEP_SEED");
  const unsigned long long seed = seed_text != nullptr ? std::strtoull(seed_text, nullptr, 10) : 0;
  if (mode == "crash") {
    std::printf("{\"step\": 1, \"loss\": 0.5}\n");
    std::fflush(stdout);
    std::raise(SIGSEGV);
  }
  if (mode == "hang") std::this_thread::sleep_for(std::chrono::seconds(300));
  if (mode == "fail") {
    std::fprintf(stderr, "error: cannot converge\n");
    return 2;
  }
  for (int step = 1; step <= epochs; ++step) {
    double loss = lr * 10 / step + static_cast<double>(seed % 1000) / 1e6;
    if (mode == "nan" && step == 3) loss = 0.0 / 0.0;
    // %.17g reads back exactly; C's printf writes nan as "nan", which is not JSON: print NaN.
    if (loss != loss) {
      std::printf("{\"step\": %d, \"loss\": NaN}\n", step);
    } else {
      std::printf("{\"step\": %d, \"loss\": %.17g}\n", step, loss);
    }
    std::fflush(stdout);
  }
  return 0;
}
