#include "tools/datagen/people.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"

namespace jalin::datagen {
namespace {

const std::vector<std::string>& GivenNames() {
  static const auto* names = new std::vector<std::string>{
      "Sri",      "Siti",     "Budi",    "Slamet",  "Joko",    "Agus",
      "Wahyu",    "Dwi",      "Tri",     "Eko",     "Rina",    "Endang",
      "Sutrisno", "Suparmi",  "Sumarni", "Bambang", "Heru",    "Yuli",
      "Ratna",    "Wulan",    "Sugeng",  "Parmin",  "Tukiyem", "Sarwono",
      "Purwanto", "Lestari",  "Ani",     "Dewi",    "Nur",     "Ahmad",
      "Muhammad", "Fitri",    "Rahmat",  "Hartono", "Sukardi", "Marni",
      "Warsito",  "Sulastri", "Kusno",   "Tarmini", "Yanto",   "Puji",
      "Anik",     "Setyo",    "Winarti", "Darmadi", "Ngatini", "Sunarto",
  };
  return *names;
}

const std::vector<std::string>& FamilyNames() {
  static const auto* names = new std::vector<std::string>{
      "Wahyuni",  "Santoso",    "Susanto", "Rahayu",    "Setiawan",  "Prasetyo",
      "Lestari",  "Handayani",  "Wibowo",  "Kurniawan", "Hidayat",   "Purnomo",
      "Suryani",  "Utomo",      "Nugroho", "Saputra",   "Wijayanti", "Astuti",
      "Pratama",  "Wulandari",  "Hartati", "Sulistyo",  "Mulyani",   "Riyanto",
      "Haryanto", "Kusumawati", "Suharto", "Rohmah",    "Fauzi",     "Maryati",
  };
  return *names;
}

const std::vector<std::string>& VillageHeads() {
  static const auto* words = new std::vector<std::string>{
      "Sido", "Karang", "Tegal",  "Sumber", "Wono",    "Banyu", "Ngadi",
      "Kali", "Gunung", "Watu",   "Mojo",   "Tanjung", "Jati",  "Purwo",
      "Suka", "Bulu",   "Ngargo", "Krajan", "Ploso",   "Dadap",
  };
  return *words;
}

const std::vector<std::string>& VillageTails() {
  static const auto* words = new std::vector<std::string>{
      "rejo",  "mulyo", "harjo",   "sari",  "agung", "asri",  "makmur",
      "kerto", "utomo", "kidul",   "wetan", "kulon", "lor",   "jati",
      "sono",  "anom",  "manggis", "gede",  "arum",  "wangi",
  };
  return *words;
}

// Words Indonesian businesses use for their names: luck, growth, blessing.
const std::vector<std::string>& FortuneWords() {
  static const auto* words = new std::vector<std::string>{
      "Makmur",     "Jaya",      "Abadi",  "Sejahtera", "Lestari",
      "Rejeki",     "Barokah",   "Berkah", "Mandiri",   "Sentosa",
      "Sari",       "Asri",      "Mulya",  "Agung",     "Sekar Arum",
      "Sido Mukti", "Manunggal", "Karya",  "Tunggal",   "Sumber Rejeki",
      "Tani Maju",  "Rukun",     "Guyub",  "Indah",     "Putra",
      "Putri",      "Mekar",     "Wijaya",
  };
  return *words;
}

// Mobile prefixes of Indonesian operators (after the leading 0).
const std::vector<std::string>& MobilePrefixes() {
  static const auto* prefixes = new std::vector<std::string>{
      "811", "812", "813", "821", "822", "823", "852", "853", "851",
      "814", "815", "816", "855", "856", "857", "858", "817", "818",
      "819", "859", "877", "878", "895", "896", "897", "898", "899",
      "881", "882", "883", "838", "831", "832",
  };
  return *prefixes;
}

std::string Digits(Rng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i)
    s.push_back(static_cast<char>('0' + rng.Int(0, 9)));
  return s;
}

std::string Handle(const std::string& name) {
  std::string h = absl::AsciiStrToLower(name);
  for (char& c : h) {
    if (!absl::ascii_isalnum(c)) c = '.';
  }
  return h;
}

}  // namespace

Person MakePerson(Rng& rng, bool with_email) {
  Person p;
  const std::string& given = rng.Pick(GivenNames());
  std::string family = rng.Pick(FamilyNames());
  while (family == given) family = rng.Pick(FamilyNames());
  p.name = absl::StrCat(given, " ", family);
  p.phone = absl::StrCat("+62", rng.Pick(MobilePrefixes()),
                         Digits(rng, static_cast<int>(rng.Int(7, 8))));
  if (with_email) {
    p.email = absl::StrCat(Handle(p.name), rng.Int(1, 99), "@mail.example");
  }
  return p;
}

std::string MakeVillage(Rng& rng) {
  std::string v =
      absl::StrCat(rng.Pick(VillageHeads()), rng.Pick(VillageTails()));
  if (rng.Chance(0.12)) {
    static const auto* sides =
        new std::vector<std::string>{"Lor", "Kidul", "Wetan", "Kulon"};
    absl::StrAppend(&v, " ", rng.Pick(*sides));
  }
  return v;
}

std::string MakeBusinessName(Rng& rng, const std::string& product,
                             const std::string& owner_first_name) {
  static const auto* forms = new std::vector<std::string>{
      "UD", "CV", "KUB", "Toko", "Griya", "Omah", "Rumah"};
  switch (rng.Int(0, 3)) {
    case 0:
      return absl::StrCat(rng.Pick(*forms), " ", rng.Pick(FortuneWords()));
    case 1: {
      static const auto* titles =
          new std::vector<std::string>{"Bu", "Pak", "Mbok", "Mas", "Mbak"};
      return absl::StrCat(product, " ", rng.Pick(*titles), " ",
                          owner_first_name);
    }
    default:
      return absl::StrCat(product, " ", rng.Pick(FortuneWords()));
  }
}

std::string MakeNib(Rng& rng) {
  return absl::StrCat(rng.Chance(0.8) ? "91" : "81", Digits(rng, 11));
}

std::string MakeCertificateNumber(Rng& rng, const std::string& kind,
                                  const std::string& region_code) {
  const std::string region = absl::StrReplaceAll(region_code, {{".", ""}});
  if (kind == "PIRT") {
    return absl::StrCat("P-IRT ", rng.Int(1, 5), region, Digits(rng, 8), "-",
                        rng.Int(26, 30));
  }
  if (kind == "HALAL") return absl::StrCat("ID", region, Digits(rng, 13));
  if (kind == "BPOM") {
    return absl::StrCat(rng.Chance(0.5) ? "MD " : "POM TR ", Digits(rng, 12));
  }
  if (kind == "SVLK") {
    return absl::StrCat("VLK-", region, "-", Digits(rng, 5));
  }
  if (kind == "BATIK_MARK") {
    return absl::StrCat("BM-", Digits(rng, 4), "-", Digits(rng, 3));
  }
  if (kind == "HAKI") return absl::StrCat("IDM000", Digits(rng, 6));
  if (kind == "ORGANIC") {
    return absl::StrCat("LSO-", Digits(rng, 3), "-IDN-", Digits(rng, 3));
  }
  return absl::StrCat(kind, "-", region, "-", Digits(rng, 6));
}

std::string FirstName(const std::string& name) {
  const size_t space = name.find(' ');
  return space == std::string::npos ? name : name.substr(0, space);
}

}  // namespace jalin::datagen
