// The C++ form of train.py: parameters arrive as --name=value arguments (and as JSON in
// HPSWEEP_PARAMS); each line printed as a JSON object is one report.
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  double lr = 0.01;
  int epochs = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--lr=", 0) == 0) lr = std::strtod(arg.c_str() + 5, nullptr);
    if (arg.rfind("--epochs=", 0) == 0) epochs = std::atoi(arg.c_str() + 9);
  }
  double w = -1.0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    w -= lr * 2 * (w - 0.5);  // your training step here
    const double train_loss = (w - 0.5) * (w - 0.5);
    std::printf("{\"epoch\": %d, \"train_loss\": %.17g, \"validation_loss\": %.17g}\n", epoch, train_loss,
                train_loss + lr * epoch / 100);
    std::fflush(stdout);  // a report reaches hpsweep when it is written, not when the buffer fills
  }
  return 0;
}
