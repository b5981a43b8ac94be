#include "tools/jalinctl/channeling_report.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "tools/jalinctl/proto_text.h"
#include "tools/jalinctl/table.h"

namespace jalin::ctl {
namespace {

using matching::v1::ChannelingReport;
using matching::v1::ClusterPair;
using matching::v1::Opportunity;

struct Words {
  const char* report;
  const char* minutes;
  const char* generated;
  const char* opportunities;
  const char* from;
  const char* to;
  const char* supplier;
  const char* buyer;
  const char* strength;
  const char* direction;
  const char* count;
  const char* listing_match;
  const char* complementarity;
  const char* offer;
  const char* need;
  const char* supply_link;
  const char* score;
  const char* follow_up;
  const char* person;
  const char* due;
  const char* none;
};

const Words& WordsFor(Language language) {
  static const Words id = {
      "Laporan temu bisnis",
      "Notulen temu bisnis",
      "Dibuat",
      "peluang",
      "dari",
      "ke",
      "Pemasok",
      "Pembeli",
      "Kekuatan",
      "Arah",
      "Peluang",
      "Penawaran dan kebutuhan cocok",
      "Klaster saling melengkapi",
      "penawaran",
      "kebutuhan",
      "mata rantai",
      "skor",
      "Tindak lanjut",
      "Penanggung jawab",
      "Tenggat",
      "Belum ada peluang antara kedua wilayah.",
  };
  static const Words en = {
      "Channeling report",
      "Minutes of the business meeting",
      "Generated",
      "opportunities",
      "from",
      "to",
      "Supplier",
      "Buyer",
      "Strength",
      "Direction",
      "Opportunities",
      "Offer and need match",
      "Complementary clusters",
      "offer",
      "need",
      "supply link",
      "score",
      "Follow-up",
      "Person in charge",
      "Due",
      "No opportunities between the two regions yet.",
  };
  return language == Language::kIndonesian ? id : en;
}

std::string Number(double v, Language language) {
  std::string s = absl::StrFormat("%.2f", v);
  if (language == Language::kIndonesian) {
    s = absl::StrReplaceAll(s, {{".", ","}});
  }
  return s;
}

std::string Text(const matching::v1::LocalizedText& t, Language language) {
  const std::string& first =
      language == Language::kIndonesian ? t.id() : t.en();
  return first.empty() ? (language == Language::kIndonesian ? t.en() : t.id())
                       : first;
}

std::string NameOr(const std::string& display, const std::string& name) {
  return display.empty() ? name : display;
}

bool IsAToB(const ChannelingReport& report, const ClusterPair& pair) {
  if (pair.opportunities_size() > 0 &&
      pair.opportunities(0).direction() != Opportunity::DIRECTION_UNSPECIFIED) {
    return pair.opportunities(0).direction() == Opportunity::A_TO_B;
  }
  return pair.supplier_region() == report.region_a();
}

std::string Party(const std::string& display, const std::string& name,
                  const std::string& region) {
  std::string out = NameOr(display, name);
  if (!region.empty()) absl::StrAppend(&out, " (", ShortRegion(region), ")");
  return out;
}

std::string KindText(const Opportunity& o, const Words& w) {
  return o.kind() == Opportunity::COMPLEMENTARITY ? w.complementarity
                                                  : w.listing_match;
}

std::string Refs(const Opportunity& o, const Words& w) {
  if (o.kind() == Opportunity::COMPLEMENTARITY) {
    return o.supply_link().empty()
               ? ""
               : absl::StrCat(w.supply_link, " ", o.supply_link());
  }
  return absl::StrCat(w.offer, " ", o.offer_listing(), ", ", w.need, " ",
                      o.need_listing());
}

}  // namespace

bool ParseLanguage(const std::string& text, Language* language) {
  if (text == "id") {
    *language = Language::kIndonesian;
  } else if (text == "en") {
    *language = Language::kEnglish;
  } else {
    return false;
  }
  return true;
}

void PrintReportTable(std::ostream& out, const ChannelingReport& report,
                      const RegionNames& names, Language language) {
  const Words& w = WordsFor(language);
  const std::string a = NameOr(names.a, report.region_a());
  const std::string b = NameOr(names.b, report.region_b());
  out << w.report << ": " << a << " (" << ShortRegion(report.region_a())
      << ") <-> " << b << " (" << ShortRegion(report.region_b()) << ")\n";
  out << report.opportunity_count() << " " << w.opportunities << ": "
      << report.a_to_b_count() << " " << w.from << " " << a << " " << w.to
      << " " << b << ", " << report.b_to_a_count() << " " << w.from << " " << b
      << " " << w.to << " " << a;
  if (report.has_generate_time()) {
    out << " (" << w.generated << " " << FormatTimestamp(report.generate_time())
        << ")";
  }
  out << "\n\n";
  if (report.pairs_size() == 0) {
    out << w.none << "\n";
    return;
  }
  Table table({"#", w.direction, w.supplier, w.buyer, w.strength, w.count});
  for (int i = 0; i < report.pairs_size(); ++i) {
    const ClusterPair& p = report.pairs(i);
    table.AddRow(
        {absl::StrCat(i + 1), IsAToB(report, p) ? "A -> B" : "B -> A",
         Party(p.supplier_display_name(), p.supplier(), p.supplier_region()),
         Party(p.buyer_display_name(), p.buyer(), p.buyer_region()),
         Number(p.strength(), language), absl::StrCat(p.opportunities_size())});
  }
  table.Print(out);
  for (int i = 0; i < report.pairs_size(); ++i) {
    const ClusterPair& p = report.pairs(i);
    out << "\n"
        << i + 1 << ". "
        << Party(p.supplier_display_name(), p.supplier(), p.supplier_region())
        << " -> " << Party(p.buyer_display_name(), p.buyer(), p.buyer_region())
        << "\n";
    for (const Opportunity& o : p.opportunities()) {
      out << "   - [" << Number(o.score(), language) << "] " << KindText(o, w)
          << ": " << Text(o.text(), language) << "\n";
      const std::string refs = Refs(o, w);
      if (!refs.empty()) out << "     " << refs << "\n";
    }
  }
}

void PrintReportMarkdown(std::ostream& out, const ChannelingReport& report,
                         const RegionNames& names, Language language) {
  const Words& w = WordsFor(language);
  const std::string a = NameOr(names.a, report.region_a());
  const std::string b = NameOr(names.b, report.region_b());
  out << "# " << w.minutes << ": " << a << " – " << b << "\n\n";
  out << "**" << report.opportunity_count() << " " << w.opportunities
      << "**: " << report.a_to_b_count() << " " << w.from << " " << a << " "
      << w.to << " " << b << ", " << report.b_to_a_count() << " " << w.from
      << " " << b << " " << w.to << " " << a << ".";
  if (report.has_generate_time()) {
    out << " " << w.generated << " " << FormatTimestamp(report.generate_time())
        << ".";
  }
  out << "\n";
  if (report.pairs_size() == 0) {
    out << "\n" << w.none << "\n";
    return;
  }
  int number = 0;
  std::vector<std::pair<int, const ClusterPair*>> numbered;
  for (bool a_to_b : {true, false}) {
    bool heading = false;
    for (const ClusterPair& p : report.pairs()) {
      if (IsAToB(report, p) != a_to_b) continue;
      if (!heading) {
        out << "\n## " << (a_to_b ? a : b) << " → " << (a_to_b ? b : a) << "\n";
        heading = true;
      }
      ++number;
      numbered.emplace_back(number, &p);
      out << "\n### " << number << ". "
          << Party(p.supplier_display_name(), p.supplier(), p.supplier_region())
          << " → " << Party(p.buyer_display_name(), p.buyer(), p.buyer_region())
          << "\n\n";
      for (const Opportunity& o : p.opportunities()) {
        out << "- " << Text(o.text(), language) << " (" << KindText(o, w)
            << ", " << w.score << " " << Number(o.score(), language) << ")";
        const std::string refs = Refs(o, w);
        if (!refs.empty()) out << " — " << refs;
        out << "\n";
      }
    }
  }
  out << "\n## " << w.follow_up << "\n\n| # | " << w.supplier << " | "
      << w.buyer << " | " << w.person << " | " << w.due << " |\n"
      << "|---|---|---|---|---|\n";
  auto cell = [](const std::string& s) {
    return absl::StrReplaceAll(s, {{"|", "\\|"}});
  };
  for (const auto& [n, p] : numbered) {
    out << "| " << n << " | "
        << cell(Party(p->supplier_display_name(), p->supplier(),
                      p->supplier_region()))
        << " | "
        << cell(Party(p->buyer_display_name(), p->buyer(), p->buyer_region()))
        << " |  |  |\n";
  }
}

}  // namespace jalin::ctl
