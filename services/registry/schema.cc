#include "services/registry/schema.h"

namespace jalin::registry {
namespace {

// Columns shared by the record tables:
//   id            the id part of the resource name
//   region        kabupaten/kota code ("33.13"); province its first part
//   src_*         the import source (system, external id, version); NULL
//                 for records created through the API
//   data          the record, serialised
// Codes of enums are their proto numbers. Lists page by id (keyset).
constexpr storage::Migration kMigrations[] = {
    {1, "registry tables",
     R"sql(
CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  parent TEXT REFERENCES categories (id),
  root TEXT NOT NULL,
  kind INTEGER NOT NULL,
  data BLOB NOT NULL
);

CREATE TABLE supply_links (
  id TEXT PRIMARY KEY,
  input TEXT NOT NULL REFERENCES categories (id),
  output TEXT NOT NULL REFERENCES categories (id),
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX supply_links_pair ON supply_links (input, output);

CREATE TABLE clusters (
  id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  province TEXT NOT NULL,
  sector TEXT NOT NULL,
  sector_root TEXT NOT NULL,
  roles INTEGER NOT NULL,
  verification INTEGER NOT NULL,
  member_count INTEGER NOT NULL,
  parent TEXT,
  src_system TEXT,
  src_external_id TEXT,
  src_version INTEGER,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX clusters_source ON clusters (src_system, src_external_id);
CREATE INDEX clusters_region ON clusters (region, id);
CREATE INDEX clusters_province ON clusters (province, id);
CREATE INDEX clusters_parent ON clusters (parent);

CREATE TABLE enterprises (
  id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  province TEXT NOT NULL,
  scale INTEGER NOT NULL,
  nib TEXT,
  verification INTEGER NOT NULL,
  src_system TEXT,
  src_external_id TEXT,
  src_version INTEGER,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX enterprises_source
  ON enterprises (src_system, src_external_id);
CREATE INDEX enterprises_region ON enterprises (region, id);
CREATE INDEX enterprises_province ON enterprises (province, id);
CREATE INDEX enterprises_nib ON enterprises (nib);

CREATE TABLE enterprise_clusters (
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  cluster_id TEXT NOT NULL REFERENCES clusters (id),
  PRIMARY KEY (enterprise_id, cluster_id)
);
CREATE INDEX enterprise_clusters_cluster
  ON enterprise_clusters (cluster_id, enterprise_id);

CREATE TABLE enterprise_categories (
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  root TEXT NOT NULL,
  PRIMARY KEY (enterprise_id, category)
);
CREATE INDEX enterprise_categories_category
  ON enterprise_categories (category, enterprise_id);

-- One row per certification kind held; expire_day is the latest expiry
-- (days since 1970-01-01), NULL for a certificate that does not expire.
CREATE TABLE enterprise_certifications (
  enterprise_id TEXT NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  kind INTEGER NOT NULL,
  expire_day INTEGER,
  PRIMARY KEY (enterprise_id, kind)
);
CREATE INDEX enterprise_certifications_kind
  ON enterprise_certifications (kind, enterprise_id);

CREATE TABLE partners (
  id TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  province TEXT NOT NULL,
  kind INTEGER NOT NULL,
  verification INTEGER NOT NULL,
  src_system TEXT,
  src_external_id TEXT,
  src_version INTEGER,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX partners_source ON partners (src_system, src_external_id);
CREATE INDEX partners_region ON partners (region, id);
CREATE INDEX partners_province ON partners (province, id);

CREATE TABLE partner_categories (
  partner_id TEXT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  root TEXT NOT NULL,
  PRIMARY KEY (partner_id, category)
);
CREATE INDEX partner_categories_category
  ON partner_categories (category, partner_id);

-- owner is a resource name ("enterprises/..."); certifications is a bit set
-- of the required certification kinds (1 << kind).
CREATE TABLE listings (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  region TEXT NOT NULL,
  province TEXT NOT NULL,
  category TEXT NOT NULL,
  category_root TEXT NOT NULL,
  kind INTEGER NOT NULL,
  type INTEGER NOT NULL,
  status INTEGER NOT NULL,
  certifications INTEGER NOT NULL,
  verified INTEGER NOT NULL,
  src_system TEXT,
  src_external_id TEXT,
  src_version INTEGER,
  data BLOB NOT NULL
);
CREATE UNIQUE INDEX listings_source ON listings (src_system, src_external_id);
CREATE INDEX listings_owner ON listings (owner);
CREATE INDEX listings_region ON listings (region, id);
CREATE INDEX listings_province ON listings (province, id);
CREATE INDEX listings_category ON listings (category, id);

-- The clusters of a listing's owner (a cluster owner is its own cluster).
CREATE TABLE listing_clusters (
  listing_id TEXT NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
  cluster_id TEXT NOT NULL,
  PRIMARY KEY (listing_id, cluster_id)
);
CREATE INDEX listing_clusters_cluster
  ON listing_clusters (cluster_id, listing_id);

CREATE TABLE agreements (
  id TEXT PRIMARY KEY,
  status INTEGER NOT NULL,
  data BLOB NOT NULL
);

-- Parties as resource names ("regions/33.13", "partners/...").
CREATE TABLE agreement_parties (
  agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
  party TEXT NOT NULL,
  PRIMARY KEY (agreement_id, party)
);
CREATE INDEX agreement_parties_party
  ON agreement_parties (party, agreement_id);
)sql"},
    {2, "revision high-water mark",
     R"sql(
-- One row: at or above every revision a committed change used (see
-- revision_clock.h); 0 until the first write after this migration.
CREATE TABLE registry_revision_mark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO registry_revision_mark (id, revision) VALUES (1, 0);
)sql"},
};

}  // namespace

absl::Status MigrateRegistry(storage::Database& db) {
  return db.Migrate("registry", kMigrations);
}

}  // namespace jalin::registry
