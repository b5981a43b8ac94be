// Client side of the gRPC health protocol: used by jalinctl, deploy/dev.sh
// (through jalinctl) and the tests to wait for services.

#ifndef COMMON_RPC_HEALTH_H_
#define COMMON_RPC_HEALTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace jalin::rpc {

// "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN" or "UNKNOWN"; an error when
// the server cannot be reached within `timeout`.
absl::StatusOr<std::string> CheckHealth(const std::string& address,
                                        const std::string& service,
                                        absl::Duration timeout);

// Polls until `service` on `address` reports SERVING; DEADLINE_EXCEEDED with
// the last answer otherwise.
absl::Status WaitForServing(const std::string& address,
                            const std::string& service, absl::Duration timeout);

}  // namespace jalin::rpc

#endif  // COMMON_RPC_HEALTH_H_
