// Region codes for tests that spread rows over a country: 38 provinces
// ("11", "13", ... "85") of 14 regencies each ("11.01" ... "85.14"), 532
// in all, "33.13" and "51.02" among them. Not the real list (data/ has
// that); the same shape, so that a region holds about 1/532 of the rows
// and a province about 1/38.

#ifndef COMMON_TESTING_SYNTHETIC_REGIONS_H_
#define COMMON_TESTING_SYNTHETIC_REGIONS_H_

#include <string>
#include <vector>

namespace jalin::testing {

std::vector<std::string> SyntheticRegencies();

}  // namespace jalin::testing

#endif  // COMMON_TESTING_SYNTHETIC_REGIONS_H_
