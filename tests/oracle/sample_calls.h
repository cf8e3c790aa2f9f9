// Builds a call of every function overload of grammar/catalog/functions.tsv
// with sample arguments of its argument types, for the oracle to execute.
#ifndef PGSIEVE_TESTS_ORACLE_SAMPLE_CALLS_H_
#define PGSIEVE_TESTS_ORACLE_SAMPLE_CALLS_H_

#include <optional>
#include <string>
#include <vector>

namespace pgsieve::oracle {

struct CatalogFunction {
  std::string schema, name, identity_args, result, kind, volatility, variadic, aggkind, extension;
  int nargs = 0, ndefaults = 0;
  std::vector<std::string> arg_types;
};

std::vector<CatalogFunction> ReadCatalogFunctions(const std::string& path);

struct CatalogOperator {
  std::string schema, name, left, right, function, extension;
};
std::vector<CatalogOperator> ReadCatalogOperators(const std::string& path);

// A literal of `type` (as format_type prints it); nullopt for types no call
// can be built with (internal, trigger, ...).
std::optional<std::string> SampleValue(const std::string& type);

// `SELECT "name"(args)` in the form the function's kind needs (aggregate,
// ordered-set aggregate, window function); nullopt when it cannot be built.
std::optional<std::string> SampleCall(const CatalogFunction& f);

// `SELECT left OP right` (or the prefix form); nullopt when it cannot be built.
std::optional<std::string> SampleOperatorCall(const CatalogOperator& op);

}  // namespace pgsieve::oracle

#endif  // PGSIEVE_TESTS_ORACLE_SAMPLE_CALLS_H_
