// Plausible Indonesian (mostly Javanese) names, places and contact details
// for synthetic records. Everything is made up from word lists: no real
// person, business or phone subscriber is meant.

#ifndef TOOLS_DATAGEN_PEOPLE_H_
#define TOOLS_DATAGEN_PEOPLE_H_

#include <string>

#include "tools/datagen/rng.h"

namespace jalin::datagen {

struct Person {
  std::string name;
  // "+62812..." (E.164).
  std::string phone;
  // Empty for people without one.
  std::string email;
};

// A person with a Javanese given name and family name, a mobile number
// with an Indonesian operator prefix, and (often) an e-mail address under
// the reserved example domain.
Person MakePerson(Rng& rng, bool with_email);

// A village name: "Sidorejo", "Karanganyar Lor", "Wonoasri".
std::string MakeVillage(Rng& rng);

// A business name for a maker of `product` (a short product word such as
// "Jamu" or "Mebel"): "Jamu Sekar Arum", "UD Sumber Rejeki", "Mebel Pak
// Slamet".
std::string MakeBusinessName(Rng& rng, const std::string& product,
                             const std::string& owner_first_name);

// A 13-digit NIB of the shape OSS issues (starting with 91 or 81).
std::string MakeNib(Rng& rng);

// A certificate number in the usual shape for its kind ("HALAL",
// "PIRT", "BPOM", ...); `region_code` is "33.13".
std::string MakeCertificateNumber(Rng& rng, const std::string& kind,
                                  const std::string& region_code);

// The first word of a person's name.
std::string FirstName(const std::string& name);

}  // namespace jalin::datagen

#endif  // TOOLS_DATAGEN_PEOPLE_H_
