#include "connectors/postgres/pg_catalog.hpp"

#include <charconv>

namespace pond::connectors::postgres {
namespace {

// $1 schema or NULL, $2 relation name or NULL (then the system schemas are left out).
constexpr const char* kRelationsSql = R"(
SELECT n.nspname, c.relname, c.relkind,
       CASE WHEN $2::text IS NULL THEN c.relpages::bigint
            ELSE pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::bigint END,
       c.reltuples, a.attname, a.atttypid, a.atttypmod, pg_catalog.format_type(a.atttypid, a.atttypmod)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
  AND ($1::text IS NULL OR n.nspname = $1::text)
  AND ($2::text IS NULL OR c.relname = $2::text)
  AND ($2::text IS NOT NULL OR (n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'))
ORDER BY n.nspname, c.relname, a.attnum)";

constexpr const char* kTypesSql = R"(
SELECT t.oid, t.typtype, t.typcategory, t.typbasetype, t.typtypmod, t.typelem
FROM pg_catalog.pg_type t WHERE t.oid = ANY($1::oid[]))";

template <typename T>
T number(std::string_view text) {
  T value{};
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct RawColumn {
  std::string name;
  uint32_t oid;
  int32_t typmod;
  std::string remote_type;
};

std::vector<PgRelation> read_relations(PgConnection& connection, const std::optional<std::string>& schema,
                                       const std::optional<std::string>& name) {
  PgResult rows = connection.exec(kRelationsSql, {schema, name}, "cannot read the catalog");
  std::vector<PgRelation> relations;
  std::vector<std::vector<RawColumn>> raw;
  std::vector<uint32_t> oids;
  for (int r = 0; r < rows.rows(); ++r) {
    std::string_view nspname = rows.value(r, 0);
    std::string_view relname = rows.value(r, 1);
    if (relations.empty() || relations.back().schema != nspname || relations.back().name != relname) {
      PgRelation relation;
      relation.schema = nspname;
      relation.name = relname;
      relation.relkind = rows.value(r, 2).empty() ? 'r' : rows.value(r, 2)[0];
      relation.pages = number<uint64_t>(rows.value(r, 3));
      relation.reltuples = number<double>(rows.value(r, 4));
      relations.push_back(std::move(relation));
      raw.emplace_back();
    }
    if (rows.is_null(r, 5)) continue;  // a relation without columns
    uint32_t oid = number<uint32_t>(rows.value(r, 6));
    raw.back().push_back(RawColumn{std::string(rows.value(r, 5)), oid, number<int32_t>(rows.value(r, 7)),
                                   std::string(rows.value(r, 8))});
    oids.push_back(oid);
  }
  PgTypeDirectory directory;
  load_types(connection, oids, directory);
  for (size_t i = 0; i < relations.size(); ++i) {
    for (RawColumn& c : raw[i]) {
      relations[i].columns.push_back(
          PgColumn{std::move(c.name), map_type(c.oid, c.typmod, directory), std::move(c.remote_type)});
    }
  }
  return relations;
}

}  // namespace

std::vector<PgRelation> load_relations(PgConnection& connection, const std::optional<std::string>& schema) {
  return read_relations(connection, schema, std::nullopt);
}

std::optional<PgRelation> load_relation(PgConnection& connection, const std::string& schema, const std::string& name) {
  std::vector<PgRelation> found = read_relations(connection, schema, name);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

void load_types(PgConnection& connection, const std::vector<uint32_t>& oids, PgTypeDirectory& directory) {
  std::set<uint32_t> asked;
  for (int round = 0; round < 4; ++round) {
    std::set<uint32_t> missing;
    for (uint32_t oid : oids) {
      for (uint32_t m : missing_types(oid, directory)) {
        if (!asked.contains(m)) missing.insert(m);
      }
    }
    if (missing.empty()) return;
    std::string array = "{";
    for (uint32_t oid : missing) {
      if (array.size() > 1) array += ',';
      array += std::to_string(oid);
      asked.insert(oid);
    }
    array += '}';
    PgResult rows = connection.exec(kTypesSql, {array}, "cannot read pg_type");
    for (int r = 0; r < rows.rows(); ++r) {
      PgTypeRow row;
      row.oid = number<uint32_t>(rows.value(r, 0));
      row.typtype = rows.value(r, 1).empty() ? 'b' : rows.value(r, 1)[0];
      row.category = rows.value(r, 2).empty() ? 'U' : rows.value(r, 2)[0];
      row.basetype = number<uint32_t>(rows.value(r, 3));
      row.basetypmod = number<int32_t>(rows.value(r, 4));
      row.element = number<uint32_t>(rows.value(r, 5));
      directory[row.oid] = row;
    }
  }
}

}  // namespace pond::connectors::postgres
