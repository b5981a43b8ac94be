#include "services/notification/renderer.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"

namespace jalin::notification {
namespace {

using events::v1::Event;

struct Verb {
  absl::string_view name;
  absl::string_view id;
  absl::string_view en;
};

constexpr Verb kVerbs[] = {
    {"created", "dibuat", "created"},
    {"updated", "diperbarui", "updated"},
    {"deleted", "dihapus", "deleted"},
    {"verification_changed", "berubah status verifikasinya",
     "had its verification changed"},
    {"curated", "mendapat tanda kurasi", "was curated"},
    {"opened", "dibuka", "opened"},
    {"closed", "ditutup", "closed"},
    {"decided", "diputuskan", "decided"},
    {"published", "diumumkan", "published"},
    {"received", "diterima", "received"},
    {"withdrawn", "ditarik", "withdrawn"},
    {"appealed", "diajukan banding", "appealed"},
    {"resolved", "diselesaikan", "resolved"},
    {"accepted", "diterima", "accepted"},
    {"declined", "ditolak", "declined"},
    {"agreed", "disepakati", "agreed"},
    {"expired", "kedaluwarsa", "expired"},
    {"completed", "selesai", "completed"},
};

// "jalin.registry.listing.created" -> {"registry", "listing", "created"}.
struct TypeParts {
  std::string service, resource, verb;
};

TypeParts SplitType(absl::string_view type) {
  std::vector<std::string> parts = absl::StrSplit(type, '.');
  TypeParts t;
  if (parts.size() >= 4 && parts[0] == "jalin") {
    t.service = parts[1];
    t.resource = parts[2];
    t.verb = parts.back();
  } else if (!parts.empty()) {
    t.verb = parts.back();
  }
  return t;
}

const Verb* FindVerb(absl::string_view verb) {
  for (const Verb& v : kVerbs) {
    if (v.name == verb) return &v;
  }
  return nullptr;
}

// Event times are shown in Western Indonesian Time (UTC+7), where most
// users are.
std::string Date(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  static const absl::TimeZone* wib =
      new absl::TimeZone(absl::FixedTimeZone(7 * 3600));
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(ts.seconds()),
                          *wib);
}

std::string Quoted(absl::string_view s) { return absl::StrCat("\"", s, "\""); }

std::string Or(absl::string_view a, absl::string_view b) {
  return std::string(a.empty() ? b : a);
}

RenderedText Generic(const Event& e) {
  const TypeParts t = SplitType(e.type());
  const Verb* v = FindVerb(t.verb);
  const std::string what = Or(e.subject(), t.resource);
  RenderedText r;
  if (v != nullptr && !what.empty()) {
    r.title_id = absl::StrCat("Pembaruan: ", what, " ", v->id);
    r.title_en = absl::StrCat("Update: ", what, " ", v->en);
  } else {
    r.title_id = absl::StrCat("Pemberitahuan baru dari jalin");
    r.title_en = absl::StrCat("New notice from jalin");
  }
  const std::string when = Date(e.time());
  r.body_id = absl::StrCat(
      "Peristiwa ", e.type(), what.empty() ? "" : absl::StrCat(" untuk ", what),
      when.empty() ? "" : absl::StrCat(" pada ", when), ".");
  r.body_en = absl::StrCat("Event ", e.type(),
                           what.empty() ? "" : absl::StrCat(" for ", what),
                           when.empty() ? "" : absl::StrCat(" on ", when), ".");
  return r;
}

}  // namespace

std::string Renderer::RegionName(const std::string& region) const {
  if (regions_ != nullptr) {
    if (const regions::RegionInfo* info = regions_->Find(region)) {
      return info->name;
    }
  }
  return auth::RegionCode(region).empty() ? region : auth::RegionCode(region);
}

RenderedText Renderer::Render(const Event& e, const Payload& payload) const {
  const TypeParts t = SplitType(e.type());
  const Verb* v = FindVerb(t.verb);
  const absl::string_view verb_id = v != nullptr ? v->id : t.verb;
  const absl::string_view verb_en = v != nullptr ? v->en : t.verb;
  RenderedText r;

  if (const auto* p = std::get_if<events::v1::ListingEvent>(&payload)) {
    const auto& l = p->listing();
    const bool need = l.kind() == registry::v1::Listing::NEED;
    const std::string title = Quoted(Or(l.title(), l.name()));
    const std::string where = l.region().empty() ? "" : RegionName(l.region());
    if (t.verb == "created") {
      r.title_id =
          absl::StrCat(need ? "Kebutuhan baru: " : "Penawaran baru: ", title);
      r.title_en = absl::StrCat(need ? "New need: " : "New offer: ", title);
    } else {
      r.title_id =
          absl::StrCat(need ? "Kebutuhan " : "Penawaran ", title, " ", verb_id);
      r.title_en = absl::StrCat(need ? "Need " : "Offer ", title, " ", verb_en);
    }
    r.body_id = absl::StrCat(
        need ? "Kebutuhan " : "Penawaran ", title,
        where.empty() ? "" : absl::StrCat(" di ", where), " dari ",
        Or(l.owner_profile().display_name(), l.owner()), " ", verb_id, ".");
    r.body_en = absl::StrCat(
        need ? "The need " : "The offer ", title,
        where.empty() ? "" : absl::StrCat(" in ", where), " from ",
        Or(l.owner_profile().display_name(), l.owner()), " was ", verb_en, ".");
    return r;
  }

  if (const auto* p = std::get_if<events::v1::ProposalEvent>(&payload)) {
    const auto& pr = p->proposal();
    const std::string about =
        pr.has_match() && !pr.match().listing().title().empty()
            ? Quoted(pr.match().listing().title())
            : pr.name();
    const std::string parties_id = absl::StrCat(
        pr.supplier(), " (pemasok) dan ", pr.buyer(), " (pembeli)");
    const std::string parties_en =
        absl::StrCat(pr.supplier(), " (supplier) and ", pr.buyer(), " (buyer)");
    const std::string by = p->answering_party();
    if (t.verb == "created") {
      r.title_id = absl::StrCat("Usulan kerja sama baru: ", about);
      r.title_en = absl::StrCat("New cooperation proposal: ", about);
      const std::string until = Date(pr.expire_time());
      r.body_id = absl::StrCat(
          "Ada usulan kerja sama antara ", parties_id,
          ". Silakan terima atau tolak",
          until.empty() ? "" : absl::StrCat(" sebelum ", until), ".");
      r.body_en = absl::StrCat(
          "A cooperation between ", parties_en,
          " has been proposed. Please accept or decline it",
          until.empty() ? "" : absl::StrCat(" before ", until), ".");
    } else if (t.verb == "agreed") {
      r.title_id = absl::StrCat("Kerja sama disepakati: ", about);
      r.title_en = absl::StrCat("Cooperation agreed: ", about);
      r.body_id = absl::StrCat("Kedua pihak, ", parties_id,
                               ", menerima usulan kerja sama ini.");
      r.body_en = absl::StrCat("Both parties, ", parties_en,
                               ", accepted this cooperation proposal.");
    } else if (t.verb == "completed") {
      r.title_id = absl::StrCat("Hasil kerja sama dicatat: ", about);
      r.title_en = absl::StrCat("Cooperation outcome recorded: ", about);
      const int64_t value = pr.outcome().value().amount();
      r.body_id = absl::StrCat(
          "Hasil kerja sama antara ", parties_id, " telah dicatat",
          value > 0 ? absl::StrCat(" dengan nilai Rp ", value) : "", ".");
      r.body_en = absl::StrCat(
          "The outcome of the cooperation between ", parties_en,
          " was recorded", value > 0 ? absl::StrCat(", worth Rp ", value) : "",
          ".");
    } else {
      r.title_id = absl::StrCat("Usulan kerja sama ", verb_id, ": ", about);
      r.title_en = absl::StrCat("Cooperation proposal ", verb_en, ": ", about);
      r.body_id =
          absl::StrCat("Usulan kerja sama antara ", parties_id, " ", verb_id,
                       by.empty() ? "" : absl::StrCat(" oleh ", by), ".",
                       pr.state() == matching::v1::Proposal::PARTIALLY_ACCEPTED
                           ? " Menunggu jawaban pihak lain."
                           : "");
      r.body_en =
          absl::StrCat("The cooperation proposal between ", parties_en, " was ",
                       verb_en, by.empty() ? "" : absl::StrCat(" by ", by), ".",
                       pr.state() == matching::v1::Proposal::PARTIALLY_ACCEPTED
                           ? " Waiting for the other party."
                           : "");
    }
    if (!pr.note().empty()) {
      absl::StrAppend(&r.body_id, " Catatan fasilitator: ", pr.note());
      absl::StrAppend(&r.body_en, " Facilitator's note: ", pr.note());
    }
    return r;
  }

  if (const auto* p = std::get_if<events::v1::SubmissionEvent>(&payload)) {
    const auto& s = p->submission();
    const std::string product = Quoted(Or(s.product_name(), s.name()));
    const std::string campaign =
        p->campaign_display_name().empty()
            ? ""
            : absl::StrCat(" ", Quoted(p->campaign_display_name()));
    if (t.verb == "decided" && s.has_decision()) {
      const auto& d = s.decision();
      const std::string score = absl::StrFormat("%.1f", d.score());
      switch (d.result()) {
        case curation::v1::Decision::PASSED:
          r.title_id = absl::StrCat("Produk ", product, " lolos kurasi");
          r.title_en = absl::StrCat(product, " passed curation");
          r.body_id = absl::StrCat(
              "Selamat! Produk ", product, " lolos kurasi", campaign,
              " dengan nilai ", score, " (peringkat ", d.rank(),
              d.grade().empty() ? "" : absl::StrCat(", grade ", d.grade()),
              ").");
          r.body_en = absl::StrCat(
              "Congratulations! ", product, " passed the curation", campaign,
              " with a score of ", score, " (rank ", d.rank(),
              d.grade().empty() ? "" : absl::StrCat(", grade ", d.grade()),
              ").");
          break;
        case curation::v1::Decision::WAITLISTED:
          r.title_id =
              absl::StrCat("Produk ", product, " masuk daftar tunggu kurasi");
          r.title_en = absl::StrCat(product, " is on the curation waitlist");
          r.body_id =
              absl::StrCat("Produk ", product, " mencapai ambang kurasi",
                           campaign, " (nilai ", score, ", peringkat ",
                           d.rank(), ") tetapi kuota sudah penuh.");
          r.body_en =
              absl::StrCat(product, " reached the threshold of the curation",
                           campaign, " (score ", score, ", rank ", d.rank(),
                           ") but the quota is full.");
          break;
        default:
          r.title_id = absl::StrCat("Produk ", product, " belum lolos kurasi");
          r.title_en = absl::StrCat(product, " did not pass curation");
          r.body_id = absl::StrCat("Produk ", product, " belum lolos kurasi",
                                   campaign, " (nilai ", score, ").");
          r.body_en = absl::StrCat(product, " did not pass the curation",
                                   campaign, " (score ", score, ").");
          break;
      }
      if (!d.reason_id().empty())
        absl::StrAppend(&r.body_id, " ", d.reason_id());
      if (!d.reason_en().empty())
        absl::StrAppend(&r.body_en, " ", d.reason_en());
      return r;
    }
    r.title_id = absl::StrCat("Pendaftaran kurasi ", product, " ", verb_id);
    r.title_en = absl::StrCat("Curation application ", product, " ", verb_en);
    r.body_id = absl::StrCat("Pendaftaran produk ", product, " untuk kurasi",
                             campaign, " ", verb_id, ".");
    r.body_en = absl::StrCat("The application of ", product, " to the curation",
                             campaign, " was ", verb_en, ".");
    return r;
  }

  if (const auto* p = std::get_if<events::v1::CampaignEvent>(&payload)) {
    const auto& c = p->campaign();
    const std::string name = Quoted(Or(c.display_name(), c.name()));
    const std::string where = c.region().empty() ? "" : RegionName(c.region());
    r.title_id = absl::StrCat("Kurasi ", name, " ", verb_id);
    r.title_en = absl::StrCat("Curation ", name, " ", verb_en);
    const std::string until = Date(c.submission_end_time());
    if (t.verb == "opened") {
      r.body_id = absl::StrCat(
          "Pendaftaran kurasi ", name,
          where.empty() ? "" : absl::StrCat(" di ", where), " dibuka",
          until.empty() ? "" : absl::StrCat(" hingga ", until), ".");
      r.body_en = absl::StrCat(
          "Applications to the curation ", name,
          where.empty() ? "" : absl::StrCat(" in ", where), " are open",
          until.empty() ? "" : absl::StrCat(" until ", until), ".");
    } else {
      r.body_id = absl::StrCat("Kurasi ", name,
                               where.empty() ? "" : absl::StrCat(" di ", where),
                               " ", verb_id, ".");
      r.body_en = absl::StrCat("The curation ", name,
                               where.empty() ? "" : absl::StrCat(" in ", where),
                               " was ", verb_en, ".");
    }
    return r;
  }

  if (const auto* p = std::get_if<events::v1::VerificationEvent>(&payload)) {
    const auto& task = p->task();
    r.title_id = absl::StrCat("Verifikasi data ", task.record(), " ", verb_id);
    r.title_en = absl::StrCat("Verification of ", task.record(), " ", verb_en);
    r.body_id = absl::StrCat(
        "Pemeriksaan data ", task.record(), " ", verb_id, ".",
        task.detail().empty() ? "" : absl::StrCat(" ", task.detail()));
    r.body_en = absl::StrCat(
        "The check of ", task.record(), " was ", verb_en, ".",
        task.detail().empty() ? "" : absl::StrCat(" ", task.detail()));
    return r;
  }

  // Registry records named by display name.
  struct Named {
    absl::string_view kind_id, kind_en;
    std::string name;
    std::string region;
  };
  std::optional<Named> named;
  if (const auto* p = std::get_if<events::v1::ClusterEvent>(&payload)) {
    named = Named{"Klaster", "Cluster",
                  Or(p->cluster().display_name(), p->cluster().name()),
                  p->cluster().location().region()};
  } else if (const auto* p =
                 std::get_if<events::v1::EnterpriseEvent>(&payload)) {
    named = Named{"UMKM", "Enterprise",
                  Or(p->enterprise().display_name(), p->enterprise().name()),
                  p->enterprise().location().region()};
  } else if (const auto* p = std::get_if<events::v1::PartnerEvent>(&payload)) {
    named = Named{"Mitra", "Partner",
                  Or(p->partner().display_name(), p->partner().name()),
                  p->partner().location().region()};
  } else if (const auto* p =
                 std::get_if<events::v1::AgreementEvent>(&payload)) {
    named = Named{"Nota kesepahaman", "Agreement",
                  Or(p->agreement().title(), p->agreement().name()), ""};
  } else if (const auto* p = std::get_if<events::v1::CategoryEvent>(&payload)) {
    named = Named{"Kategori", "Category",
                  Or(p->category().label_id(), p->category().name()), ""};
  } else if (const auto* p =
                 std::get_if<events::v1::SupplyLinkEvent>(&payload)) {
    named = Named{"Rantai pasok", "Supply link",
                  absl::StrCat(p->supply_link().input(), " → ",
                               p->supply_link().output()),
                  ""};
  }
  if (named.has_value()) {
    const std::string name = Quoted(named->name);
    const std::string where =
        named->region.empty() ? "" : RegionName(named->region);
    r.title_id = absl::StrCat(named->kind_id, " ", name, " ", verb_id);
    r.title_en = absl::StrCat(named->kind_en, " ", name, " ", verb_en);
    r.body_id = absl::StrCat(named->kind_id, " ", name,
                             where.empty() ? "" : absl::StrCat(" di ", where),
                             " ", verb_id, ".");
    r.body_en = absl::StrCat(named->kind_en, " ", name,
                             where.empty() ? "" : absl::StrCat(" in ", where),
                             " was ", verb_en, ".");
    return r;
  }
  return Generic(e);
}

}  // namespace jalin::notification
