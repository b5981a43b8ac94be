// Which roles may call each CurationService method (the first check of
// every handler). Scope within a role (regions, organisation, assignment)
// is checked by the managers.

#ifndef SERVICES_CURATION_CURATION_POLICY_H_
#define SERVICES_CURATION_CURATION_POLICY_H_

#include "common/auth/authenticator.h"
#include "common/auth/policy.h"

namespace jalin::curation {

// `authenticator` must outlive the policy.
auth::MethodPolicy MakeCurationPolicy(const auth::Authenticator* authenticator);

}  // namespace jalin::curation

#endif  // SERVICES_CURATION_CURATION_POLICY_H_
