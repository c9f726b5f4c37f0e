/* Physical memory: a byte-addressed space of up to 4 GB that stores only the
 * 4 KB frames that were ever written. A frame never written reads as zeros;
 * an address at or above the configured size is not memory at all: reads
 * return all ones (as an unclaimed bus cycle does on a PC) and writes are
 * dropped. */
#ifndef PAGESIM_PHYS_H
#define PAGESIM_PHYS_H

#include "pagesim/core.h"
#include <stdbool.h>
#include <stdint.h>

#define PHYS_MAX_SIZE 0x100000000ull /* 4 GB */

typedef struct phys phys_t;

/* Creates physical memory of size bytes (a multiple of 4 KB, 4 KB..4 GB).
 * Returns PS_EINVAL for a bad size, PS_ENOMEM when the allocator fails. */
ps_result_t phys_new(const ps_alloc_t *a, uint64_t size, phys_t **out);
void phys_free(phys_t *p);

/* A copy, or NULL when the allocator fails. It shares every stored frame
 * with p until one of the two writes it (then that one gets its own), so a
 * copy costs the tables, not the frames. */
phys_t *phys_clone(const phys_t *p);

uint64_t phys_size(const phys_t *p);

/* True when [addr, addr+len) lies inside physical memory. */
bool phys_contains(const phys_t *p, uint64_t addr, uint64_t len);

/* Little-endian 32-bit access at any byte address (unaligned and frame-
 * crossing accesses are allowed). Writes return PS_ENOMEM when a frame could
 * not be allocated (memory is then unchanged). */
uint32_t phys_read32(const phys_t *p, uint32_t addr);
ps_result_t phys_write32(phys_t *p, uint32_t addr, uint32_t value);

/* Frame pfn's bytes as stored, for reading many words of one frame (a
 * page table) at once: *len of them (a multiple of 64, at most 4096), the
 * rest of the frame reads as zeros; NULL (and 0) when the frame was never
 * written or lies outside memory. Valid until the next write. */
const uint8_t *phys_frame_peek(const phys_t *p, uint32_t pfn, uint32_t *len);
/* The little-endian 32-bit word at b (in a frame phys_frame_peek gave). */
static inline uint32_t phys_le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint8_t phys_read8(const phys_t *p, uint32_t addr);
ps_result_t phys_write8(phys_t *p, uint32_t addr, uint8_t value);

/* Copies len bytes out of / into physical memory. */
void phys_read(const phys_t *p, uint32_t addr, void *buf, uint32_t len);
ps_result_t phys_write(phys_t *p, uint32_t addr, const void *buf, uint32_t len);
/* The bytes [addr, addr + len) in place, writable, when they lie in one
 * frame that this memory holds alone (not shared with a copy) and already
 * stores in full: copying into them is then exactly what phys_write would
 * do, until the next write to this memory. NULL otherwise (nothing
 * changes; the caller uses phys_write). */
uint8_t *phys_span_rw(phys_t *p, uint32_t addr, uint32_t len);
/* The frame holding addr stored in full and held by this memory alone
 * (made, grown or copied as a write would do it): its 4096 bytes,
 * writable as phys_span_rw's are, and for longer: while the number below
 * is unchanged and no copy of this memory has been made (phys_clone
 * shares its frames: the first write after it must go through
 * phys_write). NULL when the host has no memory (nothing changes). */
uint8_t *phys_frame_own(phys_t *p, uint32_t addr);
/* A number that changes whenever the storage of a frame stored in full
 * moves (copied away from a memory it was shared with) or is dropped;
 * storage made or grown for a frame not stored in full moves no pointer
 * phys_frame_own gave. */
uint32_t phys_generation(const phys_t *p);
/* Where that number is kept, for a caller that compares against it on
 * every access (valid while the memory is). */
const uint32_t *phys_generation_ref(const phys_t *p);

/* Zero-fills the frame holding addr and drops its storage. */
void phys_discard_frame(phys_t *p, uint32_t addr);

/* How many 4 KB frames hold storage, and the bytes the structure uses. */
uint32_t phys_stored_frames(const phys_t *p);
uint64_t phys_footprint(const phys_t *p);

#endif
