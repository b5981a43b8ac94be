#include "services/curation/enterprise_directory.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"

namespace jalin::curation {

namespace {

// The enterprise, or the registry's answer in this service's terms.
absl::StatusOr<jalin::registry::v1::Enterprise> Outcome(
    const grpc::Status& s, const std::string& name,
    jalin::registry::v1::Enterprise response) {
  if (s.ok()) return response;
  const std::string what =
      absl::StrCat("registry GetEnterprise(", name, "): ", s.error_message());
  switch (s.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return absl::NotFoundError(absl::StrCat(name, " is not in the registry"));
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::ABORTED:
      return absl::UnavailableError(what);
    default:
      return absl::InternalError(what);
  }
}

}  // namespace

RegistryDirectory::RegistryDirectory(std::shared_ptr<grpc::Channel> channel,
                                     rpc::ServiceToken* token,
                                     absl::Duration timeout)
    : stub_(jalin::registry::v1::RegistryService::NewStub(std::move(channel))),
      token_(token),
      timeout_(timeout) {}

void RegistryDirectory::GetEnterprise(const std::string& name,
                                      EnterpriseCallback done) {
  absl::StatusOr<std::string> token = token_->Get();
  if (!token.ok()) {
    done(absl::InternalError(absl::StrCat("no service token for the registry: ",
                                          token.status().message())));
    return;
  }
  // Lives until the call completes; freed in the callback, before `done`.
  struct Call {
    grpc::ClientContext ctx;
    jalin::registry::v1::GetEnterpriseRequest request;
    jalin::registry::v1::Enterprise response;
    EnterpriseCallback done;
  };
  auto* call = new Call;
  call->request.set_name(name);
  call->done = std::move(done);
  rpc::PrepareContext(&call->ctx, timeout_, *token);
  stub_->async()->GetEnterprise(
      &call->ctx, &call->request, &call->response, [call](grpc::Status s) {
        EnterpriseCallback done = std::move(call->done);
        absl::StatusOr<jalin::registry::v1::Enterprise> result =
            Outcome(s, call->request.name(), std::move(call->response));
        // The call's context holds the channel: let go of it before the
        // caller hears back, or a caller that then closes the channel (a
        // process that exits) races this thread for it.
        delete call;
        done(std::move(result));
      });
}

}  // namespace jalin::curation
