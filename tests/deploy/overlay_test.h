// Base of the tests that run once per overlay (the parameter is its name):
// the rendered objects and the services' settings at hand, and a way to
// report every problem at once.

#ifndef TESTS_DEPLOY_OVERLAY_TEST_H_
#define TESTS_DEPLOY_OVERLAY_TEST_H_

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "tests/deploy/manifests.h"
#include "tests/deploy/overlays.h"
#include "tests/deploy/service_settings.h"

namespace jalin::deploy {

class OverlayTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    absl::StatusOr<const Manifests*> m = RenderedOverlay(GetParam());
    ASSERT_TRUE(m.ok()) << m.status();
    manifests_ = *m;
    absl::StatusOr<const std::vector<ServiceInfo>*> s = Services();
    ASSERT_TRUE(s.ok()) << s.status();
    services_ = *s;
  }

  // Fails with every problem, each naming the object at fault.
  void Check(const std::vector<std::string>& problems) {
    EXPECT_TRUE(problems.empty()) << "k8s/overlays/" << GetParam() << ":\n  "
                                  << absl::StrJoin(problems, "\n  ");
  }

  // Owned by RenderedOverlay() and Services(); live until exit.
  const Manifests* manifests_ = nullptr;
  const std::vector<ServiceInfo>* services_ = nullptr;
};

}  // namespace jalin::deploy

#endif  // TESTS_DEPLOY_OVERLAY_TEST_H_
