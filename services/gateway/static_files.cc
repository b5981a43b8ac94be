#include "services/gateway/static_files.h"

#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/gateway/percent.h"

namespace jalin::gateway {
namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kMaxFileBytes = 64u << 20;

bool Within(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto q = p.begin();
  for (; r != root.end(); ++r, ++q) {
    if (q == p.end() || *r != *q) return false;
  }
  return true;
}

}  // namespace

std::string ContentTypeFor(const fs::path& path) {
  static const auto* kTypes = new std::map<std::string, std::string>{
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".xml", "application/xml"},
      {".pdf", "application/pdf"},
      {".wasm", "application/wasm"},
  };
  const std::string ext = absl::AsciiStrToLower(path.extension().string());
  auto it = kTypes->find(ext);
  return it == kTypes->end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (!ec && fs::is_directory(canonical, ec)) root_ = canonical;
}

absl::StatusOr<StaticFile> StaticFiles::Lookup(
    absl::string_view url_path) const {
  if (root_.empty()) return absl::NotFoundError("no web directory");
  absl::StatusOr<std::string> decoded =
      PercentDecode(url_path, /*plus_is_space=*/false);
  if (!decoded.ok()) return decoded.status();
  fs::path relative;
  for (absl::string_view part : absl::StrSplit(*decoded, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == ".." || absl::StrContains(part, '\\')) {
      return absl::NotFoundError("not found");
    }
    relative /= std::string(part);
  }
  std::error_code ec;
  fs::path candidate = root_ / relative;
  if (fs::is_directory(candidate, ec)) candidate /= "index.html";
  // Resolves symlinks: what is served must really lie under the root.
  fs::path real = fs::canonical(candidate, ec);
  if (ec || !Within(root_, real) || !fs::is_regular_file(real, ec)) {
    return absl::NotFoundError("not found");
  }
  const uintmax_t size = fs::file_size(real, ec);
  if (ec || size > kMaxFileBytes) return absl::NotFoundError("not found");
  std::ifstream in(real, std::ios::binary);
  if (!in) return absl::NotFoundError("not found");
  std::ostringstream content;
  content << in.rdbuf();
  StaticFile out;
  out.content = std::move(content).str();
  out.content_type = ContentTypeFor(real);
  out.relative_path = fs::relative(real, root_, ec).string();
  return out;
}

}  // namespace jalin::gateway
