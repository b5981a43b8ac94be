#include "tools/jalinctl/progress.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace jalin::ctl {
namespace {

constexpr int kBarWidth = 24;
constexpr absl::Duration kBarInterval = absl::Milliseconds(100);

}  // namespace

bool ParseProgressStyle(const std::string& text, bool terminal,
                        ProgressStyle* style) {
  if (text == "auto") {
    *style = terminal ? ProgressStyle::kBar : ProgressStyle::kPlain;
  } else if (text == "bar") {
    *style = ProgressStyle::kBar;
  } else if (text == "plain") {
    *style = ProgressStyle::kPlain;
  } else if (text == "none") {
    *style = ProgressStyle::kNone;
  } else {
    return false;
  }
  return true;
}

std::string WithThousands(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

std::string FormatEta(absl::Duration d) {
  int64_t s =
      std::max<int64_t>(0, absl::ToInt64Seconds(d + absl::Seconds(0.5)));
  const int64_t h = s / 3600;
  s %= 3600;
  if (h > 0) return absl::StrFormat("%d:%02d:%02d", h, s / 60, s % 60);
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

Progress::Progress(std::ostream* out, const Clock* clock, ProgressStyle style,
                   std::string label, int64_t total_bytes,
                   absl::Duration plain_interval)
    : out_(out),
      clock_(clock),
      style_(style),
      label_(std::move(label)),
      total_bytes_(total_bytes),
      plain_interval_(plain_interval),
      start_(clock->Now()) {}

std::string Progress::Line(int64_t bytes, int64_t rows, bool bar) const {
  const double seconds = absl::ToDoubleSeconds(clock_->Now() - start_);
  const double fraction =
      total_bytes_ > 0
          ? std::clamp(static_cast<double>(bytes) / total_bytes_, 0.0, 1.0)
          : 0.0;
  std::string line = label_;
  if (bar) {
    const int filled = static_cast<int>(fraction * kBarWidth);
    absl::StrAppend(&line, " [", std::string(filled, '#'),
                    std::string(kBarWidth - filled, '.'), "]");
  } else {
    absl::StrAppend(&line, ":");
  }
  if (total_bytes_ > 0) {
    absl::StrAppend(
        &line, absl::StrFormat(" %3d%%", static_cast<int>(fraction * 100)));
  }
  absl::StrAppend(&line, " ", WithThousands(rows), " rows");
  if (seconds >= 0.5) {
    absl::StrAppend(&line, ", ",
                    WithThousands(static_cast<int64_t>(rows / seconds)),
                    " rows/s");
    if (total_bytes_ > 0 && bytes > 0 && bytes < total_bytes_) {
      const double left = seconds * (total_bytes_ - bytes) / bytes;
      absl::StrAppend(&line, ", ETA ", FormatEta(absl::Seconds(left)));
    }
  }
  return line;
}

void Progress::Draw(int64_t bytes, int64_t rows) {
  if (style_ == ProgressStyle::kBar) {
    std::string line = Line(bytes, rows, /*bar=*/true);
    const size_t width = line.size();
    // Blank out what is left of a longer previous line.
    if (width < last_width_) line.append(last_width_ - width, ' ');
    last_width_ = width;
    *out_ << '\r' << line << std::flush;
  } else {
    *out_ << Line(bytes, rows, /*bar=*/false) << '\n' << std::flush;
  }
}

void Progress::Update(int64_t bytes, int64_t rows) {
  if (style_ == ProgressStyle::kNone) return;
  const absl::Time now = clock_->Now();
  const absl::Duration interval =
      style_ == ProgressStyle::kBar ? kBarInterval : plain_interval_;
  if (now - last_draw_ < interval) return;
  last_draw_ = now;
  Draw(bytes, rows);
}

void Progress::Finish(int64_t bytes, int64_t rows) {
  if (style_ == ProgressStyle::kNone) return;
  Draw(bytes, rows);
  if (style_ == ProgressStyle::kBar) *out_ << '\n' << std::flush;
}

}  // namespace jalin::ctl
