// jalinctl token: mint a development token.

#include <iostream>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "common/auth/jwt.h"
#include "tools/jalinctl/command.h"

namespace jalin::ctl {

int TokenCommand(const std::vector<std::string>& args, Io& io) {
  std::string role = "admin";
  std::string regions;
  std::string subject;
  std::string organization;
  std::string source_system;
  std::string secret_file;
  std::string private_key_file;
  absl::Duration ttl = absl::Hours(24);
  Config config("jalinctl token",
                "prints a signed token for a role and region scope; use it as "
                "'authorization: Bearer <token>'");
  config.AddString("role", &role,
                   "admin, facilitator, integrator, member, curator, viewer "
                   "or service");
  config.AddString("regions", &regions,
                   "comma-separated region codes in scope: 33 (a province), "
                   "33.13 (a kabupaten)");
  config.AddString("subject", &subject, "token subject; default users/<role>");
  config.AddString("organization", &organization,
                   "for members: enterprises/{id}, clusters/{id} or "
                   "partners/{id}");
  config.AddString("source_system", &source_system,
                   "for integrators: the pushing system's id");
  config.AddString("jwt_hs256_secret_file", &secret_file,
                   "HS256 secret file (deploy/dev.sh writes var/jwt-secret)");
  config.AddString("jwt_rs256_private_key_file", &private_key_file,
                   "RS256 private key (PEM) instead of the HS256 secret");
  config.AddDuration("ttl", &ttl, "how long the token is valid");
  if (auto code = ParseFlags(config, args, io)) return *code;

  auth::Principal p;
  std::optional<auth::Role> parsed = auth::ParseRole(role);
  if (!parsed) {
    io.err << "jalinctl token: unknown role '" << role << "'\n";
    return kUsage;
  }
  p.role = *parsed;
  p.subject = subject.empty() ? "users/" + role : subject;
  for (absl::string_view r : absl::StrSplit(regions, ',', absl::SkipEmpty())) {
    p.regions.emplace_back(r);
  }
  p.organization = organization;
  p.source_system = source_system;
  absl::StatusOr<auth::JwtKeys> keys =
      auth::LoadJwtKeys(secret_file, "", private_key_file);
  if (!keys.ok()) return ReportError(io, keys.status());
  absl::StatusOr<std::string> token =
      auth::MintToken(p, *keys, absl::Now(), ttl);
  if (!token.ok()) return UsageError(io, token.status());
  io.out << *token << "\n";
  return kOk;
}

}  // namespace jalin::ctl
