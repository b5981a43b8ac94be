// The dashboard's files: a directory served at "/", with content types by
// extension, "index.html" for a directory, and no way out of the directory
// (no "..", no symlink escape, no encoded tricks).
//
// Reads files on each request (the dashboard is small; the OS caches it).
// Thread-safe.

#ifndef SERVICES_GATEWAY_STATIC_FILES_H_
#define SERVICES_GATEWAY_STATIC_FILES_H_

#include <cstdint>
#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace jalin::gateway {

struct StaticFile {
  std::string content;
  std::string content_type;
  // The path below the root, for logs and cache rules ("index.html").
  std::string relative_path;
};

class StaticFiles {
 public:
  // `root` may be missing: then every lookup is NOT_FOUND.
  explicit StaticFiles(const std::string& root);

  bool available() const { return !root_.empty(); }
  const std::filesystem::path& root() const { return root_; }

  // The file for the URL path `url_path` (still percent-encoded, no query).
  // NOT_FOUND when missing or outside the root; INVALID_ARGUMENT for a path
  // that cannot be decoded.
  absl::StatusOr<StaticFile> Lookup(absl::string_view url_path) const;

 private:
  std::filesystem::path root_;
};

// "text/html; charset=utf-8" for ".html", ...; application/octet-stream
// when unknown.
std::string ContentTypeFor(const std::filesystem::path& path);

}  // namespace jalin::gateway

#endif  // SERVICES_GATEWAY_STATIC_FILES_H_
