// Where the tests find the programme's real data (shared/data beside the
// checkout) and this repository's own demo patients. Set by CMake.
#pragma once
#include <fstream>
#include <sstream>
#include <string>

inline std::string shared_data(const std::string& relative) { return std::string(ILINKS_SHARED_DATA) + "/" + relative; }
inline std::string demo_patient(const std::string& file) { return std::string(ILINKS_DEMO_PATIENTS) + "/" + file; }
inline std::string golden(const std::string& file) { return std::string(ILINKS_GOLDEN_DIR) + "/" + file; }

// A whole file as text (empty when it cannot be read).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
