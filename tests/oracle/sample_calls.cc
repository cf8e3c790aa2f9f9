#include "sample_calls.h"

#include <fstream>
#include <map>
#include <sstream>

namespace pgsieve::oracle {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) out.push_back(field);
  if (!line.empty() && line.back() == '\t') out.push_back("");
  return out;
}

// Splits "integer, text[]" style lists at top-level commas.
std::vector<std::string> SplitTypes(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  for (char c : s) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (!cur.empty()) out.push_back(cur);
  for (auto& t : out) {
    while (!t.empty() && t.front() == ' ') t.erase(t.begin());
  }
  return out;
}

std::string Quote(const std::string& ident) { return "\"" + ident + "\""; }

}  // namespace

std::vector<CatalogFunction> ReadCatalogFunctions(const std::string& path) {
  std::ifstream in(path);
  std::vector<CatalogFunction> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto c = SplitTabs(line);
    if (c.size() != 15) continue;
    CatalogFunction f;
    f.schema = c[0];
    f.name = c[1];
    f.identity_args = c[2];
    f.result = c[3];
    f.kind = c[4];
    f.volatility = c[5];
    f.nargs = std::stoi(c[8]);
    f.ndefaults = std::stoi(c[9]);
    f.variadic = c[10];
    f.arg_types = SplitTypes(c[11]);
    f.aggkind = c[13];
    f.extension = c[14];
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<CatalogOperator> ReadCatalogOperators(const std::string& path) {
  std::ifstream in(path);
  std::vector<CatalogOperator> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto c = SplitTabs(line);
    if (c.size() != 8) continue;
    out.push_back(CatalogOperator{c[0], c[1], c[2], c[3], c[6], c[7]});
  }
  return out;
}

std::optional<std::string> SampleValue(const std::string& type) {
  static const std::map<std::string, std::string> kSamples = {
      {"smallint", "2::smallint"}, {"integer", "2"}, {"bigint", "2::bigint"}, {"numeric", "2.5::numeric"},
      {"real", "2.5::real"}, {"double precision", "0.5::double precision"}, {"text", "'a'::text"},
      {"character varying", "'a'::varchar"}, {"character", "'a'::char"}, {"name", "'a'::name"},
      {"\"char\"", "'a'::\"char\""}, {"boolean", "true"}, {"date", "date '2024-01-02'"},
      {"timestamp without time zone", "timestamp '2024-01-02 03:04:05'"},
      {"timestamp with time zone", "timestamptz '2024-01-02 03:04:05+00'"},
      {"time without time zone", "time '03:04:05'"}, {"time with time zone", "timetz '03:04:05+00'"},
      {"interval", "interval '1 day'"}, {"json", "'{\"a\": [1, 2]}'::json"}, {"jsonb", "'{\"a\": [1, 2]}'::jsonb"},
      {"jsonpath", "'$.a'::jsonpath"}, {"xml", "'<a>1</a>'::xml"}, {"bytea", "'\\x0102'::bytea"},
      {"uuid", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid"}, {"inet", "'10.1.2.3/24'::inet"},
      {"cidr", "'10.1.2.0/24'::cidr"}, {"macaddr", "'08:00:2b:01:02:03'::macaddr"},
      {"macaddr8", "'08:00:2b:01:02:03:04:05'::macaddr8"}, {"point", "'(1,2)'::point"},
      {"box", "'((0,0),(1,1))'::box"}, {"lseg", "'[(0,0),(1,1)]'::lseg"}, {"line", "'{1,2,3}'::line"},
      {"path", "'((0,0),(1,1),(1,0))'::path"}, {"polygon", "'((0,0),(1,1),(1,0))'::polygon"},
      {"circle", "'<(0,0),1>'::circle"}, {"money", "'1.50'::money"}, {"bit", "B'101'::bit(3)"},
      {"bit varying", "B'101'::varbit"}, {"tsvector", "'a:1 b:2'::tsvector"}, {"tsquery", "'a & b'::tsquery"},
      {"regconfig", "'english'::regconfig"}, {"regdictionary", "'simple'::regdictionary"},
      {"int4range", "int4range(1, 5)"}, {"int8range", "int8range(1, 5)"}, {"numrange", "numrange(1, 5)"},
      {"daterange", "daterange('2024-01-01', '2024-02-01')"},
      {"tsrange", "tsrange('2024-01-01', '2024-02-01')"}, {"tstzrange", "tstzrange('2024-01-01', '2024-02-01')"},
      {"int4multirange", "'{[1,3)}'::int4multirange"}, {"int8multirange", "'{[1,3)}'::int8multirange"},
      {"nummultirange", "'{[1,3)}'::nummultirange"}, {"datemultirange", "'{[2024-01-01,2024-02-01)}'::datemultirange"},
      {"tsmultirange", "'{[2024-01-01,2024-02-01)}'::tsmultirange"},
      {"tstzmultirange", "'{[2024-01-01,2024-02-01)}'::tstzmultirange"}, {"oid", "1::oid"},
      {"regclass", "'pg_class'::regclass"}, {"regtype", "'int4'::regtype"}, {"regproc", "'now'::regproc"},
      {"regprocedure", "'now()'::regprocedure"}, {"regoper", "'!~'::regoper"},
      {"regoperator", "'+(int4,int4)'::regoperator"}, {"regnamespace", "'pg_catalog'::regnamespace"},
      {"regrole", "'postgres'::regrole"}, {"regcollation", "'\"C\"'::regcollation"}, {"tid", "'(0,1)'::tid"},
      {"xid", "'1'::xid"}, {"xid8", "'1'::xid8"}, {"cid", "'1'::cid"}, {"int2vector", "'1 2'::int2vector"},
      {"oidvector", "'1 2'::oidvector"}, {"pg_lsn", "'0/16'::pg_lsn"}, {"txid_snapshot", "'10:20:'::txid_snapshot"},
      {"pg_snapshot", "'10:20:'::pg_snapshot"}, {"aclitem", "'postgres=r/postgres'::aclitem"},
      {"refcursor", "'c'::refcursor"}, {"cstring", "'1'::cstring"}, {"unknown", "'a'"},
      {"anyelement", "2"}, {"anycompatible", "2"}, {"anynonarray", "2"}, {"anycompatiblenonarray", "2"},
      {"\"any\"", "2"}, {"anyarray", "ARRAY[1, 2]"}, {"anycompatiblearray", "ARRAY[1, 2]"},
      {"anyrange", "int4range(1, 5)"}, {"anycompatiblerange", "int4range(1, 5)"},
      {"anymultirange", "'{[1,3)}'::int4multirange"}, {"anycompatiblemultirange", "'{[1,3)}'::int4multirange"},
      {"anyenum", ""}, {"record", "ROW(1, 'a'::text)"},
      // extension packs
      {"citext", "'a'::citext"}, {"hstore", "'a=>1, b=>2'::hstore"}, {"ltree", "'a.b.c'::ltree"},
      {"lquery", "'a.*'::lquery"}, {"ltxtquery", "'a & b'::ltxtquery"}, {"cube", "'(1,2),(3,4)'::cube"},
      {"earth", "ll_to_earth(10, 20)"}, {"geometry", "'POINT(1 2)'::geometry"},
      {"geography", "'POINT(1 2)'::geography"}, {"box2d", "'BOX(0 0,1 1)'::box2d"},
      {"box3d", "'BOX3D(0 0 0,1 1 1)'::box3d"},
  };
  static const char* kUncallable[] = {"internal", "trigger", "event_trigger", "language_handler", "fdw_handler",
                                      "index_am_handler", "tsm_handler", "table_am_handler", "void",
                                      "pg_node_tree", "anyenum", "pg_ddl_command"};
  for (const char* u : kUncallable) {
    if (type == u) return std::nullopt;
  }
  auto it = kSamples.find(type);
  if (it != kSamples.end()) return it->second;
  if (type.size() > 2 && type.substr(type.size() - 2) == "[]") {
    auto element = SampleValue(type.substr(0, type.size() - 2));
    if (!element) return std::nullopt;
    return "ARRAY[" + *element + "]";
  }
  return "NULL::" + type;  // strict functions return NULL: still executed
}

std::optional<std::string> SampleCall(const CatalogFunction& f) {
  if (f.kind == "p") return std::nullopt;
  const int required = f.nargs - f.ndefaults;
  std::vector<std::string> args;
  for (int i = 0; i < required && i < static_cast<int>(f.arg_types.size()); ++i) {
    std::string type = f.arg_types[i];
    if (f.variadic != "-" && i == f.nargs - 1) type = f.variadic;  // one element of the variadic list
    auto v = SampleValue(type);
    if (!v) return std::nullopt;
    args.push_back(*v);
  }
  auto join = [](const std::vector<std::string>& v, size_t from, size_t to) {
    std::string s;
    for (size_t i = from; i < to && i < v.size(); ++i) s += (s.empty() ? "" : ", ") + v[i];
    return s;
  };
  const std::string fn = Quote(f.name);
  if (f.kind == "w") return "SELECT " + fn + "(" + join(args, 0, args.size()) + ") OVER ()";
  if (f.kind == "a" && (f.aggkind == "o" || f.aggkind == "h")) {
    if (args.empty()) return std::nullopt;
    if (f.aggkind == "h") {
      return "SELECT " + fn + "(" + join(args, 0, args.size()) + ") WITHIN GROUP (ORDER BY " +
             join(args, 0, args.size()) + ")";
    }
    return "SELECT " + fn + "(" + join(args, 0, args.size() - 1) + ") WITHIN GROUP (ORDER BY " + args.back() + ")";
  }
  return "SELECT " + fn + "(" + join(args, 0, args.size()) + ")";
}

std::optional<std::string> SampleOperatorCall(const CatalogOperator& op) {
  std::optional<std::string> right = SampleValue(op.right);
  if (!right) return std::nullopt;
  if (op.left == "-") return "SELECT OPERATOR(" + op.schema + "." + op.name + ") " + *right;
  std::optional<std::string> left = SampleValue(op.left);
  if (!left) return std::nullopt;
  if (op.schema == "pg_catalog") return "SELECT " + *left + " " + op.name + " " + *right;
  return "SELECT " + *left + " OPERATOR(" + op.schema + "." + op.name + ") " + *right;
}

}  // namespace pgsieve::oracle
