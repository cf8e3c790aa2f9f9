// The one gateway to PostgreSQL's node structs and libpg_query's raw parser.
//
// Only the files that read the raw parse tree include this header. It pulls in
// PostgreSQL 15's server headers (Debian postgresql-server-dev-15), which
// redefine printf & co. as macros; standard headers are included first and the
// macros are removed afterwards so the rest of the file is ordinary C++.
//
// Rules for code that includes this (see ../shared/notes/raw-tree.md):
//  - read node structs and use pg_list.h's inline accessors only;
//  - never call a PostgreSQL function that touches globals (palloc, elog,
//    PG_TRY, MemoryContextSwitchTo): libpg_query keeps them per thread, these
//    headers declare them global. The one place that must (the parser call)
//    is parser_call.c, which includes none of these headers and declares the
//    thread-local state itself;
//  - read a node's tag before its fields, and the fields of allowed kinds only;
//  - SelectStmt.limitOption uses libpg_query's numbering (kLimitOption* below),
//    not the server header's enum.
#ifndef PGSIEVE_SRC_PG_NODES_H_
#define PGSIEVE_SRC_PG_NODES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

extern "C" {
#include "postgres.h"
#include <pg_query.h>
#include <pg_query/pg_query_internal.h>
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"
}

#undef printf
#undef fprintf
#undef sprintf
#undef snprintf
#undef vsnprintf
#undef vfprintf
#undef vsprintf
#undef vprintf
#undef strerror
#undef gettext
#undef dgettext
#undef ngettext
#undef dngettext
#undef _

namespace pgsieve::internal {

// libpg_query 15-4.0.0's LimitOption numbering (its own enum; the server
// header orders the values differently). Verified at start-up by SelfCheck().
inline constexpr int kLimitOptionDefault = 0;
inline constexpr int kLimitOptionCount = 1;
inline constexpr int kLimitOptionWithTies = 2;

#include "walk_tables.inc"

}  // namespace pgsieve::internal

#endif  // PGSIEVE_SRC_PG_NODES_H_
