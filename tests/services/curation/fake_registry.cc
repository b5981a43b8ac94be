#include "tests/services/curation/fake_registry.h"

#include "absl/strings/str_cat.h"
#include "common/auth/policy.h"
#include "common/rpc/unary.h"
#include "common/status/status_macros.h"

namespace jalin::curation::testing {

void FakeRegistry::Put(const jalin::registry::v1::Enterprise& e) {
  absl::MutexLock lock(&mu_);
  enterprises_[e.name()] = e;
}

void FakeRegistry::SetDown(bool down) {
  absl::MutexLock lock(&mu_);
  down_ = down;
}

int FakeRegistry::calls() const {
  absl::MutexLock lock(&mu_);
  return calls_;
}

grpc::ServerUnaryReactor* FakeRegistry::GetEnterprise(
    grpc::CallbackServerContext* ctx,
    const jalin::registry::v1::GetEnterpriseRequest* req,
    jalin::registry::v1::Enterprise* resp) {
  return rpc::Unary(ctx, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auth::Principal p, authn_->Authenticate(*ctx));
    if (p.role != auth::Role::kService) {
      return auth::PermissionDenied("the fake registry serves services only");
    }
    absl::MutexLock lock(&mu_);
    ++calls_;
    if (down_) return absl::UnavailableError("registry is down");
    auto it = enterprises_.find(req->name());
    if (it == enterprises_.end()) {
      return absl::NotFoundError(absl::StrCat(req->name(), " not found"));
    }
    *resp = it->second;
    return absl::OkStatus();
  });
}

jalin::registry::v1::Enterprise MakeEnterprise(
    const std::string& id, const std::string& region,
    const std::vector<std::string>& clusters, const std::string& display_name) {
  jalin::registry::v1::Enterprise e;
  e.set_name(absl::StrCat("enterprises/", id));
  e.set_display_name(display_name.empty() ? absl::StrCat("UMKM ", id)
                                          : display_name);
  e.set_scale(jalin::registry::v1::MIKRO);
  e.mutable_location()->set_region(region);
  e.mutable_location()->set_district_code(
      absl::StrCat(region.substr(region.find('/') + 1), ".01"));
  for (const auto& c : clusters) e.add_clusters(c);
  e.add_categories("categories/olahan-pangan");
  e.set_verification_state(jalin::registry::v1::UNVERIFIED);
  return e;
}

}  // namespace jalin::curation::testing
