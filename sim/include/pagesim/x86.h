/* x86 32-bit paging hardware formats: control registers, PDE/PTE bits and
 * the page-fault error code, as Intel SDM vol. 3A sections 4.3, 4.6 and 4.7
 * define them for 32-bit (non-PAE) paging. */
#ifndef PAGESIM_X86_H
#define PAGESIM_X86_H

#include <stdint.h>

/* Linear address split (10/10/12). */
#define X86_PAGE_SHIFT        12
#define X86_PAGE_SIZE         0x1000u
#define X86_LARGE_PAGE_SHIFT  22
#define X86_LARGE_PAGE_SIZE   0x400000u
#define X86_ENTRIES           1024u
#define X86_PDE_INDEX(va)     (((uint32_t)(va) >> 22) & 0x3FFu)  /* bits 31:22 */
#define X86_PTE_INDEX(va)     (((uint32_t)(va) >> 12) & 0x3FFu)  /* bits 21:12 */
#define X86_PAGE_OFFSET(va)   ((uint32_t)(va) & 0xFFFu)          /* bits 11:0  */
#define X86_LARGE_OFFSET(va)  ((uint32_t)(va) & 0x3FFFFFu)       /* bits 21:0  */

/* CR0 (only the bits paging looks at). */
#define X86_CR0_WP   (1u << 16) /* write protect: supervisor writes obey R/W    */
#define X86_CR0_PG   (1u << 31) /* paging enabled                               */

/* CR3 in 32-bit paging. */
#define X86_CR3_PWT  (1u << 3)  /* page-level write-through for the directory   */
#define X86_CR3_PCD  (1u << 4)  /* page-level cache disable for the directory   */
#define X86_CR3_BASE 0xFFFFF000u /* bits 31:12: physical base of the directory  */

/* CR4. */
#define X86_CR4_PSE  (1u << 4)  /* page-size extensions: PDE.PS selects 4 MB    */
#define X86_CR4_PGE  (1u << 7)  /* global pages survive a CR3 load              */

/* Page-directory and page-table entries.
 *
 *   bit  name  PDE -> page table     PDE -> 4 MB page (PS=1)   PTE -> 4 KB page
 *   0    P     present               present                   present
 *   1    R/W   writes allowed        writes allowed            writes allowed
 *   2    U/S   user allowed          user allowed              user allowed
 *   3    PWT   write-through         write-through             write-through
 *   4    PCD   cache disable         cache disable             cache disable
 *   5    A     accessed              accessed                  accessed
 *   6    D     ignored               dirty                     dirty
 *   7    PS    0 (page table)        1 (4 MB page)             PAT
 *   8    G     ignored               global (CR4.PGE=1)        global (CR4.PGE=1)
 *   11:9 AVL   available to software available to software    available to software
 *   12   PAT   -                     PAT                       -
 *   20:13      -                     reserved (must be 0)      -
 *   21         -                     reserved (must be 0)      -
 *   31:12      page-table address    -                         frame address
 *   31:22      -                     4 MB frame address        -
 */
#define X86_P        (1u << 0)
#define X86_RW       (1u << 1)
#define X86_US       (1u << 2)
#define X86_PWT      (1u << 3)
#define X86_PCD      (1u << 4)
#define X86_A        (1u << 5)
#define X86_D        (1u << 6)
#define X86_PS       (1u << 7)  /* in a PDE; the same bit is PAT in a PTE       */
#define X86_PTE_PAT  (1u << 7)
#define X86_G        (1u << 8)
#define X86_AVL_MASK 0xE00u     /* bits 11:9                                    */
#define X86_AVL_SHIFT 9
#define X86_LARGE_PAT (1u << 12)
#define X86_LARGE_RSVD 0x003FE000u /* bits 21:13 with MAXPHYADDR = 32          */
#define X86_FRAME_MASK 0xFFFFF000u
#define X86_LARGE_FRAME_MASK 0xFFC00000u

/* Page-fault (#PF, vector 14) error code. */
#define X86_PF_P     (1u << 0)  /* 0: not present; 1: protection violation      */
#define X86_PF_WR    (1u << 1)  /* 1: the access was a write                    */
#define X86_PF_US    (1u << 2)  /* 1: the access was made in user mode          */
#define X86_PF_RSVD  (1u << 3)  /* 1: a reserved bit was set in an entry        */
#define X86_PF_ID    (1u << 4)  /* instruction fetch; only with PAE+NXE or SMEP,
                                   so always 0 in 32-bit paging here            */

#endif
