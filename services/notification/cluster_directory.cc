#include "services/notification/cluster_directory.h"

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/status/grpc_status.h"

namespace jalin::notification {

RegistryClusterDirectory::RegistryClusterDirectory(
    registry::v1::RegistryService::StubInterface* stub,
    rpc::ServiceToken* token, const Clock* clock, DirectoryOptions options)
    : stub_(stub), token_(token), clock_(clock), options_(options) {}

int64_t RegistryClusterDirectory::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

absl::StatusOr<type::v1::Contact> RegistryClusterDirectory::Ask(
    const std::string& cluster) {
  absl::StatusOr<std::string> token = token_->Get();
  if (!token.ok()) return token.status();
  grpc::ClientContext ctx;
  rpc::PrepareContext(&ctx, options_.timeout, *token);
  registry::v1::GetClusterRequest request;
  request.set_name(cluster);
  registry::v1::Cluster response;
  grpc::Status status = stub_->GetCluster(&ctx, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response.leader();
}

absl::StatusOr<type::v1::Contact> RegistryClusterDirectory::Leader(
    const std::string& cluster) {
  const absl::Time now = clock_->Now();
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(cluster);
    if (it != cache_.end() &&
        (now < it->second.fresh_until || now < it->second.quiet_until)) {
      return it->second.answer;
    }
    ++calls_;
  }
  absl::StatusOr<type::v1::Contact> answer = Ask(cluster);
  const bool definite =
      answer.ok() || answer.status().code() == absl::StatusCode::kNotFound;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= options_.max_entries) cache_.clear();
  Entry& entry = cache_[cluster];
  if (definite) {
    entry.answer = answer;
    entry.fresh_until = now + options_.ttl;
    entry.quiet_until = absl::InfinitePast();
    return answer;
  }
  log::Warn("registry: cluster lookup failed",
            {{"cluster", cluster},
             {"error", std::string(answer.status().message())}});
  entry.quiet_until = now + options_.retry_after;
  // A stale answer beats none while the registry is away.
  if (entry.fresh_until != absl::Time()) return entry.answer;
  entry.answer = absl::UnavailableError(
      absl::StrCat("registry unavailable: ", answer.status().message()));
  return entry.answer;
}

}  // namespace jalin::notification
