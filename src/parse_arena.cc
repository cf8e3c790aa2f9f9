#include "parse_arena.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

// Only the memory-context types and MemoryContextCreate are used from these
// headers; nothing here touches libpg_query's per-thread globals, which they
// declare as process globals (see pg_nodes.h).
extern "C" {
#include "postgres.h"
#include "nodes/memnodes.h"
#include "utils/memutils.h"
}
#undef snprintf

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PGSIEVE_ARENA_ASAN 1
#endif
#endif
#if !defined(PGSIEVE_ARENA_ASAN) && defined(__SANITIZE_ADDRESS__)
#define PGSIEVE_ARENA_ASAN 1
#endif
#ifdef PGSIEVE_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

namespace {

// ALLOCSET_DEFAULT_SIZES and ALLOC_CHUNK_LIMIT, as pg_query_raw_parse's
// context uses them.
constexpr Size kFirstBlockSize = 64 * 1024;
constexpr Size kMaxBlockSize = 8 * 1024 * 1024;
constexpr Size kOwnBlockAbove = 8 * 1024;

// Precedes every chunk. The context must be the word right before the chunk
// (GetMemoryChunkContext); 16 bytes keep chunks MAXALIGNed.
struct ChunkHeader {
  Size size;  // usable bytes, MAXALIGNed
  MemoryContext context;
};
static_assert(sizeof(ChunkHeader) == 2 * sizeof(void*) && sizeof(ChunkHeader) % MAXIMUM_ALIGNOF == 0);

struct Block {
  Block* next;
  Size size;  // bytes after this header
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
};
static_assert(sizeof(Block) % MAXIMUM_ALIGNOF == 0);

// One malloc holds the context, the first block's header and its bytes.
struct Arena {
  MemoryContextData context;  // first: MemoryContext points here
  char* free;                 // next unused byte of the current block
  char* end;                  // end of the current block
  Block* later_blocks;        // blocks malloc'd since the last reset, newest first
  Size next_block_size;
  Block first;  // followed by kFirstBlockSize bytes
};
static_assert(offsetof(Arena, first) + sizeof(Block) == sizeof(Arena), "the first block's bytes follow the Arena");

Arena* ArenaOf(MemoryContext context) { return reinterpret_cast<Arena*>(context); }
ChunkHeader* HeaderOf(void* pointer) { return static_cast<ChunkHeader*>(pointer) - 1; }

// Writes a chunk's header at `at` and returns the chunk.
void* PlaceChunk(Arena* arena, char* at, Size chunk) {
  auto* header = reinterpret_cast<ChunkHeader*>(at);
  UNPOISON(header, sizeof(ChunkHeader) + chunk);
  header->size = chunk;
  header->context = &arena->context;
  return header + 1;
}

// A chunk from the current block, which has room for it.
void* Carve(Arena* arena, Size chunk) {
  char* at = arena->free;
  arena->free += sizeof(ChunkHeader) + chunk;
  return PlaceChunk(arena, at, chunk);
}

Block* NewBlock(Arena* arena, Size size) {
  auto* block = static_cast<Block*>(std::malloc(sizeof(Block) + size));
  if (block == nullptr) return nullptr;
  block->size = size;
  block->next = arena->later_blocks;
  arena->later_blocks = block;
  arena->context.mem_allocated += sizeof(Block) + size;
  POISON(block->data(), size);
  return block;
}

__attribute__((noinline)) void* AllocFromNewBlock(Arena* arena, Size chunk) {
  const Size need = sizeof(ChunkHeader) + chunk;
  if (need > kOwnBlockAbove) {
    // Big requests (the scanner's copy of a long statement) get a block of
    // their own, so the current block's free bytes stay in use.
    Block* own = NewBlock(arena, need);
    if (own == nullptr) return nullptr;
    return PlaceChunk(arena, own->data(), chunk);
  }
  Block* block = NewBlock(arena, arena->next_block_size);
  if (block == nullptr) return nullptr;
  if (arena->next_block_size < kMaxBlockSize) arena->next_block_size *= 2;
  arena->free = block->data();
  arena->end = block->data() + block->size;
  return Carve(arena, chunk);
}

void* ArenaAlloc(MemoryContext context, Size size) {
  Arena* arena = ArenaOf(context);
  const Size chunk = MAXALIGN(size);
  if (__builtin_expect(sizeof(ChunkHeader) + chunk <= static_cast<Size>(arena->end - arena->free), 1)) {
    return Carve(arena, chunk);
  }
  return AllocFromNewBlock(arena, chunk);
}

bool IsNewestChunk(const Arena* arena, void* pointer) {
  return static_cast<char*>(pointer) + HeaderOf(pointer)->size == arena->free;
}

void ArenaFree(MemoryContext context, void* pointer) {
  Arena* arena = ArenaOf(context);
  if (IsNewestChunk(arena, pointer)) {
    ChunkHeader* header = HeaderOf(pointer);
    arena->free = reinterpret_cast<char*>(header);
    POISON(header, sizeof(ChunkHeader) + header->size);
  }
}

void* ArenaRealloc(MemoryContext context, void* pointer, Size size) {
  Arena* arena = ArenaOf(context);
  ChunkHeader* header = HeaderOf(pointer);
  const Size chunk = MAXALIGN(size);
  if (chunk <= header->size) return pointer;
  const Size grow = chunk - header->size;
  if (IsNewestChunk(arena, pointer) && grow <= static_cast<Size>(arena->end - arena->free)) {
    UNPOISON(arena->free, grow);
    arena->free += grow;
    header->size = chunk;
    return pointer;
  }
  void* moved = ArenaAlloc(context, size);
  if (moved == nullptr) return nullptr;
  std::memcpy(moved, pointer, header->size);
  return moved;
}

void FreeLaterBlocks(Arena* arena) {
  for (Block* block = arena->later_blocks; block != nullptr;) {
    Block* next = block->next;
    UNPOISON(block->data(), block->size);
    arena->context.mem_allocated -= sizeof(Block) + block->size;
    std::free(block);
    block = next;
  }
  arena->later_blocks = nullptr;
}

void ArenaReset(MemoryContext context) {
  Arena* arena = ArenaOf(context);
  FreeLaterBlocks(arena);
  POISON(arena->first.data(), arena->first.size);
  arena->free = arena->first.data();
  arena->end = arena->first.data() + arena->first.size;
  arena->next_block_size = kFirstBlockSize;
}

void ArenaDelete(MemoryContext context) {
  Arena* arena = ArenaOf(context);
  FreeLaterBlocks(arena);
  UNPOISON(arena->first.data(), arena->first.size);
  std::free(arena);
}

Size ArenaChunkSpace(MemoryContext, void* pointer) { return sizeof(ChunkHeader) + HeaderOf(pointer)->size; }

bool ArenaIsEmpty(MemoryContext context) {
  const Arena* arena = ArenaOf(context);
  return arena->later_blocks == nullptr && arena->free == arena->first.data();
}

void ArenaStats(MemoryContext context, MemoryStatsPrintFunc print, void* passthru, MemoryContextCounters* totals,
                bool print_to_stderr) {
  Arena* arena = ArenaOf(context);
  Size blocks = 1;
  Size total = sizeof(Arena) + arena->first.size;
  for (const Block* block = arena->later_blocks; block != nullptr; block = block->next) {
    ++blocks;
    total += sizeof(Block) + block->size;
  }
  // Only the current block's tail is known to be free.
  const Size free_bytes = static_cast<Size>(arena->end - arena->free);
  if (print != nullptr) {
    char line[200];
    std::snprintf(line, sizeof line, "%zu total in %zu blocks; %zu free; %zu used (bump)", total, blocks, free_bytes,
                  total - free_bytes);
    print(context, passthru, line, print_to_stderr);
  }
  if (totals != nullptr) {
    totals->nblocks += blocks;
    totals->totalspace += total;
    totals->freespace += free_bytes;
  }
}

constexpr MemoryContextMethods kArenaMethods = {
    ArenaAlloc, ArenaFree, ArenaRealloc, ArenaReset, ArenaDelete, ArenaChunkSpace, ArenaIsEmpty, ArenaStats,
#ifdef MEMORY_CONTEXT_CHECKING
    nullptr,
#endif
};

}  // namespace

extern "C" MemoryContext pgsieve_parse_arena_create(MemoryContext parent, const char* name) {
  auto* arena = static_cast<Arena*>(std::malloc(sizeof(Arena) + kFirstBlockSize));
  if (arena == nullptr) return nullptr;
  arena->first.next = nullptr;
  arena->first.size = kFirstBlockSize;
  arena->later_blocks = nullptr;
  // PostgreSQL 15 knows three context tags and dispatches on none of them
  // (only on `methods`); assert-enabled builds check that the tag is one of
  // the three. Generation is the closest in spirit: allocate, rarely free.
  MemoryContextCreate(&arena->context, T_GenerationContext, &kArenaMethods, parent, name);
  arena->context.mem_allocated = sizeof(Arena) + kFirstBlockSize;
  ArenaReset(&arena->context);
  return &arena->context;
}
