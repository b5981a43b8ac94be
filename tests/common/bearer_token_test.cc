// The syntax of bearer tokens (RFC 6750) and of the Authorization header.

#include "common/auth/bearer_token.h"

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace jalin::auth {
namespace {

TEST(BearerTokenTest, AcceptsB64Tokens) {
  for (const char* token : {"abc", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.sig-_",
                            "a~b+c/d", "0", "abc=", "abc==", "A.B_C-D"}) {
    EXPECT_TRUE(IsBearerTokenSyntax(token)) << token;
  }
}

TEST(BearerTokenTest, RefusesEverythingElse) {
  for (const std::string token :
       {"", "=", "==abc", "abc=def", "ab cd", "ab\tcd", "t\xc3\xb6k", "\xff",
        "ab\x7f", "ab\ncd", "ab\r", "a,b", "a;b", "a\"b", "a:b", "a@b"}) {
    EXPECT_FALSE(IsBearerTokenSyntax(token)) << token;
  }
  EXPECT_FALSE(IsBearerTokenSyntax(std::string("ab\0cd", 5)));
}

TEST(BearerTokenTest, ParsesTheAuthorizationHeader) {
  for (const char* header :
       {"Bearer abc.def", "bearer abc.def", "BEARER abc.def",
        "bEaReR   abc.def", " Bearer abc.def  "}) {
    auto token = ParseBearerAuthorization(header);
    ASSERT_TRUE(token.ok()) << header << ": " << token.status();
    EXPECT_EQ(*token, "abc.def") << header;
  }
}

TEST(BearerTokenTest, RefusesOtherSchemesAndMalformedTokens) {
  for (const char* header : {"Basic dXNlcjpwdw==", "Bearer", "Bearer   ",
                             "Bearerabc", "Bear abc", "Bearer\tabc"}) {
    auto token = ParseBearerAuthorization(header);
    ASSERT_FALSE(token.ok()) << header;
    EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_NE(token.status().message().find("Bearer <token>"),
              absl::string_view::npos)
        << token.status();
  }
  for (const char* header :
       {"Bearer t\xc3\xb6k", "Bearer ab\tcd", "Bearer ab cd", "Bearer abc=d"}) {
    auto token = ParseBearerAuthorization(header);
    ASSERT_FALSE(token.ok()) << header;
    EXPECT_EQ(token.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_NE(token.status().message().find("malformed bearer token"),
              absl::string_view::npos)
        << token.status();
  }
}

}  // namespace
}  // namespace jalin::auth
