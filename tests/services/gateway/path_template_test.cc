// Path templates of google.api.http: parsing, matching, variable values,
// custom verbs, and the route table's choice between templates.

#include "services/gateway/path_template.h"

#include "gtest/gtest.h"
#include "services/gateway/openapi.h"
#include "services/gateway/percent.h"
#include "services/gateway/route_table.h"

namespace jalin::gateway {
namespace {

std::optional<std::vector<PathTemplate::Binding>> MatchPath(
    const std::string& pattern, const std::string& path) {
  auto t = PathTemplate::Parse(pattern);
  EXPECT_TRUE(t.ok()) << t.status();
  auto split = SplitRequestPath(path);
  EXPECT_TRUE(split.ok());
  return t->Match(*split);
}

TEST(PathTemplateTest, VariablesWithSubTemplates) {
  auto b = MatchPath("/v1/{name=campaigns/*/submissions/*}",
                     "/v1/campaigns/c1/submissions/s2");
  ASSERT_TRUE(b.has_value());
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].field_path, "name");
  EXPECT_EQ((*b)[0].raw_value, "campaigns/c1/submissions/s2");
  EXPECT_FALSE((*b)[0].single_segment);
  EXPECT_FALSE(MatchPath("/v1/{name=campaigns/*/submissions/*}",
                         "/v1/campaigns/c1/reviewers/s2")
                   .has_value());
  EXPECT_FALSE(MatchPath("/v1/{name=campaigns/*/submissions/*}",
                         "/v1/campaigns/c1/submissions")
                   .has_value());
  EXPECT_FALSE(MatchPath("/v1/{name=campaigns/*/submissions/*}",
                         "/v1/campaigns//submissions/s2")
                   .has_value());
}

TEST(PathTemplateTest, NestedFieldsAndSimpleVariables) {
  auto b = MatchPath("/v1/{cluster.name=clusters/*}", "/v1/clusters/batik");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)[0].field_path, "cluster.name");
  EXPECT_EQ((*b)[0].raw_value, "clusters/batik");
  b = MatchPath("/v1/things/{id}/parts/{part}", "/v1/things/7/parts/x%20y");
  ASSERT_TRUE(b.has_value());
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].raw_value, "7");
  EXPECT_TRUE((*b)[0].single_segment);
  EXPECT_EQ((*b)[1].raw_value, "x%20y");
}

TEST(PathTemplateTest, CustomVerbs) {
  const std::string accept = "/v1/{name=proposals/*}:accept";
  auto b = MatchPath(accept, "/v1/proposals/p1:accept");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)[0].raw_value, "proposals/p1");
  EXPECT_FALSE(MatchPath(accept, "/v1/proposals/p1:decline").has_value());
  EXPECT_FALSE(MatchPath(accept, "/v1/proposals/p1").has_value());
  EXPECT_TRUE(
      MatchPath("/v1/categories:search", "/v1/categories:search").has_value());
  EXPECT_FALSE(
      MatchPath("/v1/categories:search", "/v1/categories").has_value());
  auto t = PathTemplate::Parse(accept);
  EXPECT_EQ(t->verb(), "accept");
  EXPECT_GT(t->Specificity(),
            PathTemplate::Parse("/v1/{name=proposals/*}")->Specificity());
}

TEST(PathTemplateTest, DoubleWildcardTakesTheRest) {
  auto b = MatchPath("/v1/{path=files/**}", "/v1/files/a/b/c");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ((*b)[0].raw_value, "files/a/b/c");
}

TEST(PathTemplateTest, RejectsMalformedTemplates) {
  for (const char* bad :
       {"v1/regions", "/v1/{name=regions/*", "/v1/{}", "/v1/{a.}", "/v1/**/x",
        "/v1/{a={b}}", "/v1/x:", "/v1//x"}) {
    EXPECT_FALSE(PathTemplate::Parse(bad).ok()) << bad;
  }
}

TEST(PathTemplateTest, PercentDecoding) {
  EXPECT_EQ(*PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(*PercentDecode("a+b", true), "a b");
  EXPECT_EQ(*PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(*PercentDecode("Rp%C2%A0500", false),
            "Rp\xC2\xA0"
            "500");
  EXPECT_FALSE(PercentDecode("%2", false).ok());
  EXPECT_FALSE(PercentDecode("%G0", false).ok());
  EXPECT_FALSE(PercentDecode("%C3%28", false).ok());
  EXPECT_FALSE(PercentDecode("%ED%A0%80", false).ok());
  EXPECT_FALSE(PercentDecode("a%0Ab", false).ok());
}

TEST(PathTemplateTest, MultiSegmentVariablesKeepEncodedSlashes) {
  // google.api.http: "%2F" and "%2f" stay encoded in a variable of several
  // segments; every other escape is decoded.
  EXPECT_EQ(*PercentDecode("regions/33%2F13", false, true), "regions/33%2F13");
  EXPECT_EQ(*PercentDecode("a%2fb%20c", false, true), "a%2fb c");
  EXPECT_EQ(*PercentDecode("a%2fb", false, false), "a/b");
  EXPECT_FALSE(PercentDecode("a%2F%ZZ", false, true).ok());
}

TEST(RouteTableTest, EveryServiceBuildsAndTheMostSpecificRouteWins) {
  auto table = RouteTable::Build(JalinServices());
  ASSERT_TRUE(table.ok()) << table.status();
  auto lookup = [&](const std::string& method, const std::string& path) {
    return table->Match(method, *SplitRequestPath(path));
  };
  auto funnel = lookup("GET", "/v1/proposals:funnel");
  ASSERT_NE(funnel.route, nullptr);
  EXPECT_EQ(funnel.route->method->name(), "GetProposalFunnel");
  auto get = lookup("GET", "/v1/proposals/p1");
  ASSERT_NE(get.route, nullptr);
  EXPECT_EQ(get.route->method->name(), "GetProposal");
  auto accept = lookup("POST", "/v1/proposals/p1:accept");
  ASSERT_NE(accept.route, nullptr);
  EXPECT_EQ(accept.route->method->name(), "AcceptProposal");
  auto progress = lookup("GET", "/v1/campaigns/c1/progress");
  ASSERT_NE(progress.route, nullptr);
  EXPECT_EQ(progress.route->method->name(), "GetCampaignProgress");
  EXPECT_EQ(progress.route->backend, "curation");
  // HEAD takes the GET of a path, and is allowed where that GET is.
  auto head = lookup("HEAD", "/v1/clusters/c1");
  ASSERT_NE(head.route, nullptr);
  EXPECT_EQ(head.route->method->name(), "GetCluster");
  auto wrong = lookup("PUT", "/v1/clusters/c1");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allowed_methods,
            (std::vector<std::string>{"GET", "HEAD", "PATCH", "DELETE"}));
  EXPECT_EQ(lookup("GET", "/v1/nothing/here").route, nullptr);
}

TEST(OpenApiPathTest, WildcardsBecomeNamedParameters) {
  auto p = ToOpenApiPath(
      *PathTemplate::Parse("/v1/{name=recipients/*/notifications/*}:markRead"));
  EXPECT_EQ(p.path,
            "/v1/recipients/{recipient}/notifications/{notification}:markRead");
  ASSERT_EQ(p.parameters.size(), 2u);
  EXPECT_EQ(p.parameters[0].field, "name");
  EXPECT_EQ(p.parameters[0].pattern,
            "recipients/{recipient}/notifications/{notification}");
  p = ToOpenApiPath(*PathTemplate::Parse("/v1/{name=categories/*}"));
  EXPECT_EQ(p.path, "/v1/categories/{category}");
  p = ToOpenApiPath(*PathTemplate::Parse("/v1/things/{id}"));
  EXPECT_EQ(p.path, "/v1/things/{id}");
}

}  // namespace
}  // namespace jalin::gateway
