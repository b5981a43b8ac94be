// Which roles may call which RegistryService method. Scope within a role
// (regions, a member's own organisation) is checked by access.h.

#ifndef SERVICES_REGISTRY_POLICY_H_
#define SERVICES_REGISTRY_POLICY_H_

#include "common/auth/authenticator.h"
#include "common/auth/policy.h"

namespace jalin::registry {

// Reads: any authenticated caller (contacts are redacted per caller).
// Taxonomy changes: admins. Clusters, enterprises, partners: created by
// admins, facilitators and integrators; members may update their own.
// Listings: also members (their own). Agreements: admins and
// facilitators. Import: integrators and admins (with a source system).
// Snapshot: services and admins.
auth::MethodPolicy RegistryPolicy(const auth::Authenticator* authenticator);

}  // namespace jalin::registry

#endif  // SERVICES_REGISTRY_POLICY_H_
