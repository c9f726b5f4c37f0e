/* Thread stacks in a simulated process: each thread has a stack region laid
 * out as kernel32's BaseCreateStack makes it (a reservation, its top pages
 * committed, a guard page under them) and described by the three TEB fields
 * Windows keeps: StackBase (the top), StackLimit (the lowest committed page
 * above the guard) and DeallocationStack (the reservation's base). A guard
 * page fault in the current thread's stack grows it one page, as the kernel
 * does (MiCheckForUserStackOverflow), until the stack's last pages, where the
 * thread gets STATUS_STACK_OVERFLOW (see mm_stack.c). */
#ifndef PAGESIM_STACK_H
#define PAGESIM_STACK_H

#include "pagesim/mm.h"
#include "pagesim/winsdk.h"
#include <stdbool.h>
#include <stdint.h>

/* The linker's defaults for SizeOfStackReserve and SizeOfStackCommit. */
#define MM_STACK_RESERVE_DEFAULT (1u << 20)
#define MM_STACK_COMMIT_DEFAULT  0x1000u
/* The largest size the simulator takes for either (a larger one could not
 * fit a 2 GB user space anyway). */
#define MM_STACK_MAX             (1u << 30)

/* Whether a SizeOfStackReserve / SizeOfStackCommit pair is one the
 * simulator takes: both from 1 byte to MM_STACK_MAX (they are rounded as
 * BaseCreateStack rounds them). */
bool mm_stack_sizes_valid(uint32_t reserve, uint32_t commit);

/* What one thread's TEB says of its stack, and the simulated ESP. */
typedef struct mm_thread_info {
    const char *name;            /* "main", or the name it was created with   */
    uint32_t stack_base;         /* TEB StackBase: the top, exclusive          */
    uint32_t stack_limit;        /* TEB StackLimit: lowest committed page      */
    uint32_t deallocation_stack; /* TEB DeallocationStack: reservation base    */
    uint32_t guard;              /* the guard page's address, 0: none left     */
    uint32_t sp;                 /* the stack pointer push and alloca move     */
    uint32_t teb;                /* the thread's TEB page                      */
} mm_thread_info_t;

/* Creates a thread named name (at most 31 bytes, not yet used in p) with
 * CreateThread's stack rules: stack_size 0 takes the image header's sizes;
 * otherwise it is the commit, or with STACK_SIZE_PARAM_IS_A_RESERVATION in
 * flags the reservation. Makes its stack region and its TEB page. Returns 0,
 * or the GetLastError code with nothing made (ERROR_INVALID_PARAMETER for a
 * bad name or flag, ERROR_NOT_ENOUGH_MEMORY when no room or frame is left,
 * ERROR_COMMITMENT_LIMIT); why says which. */
uint32_t mm_thread_create(mm_process_t *p, const char *name, uint32_t stack_size, uint32_t flags, strbuf_t *why);
/* The process's threads: their count (0 in an empty layout), the i-th
 * (false past the end), the one whose stack push, alloca and guard pages
 * use, and finding one by name (false when none has it). */
uint32_t mm_thread_count(const mm_process_t *p);
bool mm_thread_at(const mm_process_t *p, uint32_t i, mm_thread_info_t *out);
uint32_t mm_thread_current(const mm_process_t *p);
bool mm_thread_find(const mm_process_t *p, const char *name, uint32_t *index);
/* Makes thread index (< mm_thread_count) the current one. */
void mm_thread_switch(mm_process_t *p, uint32_t index);

/* Moves the current thread's stack pointer down by size bytes (aligned
 * down to align, a power of two) and writes to every page from the old
 * stack pointer down to the new one, in that order, as pushes or _chkstk's
 * probes do; the guard page on the way grows the stack. True with *addr the
 * new stack pointer; false when an access raised an exception (in *res: a
 * STATUS_STACK_OVERFLOW or an access violation), the stack pointer
 * unchanged. Precondition: the process has a thread. */
bool mm_stack_alloc(mm_process_t *p, uint32_t size, uint32_t align, uint32_t *addr, mm_access_t *res);
/* Moves the current thread's stack pointer up by size bytes; false (and
 * nothing moves) when that would pass StackBase. */
bool mm_stack_free(mm_process_t *p, uint32_t size, strbuf_t *why);

#endif
