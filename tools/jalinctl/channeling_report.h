// The channeling report between two regions as people read it: a table with
// each cluster pair and its opportunities on a terminal, or the Markdown
// minutes of the meeting between the two kabupaten.

#ifndef TOOLS_JALINCTL_CHANNELING_REPORT_H_
#define TOOLS_JALINCTL_CHANNELING_REPORT_H_

#include <ostream>
#include <string>

#include "jalin/matching/v1/channeling.pb.h"

namespace jalin::ctl {

enum class Language { kIndonesian, kEnglish };

// "id" or "en".
bool ParseLanguage(const std::string& text, Language* language);

// Display names of the report's two regions ("Kabupaten Sukoharjo"); the
// codes stand in when empty.
struct RegionNames {
  std::string a;
  std::string b;
};

void PrintReportTable(std::ostream& out,
                      const matching::v1::ChannelingReport& report,
                      const RegionNames& names, Language language);

void PrintReportMarkdown(std::ostream& out,
                         const matching::v1::ChannelingReport& report,
                         const RegionNames& names, Language language);

}  // namespace jalin::ctl

#endif  // TOOLS_JALINCTL_CHANNELING_REPORT_H_
