// A private directory for one test or benchmark, removed afterwards.

#ifndef COMMON_TESTING_TEMP_DIR_H_
#define COMMON_TESTING_TEMP_DIR_H_

#include <string>

namespace jalin::testing {

// Creates a fresh directory under $TMPDIR (or /tmp); removes it and all it
// holds on destruction unless JALIN_KEEP_TEST_DIRS is set. Not thread-safe.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(const std::string& name) const;

 private:
  std::string path_;
};

}  // namespace jalin::testing

#endif  // COMMON_TESTING_TEMP_DIR_H_
