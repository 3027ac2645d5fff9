// Errors the converter reports to the user: one line naming the file and the problem.
#pragma once
#include <stdexcept>
#include <string>

namespace kml {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

// "<file>: <what>" — the form every user-facing error takes.
inline Error file_error(const std::string& file, const std::string& what) {
  return Error(file + ": " + what);
}

}  // namespace kml
