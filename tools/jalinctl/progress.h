// Progress of a long operation (an import): on a terminal, a bar redrawn in
// place with the rate and the time left; elsewhere (a log, a CI job) a
// plain line now and then.

#ifndef TOOLS_JALINCTL_PROGRESS_H_
#define TOOLS_JALINCTL_PROGRESS_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "common/clock.h"

namespace jalin::ctl {

enum class ProgressStyle { kNone, kBar, kPlain };

// "auto" (a bar when `terminal`, plain lines otherwise), "bar", "plain" or
// "none".
bool ParseProgressStyle(const std::string& text, bool terminal,
                        ProgressStyle* style);

// Not thread-safe. `out` and `clock` are not owned and must outlive it.
class Progress {
 public:
  // `total_bytes`: the size of the input, for the percentage and the time
  // left (0 when unknown). Plain lines come every `plain_interval`.
  Progress(std::ostream* out, const Clock* clock, ProgressStyle style,
           std::string label, int64_t total_bytes,
           absl::Duration plain_interval = absl::Seconds(5));

  // `bytes` of the input and `rows` rows are done. Draws when due.
  void Update(int64_t bytes, int64_t rows);
  // Draws the final state (and ends the bar's line).
  void Finish(int64_t bytes, int64_t rows);

  // The text of one report (without '\r' or '\n'); public for tests.
  std::string Line(int64_t bytes, int64_t rows, bool bar) const;

 private:
  void Draw(int64_t bytes, int64_t rows);

  std::ostream* const out_;
  const Clock* const clock_;
  const ProgressStyle style_;
  const std::string label_;
  const int64_t total_bytes_;
  const absl::Duration plain_interval_;
  const absl::Time start_;
  absl::Time last_draw_ = absl::InfinitePast();
  size_t last_width_ = 0;
};

// 1234567 -> "1,234,567".
std::string WithThousands(int64_t n);
// "0:42", "12:05", "1:02:03".
std::string FormatEta(absl::Duration d);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_PROGRESS_H_
