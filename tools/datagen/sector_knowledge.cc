#include "tools/datagen/sector_knowledge.h"

#include <map>

#include "absl/strings/match.h"

namespace jalin::datagen {
namespace {

using type::v1::CertificationKind;
using type::v1::Period;
using type::v1::Unit;

constexpr Unit KG = type::v1::KILOGRAM;
constexpr Unit TON = type::v1::TON;
constexpr Unit LITER = type::v1::LITER;
constexpr Unit PIECE = type::v1::PIECE;
constexpr Unit KPCS = type::v1::THOUSAND_PIECES;
constexpr Unit M = type::v1::METER;
constexpr Unit M2 = type::v1::SQUARE_METER;
constexpr Unit M3 = type::v1::CUBIC_METER;
constexpr Unit HA = type::v1::HECTARE;
constexpr Unit HOUR = type::v1::HOUR;
constexpr Unit SESSION = type::v1::SESSION;
constexpr Unit PDAY = type::v1::PERSON_DAY;
constexpr Period DAY = type::v1::DAY;
constexpr Period WEEK = type::v1::WEEK;
constexpr Period MONTH = type::v1::MONTH;

Trade T(Unit unit, Period period, double cmin, double cmax, double emin,
        double emax, int64_t pmin, int64_t pmax, Unit price_unit) {
  Trade t;
  t.unit = unit;
  t.period = period;
  t.cluster_min = cmin;
  t.cluster_max = cmax;
  t.enterprise_min = emin;
  t.enterprise_max = emax;
  t.price_min = pmin;
  t.price_max = pmax;
  t.price_unit = price_unit;
  return t;
}

Trade NoQuantity() {
  Trade t;
  t.has_quantity = false;
  return t;
}

// How each sector trades. Amounts are per period; prices per price unit.
const std::map<std::string, Trade>& Trades() {
  static const auto* trades = new std::map<std::string, Trade>{
      {"pertanian", T(TON, MONTH, 2, 30, 0.2, 3, 5000, 15000, KG)},
      {"padi-beras", T(TON, MONTH, 10, 100, 1, 10, 10000, 14000, KG)},
      {"gabah", T(TON, MONTH, 20, 200, 2, 20, 5500, 7000, KG)},
      {"beras-organik", T(TON, MONTH, 2, 20, 0.3, 3, 15000, 22000, KG)},
      {"sayuran", T(KG, WEEK, 500, 5000, 50, 500, 4000, 15000, KG)},
      {"cabai", T(KG, WEEK, 200, 3000, 30, 300, 20000, 60000, KG)},
      {"bawang-merah", T(TON, MONTH, 5, 50, 0.5, 5, 20000, 40000, KG)},
      {"kopi", T(TON, MONTH, 1, 10, 0.1, 1, 30000, 70000, KG)},
      {"kakao", T(TON, MONTH, 1, 10, 0.1, 1, 25000, 45000, KG)},
      {"teh", T(TON, MONTH, 5, 50, 0.5, 5, 2500, 6000, KG)},
      {"kelapa", T(PIECE, MONTH, 5000, 50000, 500, 5000, 2500, 5000, PIECE)},
      {"aren-nira", T(LITER, DAY, 200, 2000, 20, 200, 3000, 6000, LITER)},
      {"tanaman-hias",
       T(PIECE, MONTH, 1000, 10000, 100, 1000, 5000, 50000, PIECE)},
      {"bibit-tanaman",
       T(PIECE, MONTH, 5000, 50000, 500, 5000, 1500, 10000, PIECE)},
      {"biofarmaka", T(KG, MONTH, 1000, 20000, 100, 2000, 8000, 25000, KG)},
      {"simplisia", T(KG, MONTH, 200, 3000, 20, 300, 40000, 120000, KG)},
      {"jamur", T(KG, WEEK, 200, 2000, 20, 200, 12000, 25000, KG)},
      {"baglog-jamur", T(KPCS, MONTH, 5, 50, 1, 5, 2500, 4000, PIECE)},
      {"perikanan", T(KG, WEEK, 500, 5000, 50, 500, 20000, 40000, KG)},
      {"udang", T(KG, WEEK, 200, 2000, 20, 200, 60000, 90000, KG)},
      {"benih-ikan", T(KPCS, MONTH, 50, 500, 5, 50, 100, 400, PIECE)},
      {"pakan-ikan", T(TON, MONTH, 2, 20, 0.2, 2, 9000, 13000, KG)},
      {"rumput-laut", T(TON, MONTH, 2, 20, 0.2, 2, 5000, 15000, KG)},
      {"sapi", T(PIECE, MONTH, 5, 50, 1, 5, 18000000, 25000000, PIECE)},
      {"kambing-domba",
       T(PIECE, MONTH, 10, 100, 2, 10, 2500000, 4500000, PIECE)},
      {"unggas", T(KG, WEEK, 500, 5000, 50, 500, 30000, 40000, KG)},
      {"telur", T(KG, WEEK, 500, 3000, 50, 300, 24000, 30000, KG)},
      {"susu-segar", T(LITER, DAY, 500, 5000, 20, 200, 6000, 9000, LITER)},
      {"madu", T(KG, MONTH, 100, 1000, 10, 100, 100000, 250000, KG)},
      {"pupuk-kandang", T(TON, MONTH, 5, 50, 1, 5, 500, 1500, KG)},
      {"pakan-ternak", T(TON, MONTH, 5, 50, 1, 5, 5000, 9000, KG)},
      {"hasil-hutan", T(TON, MONTH, 5, 30, 0.5, 3, 5000, 12000, KG)},
      {"kayu-log", T(M3, MONTH, 20, 200, 2, 20, 2500000, 8000000, M3)},
      {"kayu-gergajian", T(M3, MONTH, 10, 100, 1, 10, 4000000, 12000000, M3)},
      {"serbuk-gergaji", T(TON, MONTH, 5, 50, 0.5, 5, 300, 800, KG)},
      {"bambu", T(PIECE, MONTH, 1000, 10000, 100, 1000, 10000, 30000, PIECE)},
      {"rotan-mentah", T(TON, MONTH, 5, 30, 0.5, 3, 12000, 25000, KG)},
      {"makanan-olahan", T(KG, MONTH, 500, 5000, 30, 500, 30000, 120000, KG)},
      {"tempe-tahu", T(KG, DAY, 200, 2000, 20, 200, 8000, 15000, KG)},
      {"gula-merah", T(KG, MONTH, 2000, 20000, 200, 2000, 15000, 30000, KG)},
      {"tepung", T(TON, MONTH, 5, 50, 0.5, 5, 8000, 15000, KG)},
      {"oleh-oleh-khas",
       T(PIECE, MONTH, 5000, 50000, 500, 5000, 15000, 60000, PIECE)},
      {"kue-basah", T(PIECE, DAY, 500, 5000, 50, 500, 1500, 5000, PIECE)},
      {"minuman", T(LITER, MONTH, 1000, 10000, 100, 1000, 15000, 40000, LITER)},
      {"kopi-olahan", T(KG, MONTH, 200, 3000, 20, 300, 80000, 250000, KG)},
      {"teh-olahan", T(KG, MONTH, 200, 3000, 20, 300, 50000, 150000, KG)},
      {"minuman-herbal",
       T(PIECE, MONTH, 5000, 50000, 500, 5000, 5000, 25000, PIECE)},
      {"cokelat-olahan", T(KG, MONTH, 100, 1000, 10, 100, 150000, 400000, KG)},
      {"susu-olahan", T(LITER, WEEK, 200, 2000, 20, 200, 15000, 30000, LITER)},
      {"jamu", T(KG, MONTH, 500, 5000, 50, 500, 60000, 200000, KG)},
      {"jamu-gendong", T(LITER, DAY, 50, 500, 5, 50, 10000, 20000, LITER)},
      {"jamu-kapsul",
       T(PIECE, MONTH, 5000, 50000, 500, 5000, 20000, 60000, PIECE)},
      {"minyak-atsiri",
       T(LITER, MONTH, 50, 500, 5, 50, 300000, 1200000, LITER)},
      {"kosmetik-herbal",
       T(PIECE, MONTH, 2000, 20000, 200, 2000, 15000, 50000, PIECE)},
      {"tekstil", T(PIECE, MONTH, 200, 3000, 20, 300, 100000, 500000, PIECE)},
      {"batik-tulis",
       T(PIECE, MONTH, 100, 1000, 10, 100, 350000, 3000000, PIECE)},
      {"batik-cap", T(PIECE, MONTH, 500, 5000, 50, 500, 100000, 350000, PIECE)},
      {"batik-kontemporer",
       T(PIECE, MONTH, 1000, 10000, 100, 1000, 60000, 200000, PIECE)},
      {"tenun", T(M, MONTH, 1000, 10000, 100, 1000, 40000, 150000, M)},
      {"kain-mori", T(M, MONTH, 5000, 50000, 500, 5000, 15000, 35000, M)},
      {"malam-batik", T(KG, MONTH, 200, 2000, 20, 200, 30000, 60000, KG)},
      {"pewarna-alam", T(KG, MONTH, 50, 500, 5, 50, 50000, 200000, KG)},
      {"benang", T(KG, MONTH, 500, 5000, 50, 500, 50000, 120000, KG)},
      {"pakaian-jadi",
       T(PIECE, MONTH, 1000, 10000, 100, 1000, 60000, 250000, PIECE)},
      {"kulit-samak", T(M2, MONTH, 500, 5000, 50, 500, 80000, 200000, M2)},
      {"kerajinan", T(PIECE, MONTH, 500, 5000, 50, 500, 25000, 300000, PIECE)},
      {"kerajinan-logam",
       T(PIECE, MONTH, 100, 2000, 10, 200, 100000, 2000000, PIECE)},
      {"mebel", T(PIECE, MONTH, 50, 500, 5, 50, 1500000, 12000000, PIECE)},
      {"komponen-mebel",
       T(PIECE, MONTH, 1000, 10000, 100, 1000, 50000, 400000, PIECE)},
      {"keramik",
       T(PIECE, MONTH, 2000, 20000, 200, 2000, 15000, 150000, PIECE)},
      {"genteng-bata", T(KPCS, MONTH, 50, 500, 5, 50, 800, 2500, PIECE)},
      {"tanah-liat", T(TON, MONTH, 20, 200, 2, 20, 150000, 400000, TON)},
      {"logam", T(PIECE, MONTH, 500, 5000, 50, 500, 50000, 500000, PIECE)},
      {"besi-bekas", T(TON, MONTH, 5, 50, 0.5, 5, 4000, 7000, KG)},
      {"mesin-tepat-guna",
       T(PIECE, MONTH, 5, 50, 1, 5, 3000000, 30000000, PIECE)},
      {"kemasan", T(KPCS, MONTH, 10, 200, 1, 20, 300, 3000, PIECE)},
      {"sarana-pertanian", T(TON, MONTH, 5, 50, 0.5, 5, 1000, 3000, KG)},
      {"pupuk-organik", T(TON, MONTH, 10, 100, 1, 10, 800, 2000, KG)},
      {"pestisida-nabati",
       T(LITER, MONTH, 100, 1000, 10, 100, 30000, 80000, LITER)},
      {"maggot-bsf", T(KG, WEEK, 200, 2000, 20, 200, 6000, 10000, KG)},
      {"limbah", T(TON, MONTH, 5, 50, 0.5, 5, 200, 2000, KG)},
      {"minyak-jelantah",
       T(LITER, MONTH, 1000, 10000, 50, 500, 5000, 8000, LITER)},
      {"kain-perca", T(KG, MONTH, 200, 2000, 20, 200, 3000, 10000, KG)},
      {"perawatan-rumah",
       T(PIECE, MONTH, 2000, 20000, 200, 2000, 8000, 40000, PIECE)},
      {"kuliner", T(PIECE, DAY, 200, 2000, 20, 200, 12000, 40000, PIECE)},
      {"pariwisata", T(PDAY, MONTH, 100, 1000, 10, 100, 150000, 600000, PDAY)},
      {"jasa-produksi",
       T(HOUR, MONTH, 100, 1000, 10, 100, 50000, 200000, HOUR)},
      {"jasa-jahit", T(PIECE, MONTH, 500, 5000, 50, 500, 25000, 100000, PIECE)},
      {"penggilingan-padi", T(TON, MONTH, 50, 500, 5, 50, 300, 700, KG)},
      {"jasa-pengemasan", T(KPCS, MONTH, 10, 100, 1, 10, 200, 1000, PIECE)},
      {"maklon", T(PIECE, MONTH, 5000, 50000, 500, 5000, 2000, 20000, PIECE)},
      {"logistik", T(SESSION, MONTH, 20, 200, 2, 20, 500000, 3000000, SESSION)},
      {"pembiayaan", NoQuantity()},
      {"jasa-kreatif",
       T(SESSION, MONTH, 5, 50, 1, 10, 1000000, 10000000, SESSION)},
      {"jasa-pertanian", T(HA, MONTH, 20, 200, 2, 20, 500000, 2000000, HA)},
      {"pengujian",
       T(SESSION, MONTH, 10, 100, 1, 10, 500000, 5000000, SESSION)},
      {"pengetahuan-produksi", T(SESSION, MONTH, 1, 8, 1, 4, 0, 0, SESSION)},
      {"pengetahuan-usaha", T(SESSION, MONTH, 1, 8, 1, 4, 0, 0, SESSION)},
      {"pendampingan", T(SESSION, MONTH, 1, 8, 1, 4, 0, 0, SESSION)},
      {"akses-pasar", NoQuantity()},
  };
  return *trades;
}

constexpr CertificationKind PIRT = type::v1::PIRT;
constexpr CertificationKind HALAL = type::v1::HALAL;
constexpr CertificationKind BPOM = type::v1::BPOM;
constexpr CertificationKind CPPOB = type::v1::CPPOB;
constexpr CertificationKind HAKI = type::v1::HAKI;
constexpr CertificationKind CPOTB = type::v1::CPOTB;
constexpr CertificationKind BATIK_MARK = type::v1::BATIK_MARK;
constexpr CertificationKind SNI = type::v1::SNI;
constexpr CertificationKind SVLK = type::v1::SVLK;
constexpr CertificationKind CBIB = type::v1::CBIB;
constexpr CertificationKind ORGANIC = type::v1::ORGANIC;
constexpr CertificationKind ISO_9001 = type::v1::ISO_9001;

// Certificates per sector; a category collects those of its ancestors.
const std::map<std::string, std::vector<CertificateRule>>& Certificates() {
  static const auto* rules =
      new std::map<std::string, std::vector<CertificateRule>>{
          {"makanan-olahan",
           {{PIRT, 0.55, 0.7, 0.3, 5},
            {HALAL, 0.35, 0.6, 0.9, 4},
            {BPOM, 0.02, 0.2, 0.75, 5},
            {CPPOB, 0, 0.05, 0.4, 5},
            {HAKI, 0.02, 0.1, 0.4, 10}}},
          {"minuman",
           {{PIRT, 0.5, 0.65, 0.3, 5},
            {HALAL, 0.3, 0.55, 0.9, 4},
            {BPOM, 0.03, 0.25, 0.8, 5},
            {CPPOB, 0, 0.05, 0.4, 5}}},
          {"jamu",
           {{PIRT, 0.4, 0.5, 0.2, 5},
            {HALAL, 0.3, 0.5, 0.85, 4},
            {BPOM, 0.05, 0.35, 0.9, 5},
            {CPOTB, 0, 0.1, 0.6, 5}}},
          {"tekstil", {{HAKI, 0.02, 0.1, 0.4, 10}, {SNI, 0, 0.05, 0.3, 4}}},
          {"batik", {{BATIK_MARK, 0.05, 0.2, 0.6, 3}}},
          {"hasil-hutan", {{SVLK, 0.1, 0.4, 0.9, 6}}},
          {"mebel", {{SVLK, 0.1, 0.4, 0.9, 6}, {ISO_9001, 0, 0.02, 0.2, 3}}},
          {"ukiran-kayu", {{SVLK, 0.1, 0.4, 0.9, 6}}},
          {"perikanan", {{CBIB, 0.1, 0.35, 0.8, 5}}},
          {"beras-organik", {{ORGANIC, 0.3, 0.6, 0.9, 3}}},
          {"logam", {{SNI, 0.02, 0.15, 0.5, 4}}},
          {"kemasan", {{SNI, 0.05, 0.2, 0.6, 4}, {ISO_9001, 0, 0.02, 0.3, 3}}},
      };
  return *rules;
}

const std::map<std::string, std::string>& ByProducts() {
  static const auto* by = new std::map<std::string, std::string>{
      {"mebel-kayu", "serbuk-gergaji"},
      {"ukiran-kayu", "serbuk-gergaji"},
      {"kayu-gergajian", "serbuk-gergaji"},
      {"komponen-mebel", "serbuk-gergaji"},
      {"tempe-tahu", "ampas-tahu"},
      {"jamur", "limbah-baglog"},
      {"padi-beras", "sekam-jerami"},
      {"penggilingan-padi", "sekam-jerami"},
      {"sapi", "pupuk-kandang"},
      {"kambing-domba", "pupuk-kandang"},
      {"pakaian-jadi", "kain-perca"},
      {"busana-muslim", "kain-perca"},
      {"jasa-jahit", "kain-perca"},
      {"kuliner", "minyak-jelantah"},
      {"keripik-kerupuk", "minyak-jelantah"},
      {"kelapa", "tempurung-kelapa"},
      {"gula-merah", "tempurung-kelapa"},
      {"sayuran", "limbah-organik"},
      {"buah-buahan", "limbah-organik"},
  };
  return *by;
}

const std::map<std::string, std::string>& KnowHow() {
  static const auto* know = new std::map<std::string, std::string>{
      {"jamur", "budidaya-jamur"},
      {"perikanan", "budidaya-ikan"},
      {"beras-organik", "pertanian-organik"},
      {"pupuk-organik", "limbah-jadi-pupuk"},
      {"maggot-bsf", "pakan-mandiri"},
      {"makanan-olahan", "pengolahan-pangan"},
      {"minuman", "pengolahan-pangan"},
      {"jamu", "keamanan-pangan"},
      {"batik", "teknik-batik"},
      {"tenun", "teknik-tenun"},
      {"pewarna-alam", "pewarnaan-alami"},
      {"kerajinan", "pelatihan-keterampilan"},
  };
  return *know;
}

const std::map<std::string, std::vector<std::string>>& MarketChannels() {
  static const auto* channels =
      new std::map<std::string, std::vector<std::string>>{
          {"makanan-olahan",
           {"pusat-oleh-oleh", "ritel-modern", "lokapasar", "horeka"}},
          {"minuman", {"ritel-modern", "horeka", "lokapasar"}},
          {"jamu", {"ritel-modern", "lokapasar", "pusat-oleh-oleh"}},
          {"tekstil",
           {"galeri-showroom", "pameran", "lokapasar", "pembeli-ekspor"}},
          {"kerajinan",
           {"pusat-oleh-oleh", "galeri-showroom", "pembeli-ekspor", "pameran"}},
          {"mebel", {"galeri-showroom", "pembeli-ekspor", "pameran"}},
          {"keramik", {"galeri-showroom", "pameran", "pusat-oleh-oleh"}},
          {"beras-organik", {"ritel-modern", "distributor"}},
          {"kopi", {"offtaker-industri", "distributor"}},
          {"biofarmaka", {"offtaker-industri"}},
          {"perikanan", {"horeka", "distributor"}},
          {"perawatan-rumah", {"ritel-modern", "lokapasar"}},
          {"pariwisata", {"lokapasar", "pameran"}},
      };
  return *channels;
}

const std::map<std::string, double>& RootWeights() {
  static const auto* weights = new std::map<std::string, double>{
      {"pertanian", 3},       {"makanan-olahan", 4},
      {"kerajinan", 2},       {"tekstil", 2},
      {"biofarmaka", 1.5},    {"perikanan", 2},
      {"peternakan", 1.5},    {"jamu", 1},
      {"minuman", 1.5},       {"mebel", 1},
      {"keramik", 0.8},       {"logam", 0.8},
      {"hasil-hutan", 0.6},   {"jamur", 1},
      {"kuliner", 1.5},       {"pariwisata", 1},
      {"jasa-produksi", 0.5}, {"sarana-pertanian", 0.6},
      {"kemasan", 0.3},       {"perawatan-rumah", 0.5},
      {"jasa-kreatif", 0.4},  {"jasa-pertanian", 0.3},
      {"logistik", 0.2},
  };
  return *weights;
}

const std::map<std::string, std::vector<std::string>>& Specialities() {
  static const auto* s = new std::map<std::string, std::vector<std::string>>{
      {"33.01", {"ikan-laut", "olahan-ikan", "gula-merah", "kelapa"}},
      {"33.02", {"gula-merah", "keripik-kerupuk", "batik-tulis", "tempe-tahu"}},
      {"33.03", {"komponen-logam", "gula-merah", "gurami"}},
      {"33.04", {"salak", "kopi", "gerabah", "olahan-buah"}},
      {"33.05", {"genteng-bata", "gula-merah", "anyaman"}},
      {"33.06", {"buah-buahan", "kambing-domba", "bambu"}},
      {"33.07", {"kopi", "teh", "olahan-buah", "sayuran"}},
      {"33.08", {"salak", "desa-wisata", "gerabah", "tempe-tahu"}},
      {"33.09", {"susu-segar", "susu-olahan", "kerajinan-logam", "sapi"}},
      {"33.10", {"lurik", "keramik-hias", "komponen-logam", "beras"}},
      {"33.11",
       {"jamu", "jamu-serbuk", "mebel-rotan-bambu", "mebel-kayu",
        "kuningan-tembaga"}},
      {"33.12", {"singkong", "keripik-kerupuk", "jamu-gendong", "batik-tulis"}},
      {"33.13",
       {"jahe", "temulawak", "simplisia", "teh", "jamur-tiram", "batik-tulis",
        "desa-wisata"}},
      {"33.14", {"beras-organik", "batik-tulis", "mebel-kayu"}},
      {"33.15", {"kedelai", "jagung", "tempe-tahu"}},
      {"33.16", {"kayu-log", "kayu-gergajian", "ukiran-kayu"}},
      {"33.17", {"ikan-laut", "olahan-ikan", "batik-tulis"}},
      {"33.18", {"singkong", "tepung", "keripik-kerupuk", "kuningan-tembaga"}},
      {"33.19", {"oleh-oleh-khas", "pakaian-jadi", "busana-muslim"}},
      {"33.20", {"mebel-kayu", "ukiran-kayu", "tenun-ikat", "komponen-mebel"}},
      {"33.21", {"buah-buahan", "lele", "olahan-ikan"}},
      {"33.22", {"kopi", "susu-segar", "anyaman"}},
      {"33.23", {"kopi", "kopi-olahan", "sayuran"}},
      {"33.24", {"ikan-laut", "olahan-buah"}},
      {"33.25", {"teh", "batik-tulis"}},
      {"33.26", {"batik-cap", "batik-tulis", "tenun"}},
      {"33.27", {"tenun", "ikan-laut", "gula-merah"}},
      {"33.28", {"komponen-logam", "teh-olahan", "alat-pertanian"}},
      {"33.29", {"bawang-merah", "telur", "sambal-bumbu"}},
      {"33.71", {"oleh-oleh-khas", "kue-roti"}},
      {"33.72",
       {"batik-tulis", "batik-cap", "busana-muslim", "oleh-oleh-khas",
        "restoran"}},
      {"33.73", {"susu-olahan", "kue-roti"}},
      {"33.74", {"olahan-ikan", "oleh-oleh-khas", "restoran", "pakaian-jadi"}},
      {"33.75", {"batik-cap", "batik-kontemporer"}},
      {"33.76", {"warung-makan", "komponen-logam"}},
  };
  return *s;
}

// The entry of `table` for `category` or its nearest ancestor.
template <typename V>
const V* Nearest(const Taxonomy& taxonomy,
                 const std::map<std::string, V>& table,
                 const std::string& category) {
  const TaxonomyCategory* c = taxonomy.Find(category);
  for (int depth = 0; c != nullptr && depth < 32; ++depth) {
    auto it = table.find(c->id);
    if (it != table.end()) return &it->second;
    c = c->parent.empty() ? nullptr : taxonomy.Find(c->parent);
  }
  return nullptr;
}

}  // namespace

Trade TradeOf(const Taxonomy& taxonomy, const std::string& category) {
  if (const Trade* t = Nearest(taxonomy, Trades(), category)) return *t;
  return T(PIECE, MONTH, 100, 1000, 10, 100, 0, 0, PIECE);
}

std::vector<CertificateRule> CertificatesOf(const Taxonomy& taxonomy,
                                            const std::string& category) {
  std::vector<CertificateRule> out;
  const TaxonomyCategory* c = taxonomy.Find(category);
  for (int depth = 0; c != nullptr && depth < 32; ++depth) {
    auto it = Certificates().find(c->id);
    if (it != Certificates().end()) {
      for (const CertificateRule& r : it->second) {
        bool seen = false;
        for (const CertificateRule& o : out) seen |= o.kind == r.kind;
        if (!seen) out.push_back(r);
      }
    }
    c = c->parent.empty() ? nullptr : taxonomy.Find(c->parent);
  }
  return out;
}

std::string ByProductOf(const Taxonomy& taxonomy, const std::string& category) {
  const std::string* by = Nearest(taxonomy, ByProducts(), category);
  return by != nullptr && taxonomy.Find(*by) != nullptr ? *by : "";
}

std::string KnowHowOf(const Taxonomy& taxonomy, const std::string& category) {
  const std::string* k = Nearest(taxonomy, KnowHow(), category);
  return k != nullptr && taxonomy.Find(*k) != nullptr ? *k : "";
}

const std::vector<std::string>& CommonKnowHowNeeds() {
  static const auto* needs = new std::vector<std::string>{
      "perizinan",
      "pemasaran-daring",
      "desain-produk",
      "pembukuan",
      "pendampingan-usaha",
      "desain-kemasan",
      "pendampingan-sertifikasi",
  };
  return *needs;
}

std::vector<std::string> MarketChannelsOf(const Taxonomy& taxonomy,
                                          const std::string& category) {
  std::vector<std::string> out;
  if (const auto* c = Nearest(taxonomy, MarketChannels(), category)) {
    for (const std::string& id : *c) {
      if (taxonomy.Find(id) != nullptr) out.push_back(id);
    }
  }
  return out;
}

const std::vector<PartnerProfile>& PartnerProfiles() {
  using registry::v1::Partner;
  static const auto* profiles = new std::vector<PartnerProfile>{
      {Partner::HORECA,
       {"Rumah Makan", "Restoran", "Hotel", "Katering", "Warung Makan"},
       {"lele", "nila", "gurami", "ikan-laut", "udang", "sayuran", "cabai",
        "unggas", "telur", "beras", "kopi-olahan", "tempe-tahu", "kue-basah"},
       "horeka",
       1.0,
       3.0},
      {Partner::SOUVENIR_CENTRE,
       {"Pusat Oleh-oleh", "Toko Oleh-oleh", "Galeri Oleh-oleh"},
       {"keripik-kerupuk", "oleh-oleh-khas", "olahan-buah", "batik-cap",
        "kerajinan-bambu", "cendera-mata", "minuman-herbal", "kopi-olahan"},
       "pusat-oleh-oleh",
       0.8,
       2.0},
      {Partner::RETAIL,
       {"Swalayan", "Toserba", "Minimarket"},
       {"beras-organik", "kopi-olahan", "teh-olahan", "minuman-herbal",
        "keripik-kerupuk", "gula-merah", "sabun", "jamu-serbuk"},
       "ritel-modern",
       0.6,
       2.0},
      {Partner::OFF_TAKER,
       {"CV Agro", "PT Herbal", "UD Hasil Bumi"},
       {"jahe", "kunyit", "temulawak", "simplisia", "beras", "jagung", "kopi",
        "kakao", "rotan-mentah", "kayu-gergajian"},
       "offtaker-industri",
       0.7,
       0.5},
      {Partner::EXPORTER,
       {"PT Ekspor", "CV Mitra Ekspor"},
       {"mebel-kayu", "mebel-rotan-bambu", "kerajinan-rotan", "ukiran-kayu",
        "kopi-olahan", "batik-tulis"},
       "pembeli-ekspor",
       0.3,
       0.6},
      {Partner::GOVERNMENT_BUYER,
       {"Unit Pengadaan"},
       {"pakaian-jadi", "alat-pertanian", "mebel-kayu", "katering"},
       "pengadaan-pemerintah",
       0.2,
       0.3},
      {Partner::CORPORATE,
       {"PT Sinar", "PT Karya"},
       {"kemasan-kertas", "katering"},
       "pendampingan-usaha",
       0.2,
       0.4},
      {Partner::STATE_OWNED,
       {"BUMD"},
       {"beras", "gula-merah"},
       "distributor",
       0.15,
       0.2},
  };
  return *profiles;
}

const std::vector<std::string>& SpecialitiesOf(const std::string& region_code) {
  static const auto* none = new std::vector<std::string>();
  auto it = Specialities().find(region_code);
  return it == Specialities().end() ? *none : it->second;
}

std::vector<SectorChoice> SectorPool(const Taxonomy& taxonomy) {
  // Split each root's weight evenly over its leaves.
  std::map<std::string, int> leaves_per_root;
  for (const TaxonomyCategory& c : taxonomy.categories()) {
    if (c.children.empty() && !c.parent.empty() &&
        RootWeights().count(c.root) > 0) {
      ++leaves_per_root[c.root];
    }
  }
  std::vector<SectorChoice> pool;
  for (const TaxonomyCategory& c : taxonomy.categories()) {
    if (!c.children.empty() || c.parent.empty()) continue;
    auto w = RootWeights().find(c.root);
    if (w == RootWeights().end()) continue;
    pool.push_back({c.id, w->second / leaves_per_root[c.root]});
  }
  return pool;
}

std::string ShortLabel(const TaxonomyCategory& category) {
  std::string label = category.label_id;
  for (const char* cut : {" (", " dan ", ","}) {
    const size_t at = label.find(cut);
    if (at != std::string::npos) label.resize(at);
  }
  return label;
}

std::string UnitWord(type::v1::Unit unit) {
  switch (unit) {
    case type::v1::GRAM:
      return "gram";
    case type::v1::KILOGRAM:
      return "kg";
    case type::v1::QUINTAL:
      return "kuintal";
    case type::v1::TON:
      return "ton";
    case type::v1::MILLILITER:
      return "ml";
    case type::v1::LITER:
      return "liter";
    case type::v1::CUBIC_METER:
      return "m3";
    case type::v1::PIECE:
      return "buah";
    case type::v1::DOZEN:
      return "lusin";
    case type::v1::THOUSAND_PIECES:
      return "ribu buah";
    case type::v1::METER:
      return "meter";
    case type::v1::SQUARE_METER:
      return "m2";
    case type::v1::HECTARE:
      return "hektare";
    case type::v1::HOUR:
      return "jam";
    case type::v1::SESSION:
      return "sesi";
    case type::v1::PERSON_DAY:
      return "orang-hari";
    default:
      return "";
  }
}

std::string PeriodWord(type::v1::Period period) {
  switch (period) {
    case type::v1::DAY:
      return "hari";
    case type::v1::WEEK:
      return "minggu";
    case type::v1::MONTH:
      return "bulan";
    case type::v1::YEAR:
      return "tahun";
    default:
      return "";
  }
}

std::vector<std::string> MentionedCategories() {
  std::vector<std::string> ids;
  for (const auto& [id, t] : Trades()) ids.push_back(id);
  for (const auto& [id, r] : Certificates()) ids.push_back(id);
  for (const auto& [from, to] : ByProducts()) {
    ids.push_back(from);
    ids.push_back(to);
  }
  for (const auto& [from, to] : KnowHow()) {
    ids.push_back(from);
    ids.push_back(to);
  }
  for (const auto& [from, list] : MarketChannels()) {
    ids.push_back(from);
    ids.insert(ids.end(), list.begin(), list.end());
  }
  for (const auto& [root, w] : RootWeights()) ids.push_back(root);
  for (const auto& [region, list] : Specialities()) {
    ids.insert(ids.end(), list.begin(), list.end());
  }
  for (const PartnerProfile& p : PartnerProfiles()) {
    ids.insert(ids.end(), p.buys.begin(), p.buys.end());
    ids.push_back(p.offers);
  }
  ids.insert(ids.end(), CommonKnowHowNeeds().begin(),
             CommonKnowHowNeeds().end());
  return ids;
}

}  // namespace jalin::datagen
