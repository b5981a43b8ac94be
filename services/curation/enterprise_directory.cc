#include "services/curation/enterprise_directory.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"

namespace jalin::curation {

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
  // Lives until the call completes; freed in the callback.
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
        std::unique_ptr<Call> owned(call);
        if (s.ok()) {
          owned->done(std::move(owned->response));
          return;
        }
        const std::string what =
            absl::StrCat("registry GetEnterprise(", owned->request.name(),
                         "): ", s.error_message());
        switch (s.error_code()) {
          case grpc::StatusCode::NOT_FOUND:
            owned->done(absl::NotFoundError(absl::StrCat(
                owned->request.name(), " is not in the registry")));
            break;
          case grpc::StatusCode::UNAVAILABLE:
          case grpc::StatusCode::DEADLINE_EXCEEDED:
          case grpc::StatusCode::RESOURCE_EXHAUSTED:
          case grpc::StatusCode::ABORTED:
            owned->done(absl::UnavailableError(what));
            break;
          default:
            owned->done(absl::InternalError(what));
            break;
        }
      });
}

}  // namespace jalin::curation
