// The parse tree's bump memory context (src/parse_arena.h), driven through the
// MemoryContextMethods table exactly as palloc, repalloc, pfree,
// MemoryContextReset and MemoryContextStats drive it.
#include "parse_arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "postgres.h"
#include "nodes/memnodes.h"
#include "utils/memutils.h"
}
#undef snprintf
#undef printf


namespace {

// One context for a test, deleted at the end.
class Arena {
 public:
  Arena() : context_(pgsieve_parse_arena_create(nullptr, "test arena")) {}
  ~Arena() { context_->methods->delete_context(context_); }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  MemoryContext context() const { return context_; }
  void* Alloc(Size size) { return context_->methods->alloc(context_, size); }
  void* Realloc(void* p, Size size) { return context_->methods->realloc(context_, p, size); }
  void Free(void* p) { context_->methods->free_p(context_, p); }
  void Reset() { context_->methods->reset(context_); }
  bool IsEmpty() const { return context_->methods->is_empty(context_); }
  MemoryContextCounters Totals() const {
    MemoryContextCounters totals{};
    context_->methods->stats(context_, nullptr, nullptr, &totals, false);
    return totals;
  }

 private:
  MemoryContext context_;
};

void Fill(void* p, Size size, unsigned char seed) {
  auto* bytes = static_cast<unsigned char*>(p);
  for (Size i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(seed + i * 7);
}

bool Holds(const void* p, Size size, unsigned char seed) {
  const auto* bytes = static_cast<const unsigned char*>(p);
  for (Size i = 0; i < size; ++i) {
    if (bytes[i] != static_cast<unsigned char>(seed + i * 7)) return false;
  }
  return true;
}

TEST(ParseArenaTest, ChunksAreAlignedOwnedAndDisjoint) {
  Arena arena;
  ASSERT_NE(arena.context(), nullptr);
  EXPECT_TRUE(arena.IsEmpty());
  // Sizes around the alignment, the own-block threshold and the first block.
  const std::vector<Size> sizes = {1, 7, 8, 9, 15, 16, 17, 100, 1000, 8191, 8192, 8200, 20000, 70000, 3, 24};
  std::vector<std::pair<void*, Size>> chunks;
  for (int round = 0; round < 40; ++round) {
    for (Size size : sizes) {
      void* p = arena.Alloc(size);
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % MAXIMUM_ALIGNOF, 0u) << size;
      EXPECT_EQ(GetMemoryChunkContext(p), arena.context()) << "pfree and repalloc find the context here";
      EXPECT_GE(arena.context()->methods->get_chunk_space(arena.context(), p), size);
      Fill(p, size, static_cast<unsigned char>(chunks.size()));
      chunks.emplace_back(p, size);
    }
  }
  for (Size i = 0; i < chunks.size(); ++i) {
    EXPECT_TRUE(Holds(chunks[i].first, chunks[i].second, static_cast<unsigned char>(i))) << "chunk " << i;
  }
  EXPECT_FALSE(arena.IsEmpty());
  EXPECT_GT(arena.Totals().nblocks, 1u) << "40 rounds of ~130 KB need more than the first 64 KiB block";
}

TEST(ParseArenaTest, ReallocGrowsTheNewestChunkInPlaceAndCopiesOthers) {
  Arena arena;
  void* older = arena.Alloc(40);
  Fill(older, 40, 1);
  void* newest = arena.Alloc(24);
  Fill(newest, 24, 2);

  void* grown = arena.Realloc(newest, 200);
  EXPECT_EQ(grown, newest) << "the newest chunk grows where it is";
  EXPECT_TRUE(Holds(grown, 24, 2));
  EXPECT_EQ(arena.Realloc(grown, 10), grown) << "shrinking keeps the chunk";

  void* moved = arena.Realloc(older, 400);
  EXPECT_NE(moved, older) << "an older chunk cannot grow over its neighbour";
  EXPECT_TRUE(Holds(moved, 40, 1));
  EXPECT_TRUE(Holds(grown, 24, 2)) << "the neighbour is untouched";

  // Growing past the current block moves the chunk to a new block.
  void* big = arena.Realloc(moved, 100000);
  ASSERT_NE(big, nullptr);
  EXPECT_TRUE(Holds(big, 40, 1));
}

TEST(ParseArenaTest, FreeingTheNewestChunkGivesItsBytesBack) {
  Arena arena;
  void* kept = arena.Alloc(16);
  void* newest = arena.Alloc(32);
  arena.Free(newest);
  EXPECT_EQ(arena.Alloc(32), newest);
  arena.Free(kept);  // not the newest: a no-op until reset
  void* next = arena.Alloc(16);
  EXPECT_NE(next, kept);
  Fill(kept, 16, 9);
  EXPECT_TRUE(Holds(kept, 16, 9));
}

TEST(ParseArenaTest, BigRequestsGetTheirOwnBlockAndLeaveTheCurrentOneInUse) {
  Arena arena;
  auto* before = static_cast<char*>(arena.Alloc(16));
  void* big = arena.Alloc(100000);
  ASSERT_NE(big, nullptr);
  auto* after = static_cast<char*>(arena.Alloc(16));
  EXPECT_EQ(after, before + 16 + 16) << "the small chunks stay adjacent in the first block";
  EXPECT_EQ(arena.Totals().nblocks, 2u);
}

TEST(ParseArenaTest, ResetKeepsOnlyTheFirstBlock) {
  Arena arena;
  const Size empty_bytes = arena.context()->mem_allocated;
  void* first = arena.Alloc(8);
  for (int i = 0; i < 5000; ++i) ASSERT_NE(arena.Alloc(100), nullptr);
  ASSERT_NE(arena.Alloc(1 << 20), nullptr);
  EXPECT_GT(arena.context()->mem_allocated, empty_bytes);
  const MemoryContextCounters full = arena.Totals();
  EXPECT_GT(full.nblocks, 2u);
  EXPECT_EQ(full.totalspace, arena.context()->mem_allocated);

  arena.Reset();
  EXPECT_TRUE(arena.IsEmpty());
  EXPECT_EQ(arena.context()->mem_allocated, empty_bytes);
  EXPECT_EQ(arena.Totals().nblocks, 1u);
  EXPECT_EQ(arena.Alloc(8), first) << "allocation starts over at the first block";
}

TEST(ParseArenaTest, StatsPrintsOneLine) {
  Arena arena;
  arena.Alloc(100);
  std::string printed;
  auto print = [](MemoryContext, void* passthru, const char* line, bool) {
    *static_cast<std::string*>(passthru) = line;
  };
  arena.context()->methods->stats(arena.context(), print, &printed, nullptr, false);
  EXPECT_NE(printed.find("1 blocks"), std::string::npos) << printed;
  EXPECT_NE(printed.find("used"), std::string::npos) << printed;
}

TEST(ParseArenaTest, ChildOfAParentIsDeletedWithIt) {
  MemoryContext parent = pgsieve_parse_arena_create(nullptr, "parent");
  MemoryContext child = pgsieve_parse_arena_create(parent, "child");
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->parent, parent);
  EXPECT_EQ(parent->firstchild, child);
  // MemoryContextDelete(parent) deletes the child first; under ASan or
  // valgrind a leak of the child's block would be reported.
  MemoryContextDelete(parent);
}

}  // namespace
