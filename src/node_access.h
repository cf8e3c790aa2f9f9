// Small read-only helpers over raw parse nodes. Each checks the tag before it
// reads a field, so they are safe on any node pointer the parser produced.
#ifndef PGSIEVE_SRC_NODE_ACCESS_H_
#define PGSIEVE_SRC_NODE_ACCESS_H_

#include <optional>
#include <string_view>

#include "pg_nodes.h"

namespace pgsieve::internal {

inline int ListLength(const List* list) { return list == nullptr ? 0 : list->length; }

// REQUIRES: list is a pointer list (T_List) and 0 <= i < ListLength(list).
inline const Node* ListItem(const List* list, int i) {
  return static_cast<const Node*>(list->elements[i].ptr_value);
}

inline bool IsPointerList(const List* list) { return list == nullptr || list->type == T_List; }

// The NUL-terminated text of a String node; null for anything else.
inline const char* StringChars(const Node* node) {
  if (node == nullptr || nodeTag(node) != T_String) return nullptr;
  return reinterpret_cast<const String*>(node)->sval;
}

// The text of a one-element name list ("=", "count"), or null.
inline const char* OnlyString(const List* names) {
  if (names == nullptr || names->type != T_List || names->length != 1) return nullptr;
  return StringChars(ListItem(names, 0));
}

// The text of a String node; nullopt for anything else.
inline std::optional<std::string_view> StringValue(const Node* node) {
  if (node == nullptr || nodeTag(node) != T_String) return std::nullopt;
  const char* s = reinterpret_cast<const String*>(node)->sval;
  return s == nullptr ? std::string_view() : std::string_view(s);
}

// Names of a qualified-name list (funcname, operator name, type name): the
// last element and the one before it ("schema"); empty schema when there is
// none. False when an element is not a String.
struct QualifiedNameParts {
  std::string_view schema;
  std::string_view name;
};
inline std::optional<QualifiedNameParts> NameParts(const List* names) {
  const int n = ListLength(names);
  if (n == 0 || !IsPointerList(names)) return std::nullopt;
  QualifiedNameParts parts;
  auto last = StringValue(ListItem(names, n - 1));
  if (!last) return std::nullopt;
  parts.name = *last;
  if (n >= 2) {
    auto schema = StringValue(ListItem(names, n - 2));
    if (!schema) return std::nullopt;
    parts.schema = *schema;
  }
  return parts;
}

// The non-null constant under at most a few casts ('x'::text, 5::bigint).
inline const A_Const* ConstantUnderCasts(const Node* node) {
  for (int hops = 0; node != nullptr && hops < 4; ++hops) {
    if (nodeTag(node) == T_TypeCast) {
      node = reinterpret_cast<const TypeCast*>(node)->arg;
      continue;
    }
    if (nodeTag(node) != T_A_Const) return nullptr;
    const auto* c = reinterpret_cast<const A_Const*>(node);
    return c->isnull ? nullptr : c;
  }
  return nullptr;
}

// A numeric literal (A_Const integer or numeric, possibly under a cast).
inline std::optional<long double> NumericConstant(const Node* node) {
  const A_Const* c = ConstantUnderCasts(node);
  if (c == nullptr) return std::nullopt;
  if (nodeTag(&c->val.node) == T_Integer) return static_cast<long double>(c->val.ival.ival);
  if (nodeTag(&c->val.node) == T_Float && c->val.fval.fval != nullptr) {
    char* end = nullptr;
    const long double v = std::strtold(c->val.fval.fval, &end);
    if (end == c->val.fval.fval) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

// A string literal (A_Const string, possibly under a cast).
inline std::optional<std::string_view> StringConstant(const Node* node) {
  const A_Const* c = ConstantUnderCasts(node);
  if (c == nullptr || nodeTag(&c->val.node) != T_String) return std::nullopt;
  return c->val.sval.sval == nullptr ? std::string_view() : std::string_view(c->val.sval.sval);
}

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_NODE_ACCESS_H_
