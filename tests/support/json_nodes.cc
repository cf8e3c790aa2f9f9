#include "json_nodes.h"

#include <set>

#include "pg_nodes.h"

namespace pgsieve::testing {
namespace {

#include "proto_fields.inc"

// pg_query.proto's view: typed child fields, node kinds, kinds with a location.
class ProtoView {
 public:
  ProtoView() {
    for (const auto& f : kProtoTypedFields) typed_[{f.message, f.field}] = f.type;
    for (const char* k : kAllNodeKinds) kinds_.insert(k);
    for (const char* k : kKindsWithLocation) with_location_.insert(k);
  }
  const char* TypedField(std::string_view message, std::string_view field) const {
    auto it = typed_.find({std::string(message), std::string(field)});
    return it == typed_.end() ? nullptr : it->second;
  }
  bool IsKind(std::string_view k) const { return kinds_.count(std::string(k)) > 0; }
  bool HasLocation(std::string_view k) const { return with_location_.count(std::string(k)) > 0; }

 private:
  std::map<std::pair<std::string, std::string>, const char*> typed_;
  std::set<std::string> kinds_;
  std::set<std::string> with_location_;
};

const ProtoView& Proto() {
  static const ProtoView view;
  return view;
}

}  // namespace

std::vector<JsonNode> AllNodes(const nlohmann::json& root, const char* type) {
  std::vector<JsonNode> out;
  struct Item {
    const nlohmann::json* value;
    const char* type;  // non-null: a typed child of this kind; null: a wrapper
  };
  std::vector<Item> stack{{&root, type}};
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    const nlohmann::json& v = *item.value;
    if (!v.is_object()) continue;
    if (item.type == nullptr && v.empty()) continue;  // {} in a list: a null element (a typed {} is a node)
    std::string kind;
    const nlohmann::json* body;
    if (item.type != nullptr) {
      kind = item.type;
      body = &v;
    } else {
      if (v.size() != 1) {
        out.push_back({"<malformed wrapper>", &v});
        continue;
      }
      kind = v.begin().key();
      body = &v.begin().value();
    }
    out.push_back({kind, body});
    if (!body->is_object()) continue;
    for (auto it = body->begin(); it != body->end(); ++it) {
      const char* field_type = Proto().TypedField(kind, it.key());
      if (it.value().is_object()) {
        stack.push_back({&it.value(), field_type});
      } else if (it.value().is_array()) {
        for (const auto& e : it.value()) stack.push_back({&e, field_type});
      }
    }
  }
  return out;
}

NodeBag JsonNodes(const nlohmann::json& tree) {
  NodeBag bag;
  auto stmts = tree.find("stmts");
  if (stmts == tree.end() || !stmts->is_array()) return bag;
  for (const auto& stmt : *stmts) {
    // "stmts" is a repeated RawStmt: typed, no wrapper.
    for (const JsonNode& n : AllNodes(stmt, "RawStmt")) {
      int location = -1;
      if (Proto().HasLocation(n.kind)) {
        auto loc = n.body->find("location");
        location = loc != n.body->end() && loc->is_number_integer() ? loc->get<int>() : 0;
      }
      ++bag[{n.kind, location}];
    }
  }
  return bag;
}

bool IsNodeKind(std::string_view kind) { return Proto().IsKind(kind); }

void NodeRecorder::OnNode(NodeTag tag, int location, bool entered) {
  const char* name = internal::NodeKindName(tag);
  std::string kind = name != nullptr ? std::string(name) : std::string("?");
  if (name == nullptr) kind.append(std::to_string(static_cast<int>(tag)));
  if (entered) {
    ++entered_[{kind, location}];
  } else {
    ++not_entered_[kind];
  }
}

}  // namespace pgsieve::testing
