// The conformance oracle's two views of one parse, shared by
// tests/conformance_test.cc and fuzz/conformance_fuzzer.cc:
//  - JsonNodes: the nodes of libpg_query's JSON parse tree, as a multiset of
//    (kind, location), typed children (no wrapper in the JSON) counted by
//    their field's type in pg_query.proto;
//  - NodeRecorder: the same multiset of the nodes the raw-tree walker read.
// Iterative: fuzzed trees may be thousands of levels deep.
#ifndef PGSIEVE_TESTS_SUPPORT_JSON_NODES_H_
#define PGSIEVE_TESTS_SUPPORT_JSON_NODES_H_

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tree_walker.h"

namespace pgsieve::testing {

using NodeKey = std::pair<std::string, int>;  // kind, location (-1: the kind has none)
using NodeBag = std::map<NodeKey, int>;

// One node of a JSON tree: its kind and its body ({field: value}).
struct JsonNode {
  std::string kind;  // "<malformed wrapper>" for an object that is not {"Kind": body}
  const nlohmann::json* body;
};

// Every node under `root`, in no particular order. `type` null: `root` is a
// wrapper ({"Kind": body}); non-null: `root` is a body of that kind (a typed
// child).
std::vector<JsonNode> AllNodes(const nlohmann::json& root, const char* type = nullptr);

// The nodes of every statement of a parse tree ({"stmts": [RawStmt...]}).
NodeBag JsonNodes(const nlohmann::json& tree);

// Is `kind` a pg_query.proto node kind?
bool IsNodeKind(std::string_view kind);

// What the walker read: entered nodes by (kind, location), refused ones by kind.
class NodeRecorder : public internal::NodeObserver {
 public:
  void OnNode(NodeTag tag, int location, bool entered) override;
  const NodeBag& entered() const { return entered_; }
  const std::map<std::string, int>& not_entered() const { return not_entered_; }

 private:
  NodeBag entered_;
  std::map<std::string, int> not_entered_;
};

}  // namespace pgsieve::testing

#endif  // PGSIEVE_TESTS_SUPPORT_JSON_NODES_H_
