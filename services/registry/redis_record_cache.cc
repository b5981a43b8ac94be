#include "services/registry/redis_record_cache.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/log/log.h"

namespace jalin::registry {
namespace {

// KEYS[1] = key; ARGV = revision, bytes, ttl in ms. Stores the value unless
// the key holds a later revision, or this revision's value already.
constexpr char kFillScript[] = R"lua(
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, ':', 1, true)
  if sep then
    local rev = tonumber(string.sub(cur, 1, sep - 1))
    local new = tonumber(ARGV[1])
    if rev and (rev > new or
        (rev == new and string.sub(cur, sep + 1, sep + 1) == 'v')) then
      return 0
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':v' .. ARGV[2], 'PX', ARGV[3])
return 1
)lua";

// KEYS[1] = key; ARGV = revision, ttl in ms. Leaves a tombstone unless the
// key already holds a later revision.
constexpr char kInvalidateScript[] = R"lua(
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, ':', 1, true)
  if sep then
    local rev = tonumber(string.sub(cur, 1, sep - 1))
    if rev and rev > tonumber(ARGV[1]) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. ':t', 'PX', ARGV[2])
return 1
)lua";

}  // namespace

RedisRecordCache::RedisRecordCache(redis::Client* redis, const Clock* clock,
                                   RedisCacheOptions options)
    : redis_(redis),
      clock_(clock),
      options_(std::move(options)),
      ttl_ms_(absl::StrCat(absl::ToInt64Milliseconds(options_.ttl))) {}

std::optional<std::string> RedisRecordCache::Usable() {
  absl::MutexLock lock(&mu_);
  if (clock_->Now() < retry_at_) return std::nullopt;
  if (generation_known_ && !lost_invalidations_) return key_prefix_;
  const std::string counter = absl::StrCat(options_.prefix, ":generation");
  absl::StatusOr<redis::Reply> reply = lost_invalidations_
                                           ? redis_->Command({"INCR", counter})
                                           : redis_->Command({"GET", counter});
  if (!reply.ok()) {
    retry_at_ = clock_->Now() + options_.retry_after;
    return std::nullopt;
  }
  int64_t generation = 0;
  if (reply->type == redis::Reply::Type::kInteger) {
    generation = reply->integer;
  } else if (reply->type == redis::Reply::Type::kString) {
    absl::SimpleAtoi(reply->str, &generation);
  }
  if (lost_invalidations_) {
    log::Info(
        "record cache: moved to a new generation after lost "
        "invalidations",
        {{"generation", generation}});
  }
  lost_invalidations_ = false;
  generation_known_ = true;
  key_prefix_ = absl::StrCat(options_.prefix, ":", generation, ":");
  return key_prefix_;
}

void RedisRecordCache::Failed(bool lost_invalidation) {
  absl::MutexLock lock(&mu_);
  retry_at_ = clock_->Now() + options_.retry_after;
  if (lost_invalidation) lost_invalidations_ = true;
}

std::optional<std::string> RedisRecordCache::KeyOf(absl::string_view name) {
  std::optional<std::string> prefix = Usable();
  if (!prefix) return std::nullopt;
  return absl::StrCat(*prefix, name);
}

std::optional<std::string> RedisRecordCache::Get(absl::string_view name) {
  std::optional<std::string> prefix = Usable();
  if (!prefix) return std::nullopt;
  absl::StatusOr<redis::Reply> reply =
      redis_->Command({"GET", absl::StrCat(*prefix, name)});
  if (!reply.ok()) {
    Failed(false);
    return std::nullopt;
  }
  if (reply->type == redis::Reply::Type::kString) {
    const std::string& v = reply->str;
    const size_t sep = v.find(':');
    if (sep != std::string::npos && sep + 1 < v.size() && v[sep + 1] == 'v') {
      ++hits_;
      return v.substr(sep + 2);
    }
  }
  ++misses_;
  return std::nullopt;
}

void RedisRecordCache::Fill(absl::string_view name, int64_t revision,
                            absl::string_view bytes) {
  std::optional<std::string> prefix = Usable();
  if (!prefix) return;
  absl::StatusOr<redis::Reply> reply =
      redis_->Command({"EVAL", kFillScript, "1", absl::StrCat(*prefix, name),
                       absl::StrCat(revision), std::string(bytes), ttl_ms_});
  if (!reply.ok()) Failed(false);
}

void RedisRecordCache::Invalidate(absl::Span<const Change> changes) {
  if (changes.empty()) return;
  std::optional<std::string> prefix = Usable();
  if (!prefix) {
    // Redis is being bypassed, so the tombstones cannot be written: make
    // sure nothing cached before this change is served again.
    Failed(true);
    return;
  }
  std::vector<std::vector<std::string>> commands;
  commands.reserve(changes.size());
  for (const Change& c : changes) {
    commands.push_back({"EVAL", kInvalidateScript, "1",
                        absl::StrCat(*prefix, c.name), absl::StrCat(c.revision),
                        ttl_ms_});
  }
  absl::StatusOr<std::vector<redis::Reply>> replies =
      redis_->Pipeline(commands);
  bool ok = replies.ok();
  if (ok) {
    for (const redis::Reply& r : *replies) ok = ok && !r.is_error();
  }
  if (!ok) Failed(true);
}

}  // namespace jalin::registry
