// rewrite_fuzzer: structure-aware. The input drives a generator
// (FuzzedDataProvider) of SELECT statements from the allowed grammar: WITH
// (RECURSIVE), set operations with parenthesised branches, subqueries in FROM,
// WHERE and LIMIT, VALUES and TABLE, every LIMIT / OFFSET / FETCH form, odd
// literals, comments and white space between any two tokens, a trailing ';'
// or comment. The row cap is picked by the input too (0 to 2^53).
//
// Beyond the invariants every verdict meets (fuzz_support.h), the rewrite must
// not change what the statement returns, only how many rows; checked on
// libpg_query's JSON trees, locations aside:
//   keep   the statement's own constant LIMIT <= cap: tree and text unchanged;
//   limit  the trees differ only in the top-level count, which is the cap
//          (LIMIT appended, or the constant's token replaced);
//   wrap   SELECT * FROM (<the original tree, intact>) AS pgsieve_capped LIMIT cap.
// Which of these is due is decided from the original's JSON tree, not by the
// rewriter's code; the text is checked too (appended, spliced, wrapped byte
// for byte as README documents).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "fuzz_support.h"
#include "FuzzedDataProvider.h"  // copied into the build dir from Debian libclang-rt-14-dev (fuzz/meson.build)

namespace {

using nlohmann::json;
using pgsieve::fuzz::Escape;

// The generator reads at most a few hundred decisions; a longer input would
// only repeat them. Keep in rewrite_fuzzer.options.
constexpr size_t kMaxInput = 4096;

// ---------------------------------------------------------------- generator

// Concatenation whose parts are evaluated left to right (a braced list is;
// operands of + are not), so an input means the same statement whichever
// compiler built the target.
std::string J(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& p : parts) out += p;
  return out;
}

class SqlGen {
 public:
  SqlGen(FuzzedDataProvider& p, int64_t cap) : p_(p), cap_(cap) {}

  // The statement's own text (what pgsieve keeps byte for byte) and what
  // follows it (white space, comments, ';' and after).
  std::pair<std::string, std::string> Statement() {
    std::string body = Lead();
    switch (Pick(6)) {
      case 0:
      case 1:
      case 2: body += Query(0); break;
      case 3: body += J({"(", Sp(), Query(1), Sp(), ")", Limit(true)}); break;
      case 4: body += J({"EXPLAIN", Sp(), OneOf({"", "(VERBOSE)", "(COSTS false)", "(ANALYZE false)"}), Sp(), Query(0)}); break;
      case 5: body += J({OneOf({"VALUES (1), (2)", "TABLE orders", "VALUES (1, 'a')"}), Limit(false)}); break;
    }
    std::string trail = Trail();
    return {body, trail};
  }

 private:
  int Pick(int n) { return p_.ConsumeIntegralInRange<int>(0, n - 1); }
  bool Maybe() { return budget_ > 0 && p_.ConsumeBool(); }
  std::string OneOf(std::initializer_list<const char*> options) {
    const int i = Pick(static_cast<int>(options.size()));
    return *(options.begin() + i);
  }

  // Between two tokens: usually one space, sometimes what the lexer skips.
  std::string Sp() {
    if (!p_.ConsumeBool()) return " ";
    return OneOf({" ", "\n", "\t", "  ", "/**/", " /* c */ ", "/* a /* nested */ b */", "--c\n", "\r\n", "\f",
                  " -- LIMIT 5\n", "/* LIMIT 1; */", "\n\n"});
  }
  std::string Lead() { return p_.ConsumeBool() ? "" : OneOf({" ", "\n", "/* lead */ ", "-- lead\n", "\t"}); }
  std::string Trail() {
    return OneOf({"", ";", " ;", "; -- after", ";\n", " -- trailing", " /* t */", "\n\n", ";;", "  \t",
                  "; select 2", "\n-- end"});
  }

  std::string Number() {
    const int64_t c = cap_;
    switch (Pick(18)) {
      case 0: return "5";
      case 1: return "0";
      case 2: return "1";
      case 3: return std::to_string(c > 0 ? c - 1 : 0);
      case 4: return std::to_string(c);
      case 5: return std::to_string(c + 1);
      case 6: return std::to_string(c * 2 + 7);
      case 7: return "2147483647";
      case 8: return "2147483648";
      case 9: return "9223372036854775807";
      case 10: return "99999999999999999999";
      case 11: return std::to_string(c) + ".5";
      case 12: return std::to_string(c) + ".49";
      case 13: return OneOf({"1e3", "1E+2", "2.5e1", "1e400", "5e-1"});
      case 14: return OneOf({".5", "5.", "0001", "00", "0.0"});
      case 15: return std::to_string(p_.ConsumeIntegral<uint32_t>());
      case 16: return std::to_string(c) + ".0";
      default: return std::to_string(p_.ConsumeIntegralInRange<int64_t>(0, INT64_C(1) << 54));
    }
  }

  // A LIMIT/OFFSET/FETCH clause (or none), with its leading space.
  std::string Limit(bool ordered) {
    const std::string n = Number();
    const std::string s = Sp();
    switch (Pick(26)) {
      case 0: return "";
      case 1: return J({s, "LIMIT", Sp(), n});
      case 2: return J({s, "LIMIT", Sp(), n, Sp(), "OFFSET", Sp(), "3"});
      case 3: return J({s, "OFFSET", Sp(), "2", Sp(), "LIMIT", Sp(), n});
      case 4: return J({s, "OFFSET", Sp(), n});
      case 5: return J({s, "OFFSET", Sp(), "4", Sp(), "ROWS"});
      case 6: return J({s, "FETCH FIRST", Sp(), n, Sp(), "ROWS ONLY"});
      case 7: return J({s, "FETCH NEXT", Sp(), n, Sp(), "ROW ONLY"});
      case 8: return s + "FETCH FIRST ROWS ONLY";
      case 9: return J({s, "OFFSET 1 ROWS FETCH FIRST", Sp(), n, Sp(), "ROWS ONLY"});
      case 10: return J({ordered ? "" : " ORDER BY 1", s, "FETCH FIRST", Sp(), n, Sp(), "ROWS WITH TIES"});
      case 11: return s + "LIMIT ALL";
      case 12: return s + "LIMIT NULL";
      case 13: return s + "LIMIT $1";
      case 14: return s + "LIMIT (" + n + ")";
      case 15: return s + "LIMIT " + n + "::int";
      case 16: return s + "LIMIT " + n + " + 0";
      case 17: return s + "LIMIT '" + n + "'";
      case 18: return J({s, "LIMIT -", Sp(), n});
      case 19: return s + "LIMIT (SELECT " + n + ")";
      case 20: return s + "LIMIT CAST(" + n + " AS bigint)";
      case 21: return s + "FETCH FIRST (" + n + ") ROWS ONLY";
      case 22: return s + "FETCH FIRST +" + n + " ROWS ONLY";
      case 23: return s + "FETCH FIRST -" + n + " ROWS ONLY";
      case 24: return J({s, "FOR READ ONLY", Sp(), "LIMIT ", n});
      default: return J({s, "LIMIT ", n, Sp(), "FOR READ ONLY"});
    }
  }

  std::string Table() {
    if (!ctes_.empty() && p_.ConsumeBool()) return ctes_[Pick(static_cast<int>(ctes_.size()))];
    return OneOf({"orders", "customers", "public.orders", "items", "\"Orders\"", "app.orders", "db.public.items"});
  }
  std::string Column() { return OneOf({"id", "total", "o.id", "name", "\"select\"", "\"we\"\"ird\"", "x", "t.total"}); }

  std::string Literal() {
    switch (Pick(14)) {
      case 0: return "1";
      case 1: return Number();
      case 2: return "'text'";
      case 3: return "E'esc\\n\\''";
      case 4: return "$$dollar ; -- $$";
      case 5: return "$q$LIMIT 5$q$";
      case 6: return "U&'\\0041'";
      case 7: return "NULL";
      case 8: return "TRUE";
      case 9: return "'--'";
      case 10: return "B'101'";
      case 11: return "'a''b'";
      case 12: return "$1";
      default: return "CURRENT_DATE";
    }
  }

  std::string Expr(int depth) {
    --budget_;
    if (depth > 4 || budget_ <= 0) return p_.ConsumeBool() ? Column() : Literal();
    const int d = depth + 1;
    switch (Pick(20)) {
      case 0: return Literal();
      case 1: return Column();
      case 2: return J({Expr(d), Sp(), OneOf({"+", "-", "*", "=", "<>", "<", "AND", "OR", "||", "LIKE"}), Sp(), Expr(d)});
      case 3: return J({"NOT", Sp(), Expr(d)});
      case 4: return J({"(", Sp(), Expr(d), Sp(), ")"});
      case 5: return J({OneOf({"lower", "upper", "abs", "length", "md5"}), "(", Expr(d), ")"});
      case 6: return OneOf({"count(*)", "sum(total)", "max(id)", "now()", "count(DISTINCT id)"});
      case 7: return J({"CASE WHEN", Sp(), Expr(d), " THEN ", Expr(d), " ELSE ", Expr(d), " END"});
      case 8: return J({Expr(d), "::", OneOf({"int", "text", "numeric(10,2)", "bigint[]"})});
      case 9: return J({"CAST(", Expr(d), " AS text)"});
      case 10: return J({"EXISTS", Sp(), "(", Query(d), ")"});
      case 11: return J({"(", Query(d), ")"});
      case 12: return J({Expr(d), " IN (", Expr(d), ", ", Expr(d), ")"});
      case 13: return J({Expr(d), " IN (", Query(d), ")"});
      case 14: return J({Expr(d), " BETWEEN ", Expr(d), " AND ", Expr(d)});
      case 15: return J({Expr(d), " IS", OneOf({" ", " NOT "}), "NULL"});
      case 16: return J({"ARRAY[", Expr(d), ", ", Expr(d), "]"});
      case 17: return J({"COALESCE(", Expr(d), ", ", Expr(d), ")"});
      case 18: return J({"sum(", Column(), ") OVER (", OneOf({"", "PARTITION BY id", "ORDER BY id"}), ")"});
      default: return J({"-", Expr(d)});
    }
  }

  std::string FromItem(int depth) {
    --budget_;
    const std::string alias = OneOf({"", " t", " AS o", " x(a)"});
    if (depth > 3 || budget_ <= 0) return Table() + alias;
    const int d = depth + 1;
    switch (Pick(8)) {
      case 0: return Table() + alias;
      case 1: return J({"(", Sp(), Query(d), Sp(), ") AS s"});
      case 2: return J({"LATERAL (", Query(d), ") l"});
      case 3: return OneOf({"generate_series(1, 10) g", "unnest(ARRAY[1,2]) u", "ROWS FROM (generate_series(1, 3)) r"});
      case 4: return J({FromItem(d), Sp(), OneOf({"JOIN", "LEFT JOIN", "CROSS JOIN", "NATURAL JOIN"}), Sp(), FromItem(d),
                        OneOf({"", " ON true", " USING (id)"})});
      case 5: return J({Table(), " TABLESAMPLE ", OneOf({"SYSTEM (10)", "BERNOULLI (1) REPEATABLE (2)"})});
      case 6: return J({FromItem(d), ", ", FromItem(d)});
      default: return Table() + alias;
    }
  }

  std::string Simple(int depth) {
    const int d = depth + 1;
    std::string s = J({"SELECT", Sp(), OneOf({"", "DISTINCT ", "ALL ", "DISTINCT ON (id) "})});
    if (p_.ConsumeBool()) {
      s += "*";
    } else {
      s += Expr(d);
      while (Maybe()) s += J({",", Sp(), Expr(d), OneOf({"", " AS a", " b", " AS \"limit\""})});
    }
    if (p_.ConsumeBool()) s += J({Sp(), "FROM", Sp(), FromItem(depth)});
    if (Maybe()) s += J({Sp(), "WHERE", Sp(), Expr(d)});
    if (Maybe()) s += J({Sp(), "GROUP BY ", OneOf({"1", "id", "ROLLUP (id, total)", "GROUPING SETS ((id), ())"})});
    if (Maybe()) s += J({Sp(), "HAVING", Sp(), Expr(d)});
    if (Maybe()) s += Sp() + "WINDOW w AS (ORDER BY id)";
    return s;
  }

  // A set operation's branch: no ORDER BY / LIMIT unless parenthesised.
  std::string Operand(int depth) {
    switch (Pick(4)) {
      case 0: return Simple(depth);
      case 1: return J({"(", Sp(), Query(depth + 1), Sp(), ")"});
      case 2: return "VALUES (1, 'a'), (2, 'b')";
      default: return "TABLE " + Table();
    }
  }

  std::string Query(int depth) {
    --budget_;
    std::string s;
    const size_t saved_ctes = ctes_.size();
    if (depth < 3 && Maybe()) {
      const bool recursive = p_.ConsumeBool();
      s += J({"WITH", Sp(), recursive ? "RECURSIVE " : ""});
      const int n = 1 + Pick(2);
      for (int i = 0; i < n; ++i) {
        const std::string name = J({"c", std::to_string(ctes_.size() + 1)});
        if (i > 0) s += J({",", Sp()});
        if (recursive && p_.ConsumeBool()) {
          s += J({name, "(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM ", name, " WHERE n < ", Number(), ")"});
        } else {
          s += J({name, OneOf({"", " (a)"}), " AS ", OneOf({"", "MATERIALIZED ", "NOT MATERIALIZED "}), "(",
                  Query(depth + 1), ")"});
        }
        ctes_.push_back(name);
      }
      s += Sp();
    }
    bool ordered = false;
    if (depth < 4 && Maybe() && budget_ > 0) {
      s += Operand(depth);
      do {
        s += J({Sp(), OneOf({"UNION", "UNION ALL", "INTERSECT", "EXCEPT", "EXCEPT ALL", "UNION DISTINCT"}), Sp(),
                Operand(depth)});
      } while (Maybe());
    } else {
      s += Simple(depth);
    }
    if (p_.ConsumeBool()) {
      s += J({Sp(), "ORDER BY", Sp(), OneOf({"1", "id DESC", "1 NULLS FIRST", "total USING <", "2, 1"})});
      ordered = true;
    }
    s += Limit(ordered);
    ctes_.resize(saved_ctes);
    return s;
  }

  FuzzedDataProvider& p_;
  const int64_t cap_;
  int budget_ = 40;
  std::vector<std::string> ctes_;
};

// ---------------------------------------------------------------- policies and statistics

struct Capped {
  pgsieve::Firewall firewall;
  pgsieve::fuzz::Oracle oracle;
};

const Capped& For(int64_t cap, bool standard_strings) {
  static std::map<std::pair<int64_t, bool>, std::unique_ptr<Capped>> cache;
  auto& slot = cache[{cap, standard_strings}];
  if (!slot) {
    pgsieve::Policy p;
    p.max_rows = cap;
    p.standard_conforming_strings = standard_strings;
    auto fw = pgsieve::Firewall::Create(p);
    if (!fw.ok()) __builtin_trap();
    slot = std::make_unique<Capped>(Capped{std::move(fw).value(), pgsieve::fuzz::Oracle(p)});
  }
  return *slot;
}

// PGSIEVE_FUZZ_STATS=1: what the generator produced, with the first example
// of each outcome, printed at exit (to tune the generator).
struct Outcome {
  long count = 0;
  std::string example;
};
std::map<std::string, Outcome>& Stats() {
  static auto* stats = [] {
    auto* s = new std::map<std::string, Outcome>;
    if (std::getenv("PGSIEVE_FUZZ_STATS") != nullptr) {
      std::atexit([] {
        for (const auto& [k, o] : Stats()) {
          std::fprintf(stderr, "%8ld %-28s e.g. \"%s\"\n", o.count, k.c_str(), Escape(o.example, 160).c_str());
        }
      });
    }
    return s;
  }();
  return *stats;
}

int Count(const std::string& outcome, const std::string& sql) {
  Outcome& o = Stats()[outcome];
  if (o.count++ == 0) o.example = sql;
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return -1;
  FuzzedDataProvider p(data, size);
  static constexpr int64_t kCaps[] = {1000, 0, 1, 3, 10, 100, 1000000, 2147483647, 2147483648, INT64_C(1) << 53};
  const int64_t cap = p.PickValueInArray(kCaps);
  const bool standard_strings = p.ConsumeBool();
  SqlGen gen(p, cap);
  const auto [statement, trail] = gen.Statement();
  const std::string sql = statement + trail;
  pgsieve::fuzz::SetInput(sql);

  const Capped& c = For(cap, standard_strings);
  const pgsieve::Verdict v = c.firewall.Check(sql);
  pgsieve::fuzz::CheckVerdict(c.firewall, c.oracle, sql, v);
  if (!v.allowed()) {
    Count("reject " + v.violations[0].code, sql);
    return 0;
  }

  return Count(pgsieve::fuzz::CheckRewrite(v, statement, trail, cap), sql);
}
