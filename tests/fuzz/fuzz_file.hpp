#pragma once
// The HDF5 readers take a path: the fuzz input goes to a file of this process's own first.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

inline const std::string& fuzz_file(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/hpsweep_fuzz_" + std::to_string(::getpid()) + ".h5";
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                static_cast<std::streamsize>(size));
  return path;
}
