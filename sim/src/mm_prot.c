/* Protections: Win32 PAGE_* values, NT's 5-bit MM_* encoding, and the
 * hardware bits of a valid PTE. */
#include "mm_int.h"
#include "pagesim/winconst.h"
#include "pagesim/winsdk.h"

uint32_t mm_from_win32(uint32_t w)
{
    uint32_t base;
    switch (w & WC_PAGE_BASE_BITS) {
    case PAGE_NOACCESS: base = 0; break;
    case PAGE_READONLY: base = MM_READONLY; break;
    case PAGE_READWRITE: base = MM_READWRITE; break;
    case PAGE_WRITECOPY: base = MM_WRITECOPY; break;
    case PAGE_EXECUTE: base = MM_EXECUTE; break;
    case PAGE_EXECUTE_READ: base = MM_EXECUTE_READ; break;
    case PAGE_EXECUTE_READWRITE: base = MM_EXECUTE_READWRITE; break;
    case PAGE_EXECUTE_WRITECOPY: base = MM_EXECUTE_WRITECOPY; break;
    default: return 0; /* none, or more than one base protection */
    }
    uint32_t mods = w & ~(uint32_t)WC_PAGE_BASE_BITS;
    if (mods & ~(uint32_t)(PAGE_GUARD | PAGE_NOCACHE | PAGE_WRITECOMBINE)) return 0;
    if (base == 0) return mods ? 0 : MM_NOACCESS;
    uint32_t nmods = (uint32_t)(!!(mods & PAGE_GUARD) + !!(mods & PAGE_NOCACHE) + !!(mods & PAGE_WRITECOMBINE));
    if (nmods > 1) return 0;
    if (mods & PAGE_GUARD) return base | MM_GUARD_PAGE;
    if (mods & PAGE_NOCACHE) return base | MM_NOCACHE;
    if (mods & PAGE_WRITECOMBINE) return base | MM_WRITECOMBINE;
    return base;
}

uint32_t mm_to_win32(uint32_t m)
{
    static const uint32_t base[8] = { 0, PAGE_READONLY, PAGE_EXECUTE, PAGE_EXECUTE_READ, PAGE_READWRITE, PAGE_WRITECOPY,
                                      PAGE_EXECUTE_READWRITE, PAGE_EXECUTE_WRITECOPY };
    uint32_t b = MM_BASE(m), mods = MM_MODS(m);
    if (b == 0) return mods == MM_NOACCESS ? PAGE_NOACCESS : 0;
    if (mods == MM_GUARD_PAGE) return base[b] | PAGE_GUARD;
    if (mods == MM_NOCACHE) return base[b] | PAGE_NOCACHE;
    if (mods == MM_WRITECOMBINE) return base[b] | PAGE_WRITECOMBINE;
    return base[b];
}

uint32_t mm_hw_bits(uint32_t m)
{
    uint32_t bits = X86_P | X86_US;
    uint32_t b = MM_BASE(m), mods = MM_MODS(m);
    if (b == MM_READWRITE || b == MM_EXECUTE_READWRITE) bits |= X86_RW;
    if (b == MM_WRITECOPY || b == MM_EXECUTE_WRITECOPY) bits |= PTE_COW;
    if (mods == MM_NOCACHE) bits |= X86_PCD;
    if (mods == MM_WRITECOMBINE) bits |= X86_PWT | X86_PCD;
    return bits;
}

uint32_t mm_view_hw_bits(uint32_t m)
{
    uint32_t b = MM_BASE(m), bits = mm_hw_bits(m);
    if (b == MM_EXECUTE) bits |= PTE_VIEW_EXEC | PTE_VIEW_XONLY;
    else if (b == MM_EXECUTE_READ || b == MM_EXECUTE_READWRITE || b == MM_EXECUTE_WRITECOPY) bits |= PTE_VIEW_EXEC;
    return bits;
}

uint32_t mm_prot_access(uint32_t w)
{
    /* As Wine's kernel32 test_mapping (page_prot_to_access) states what
     * Windows does: a copy-on-write protection reads (its writes go to a
     * private copy), PAGE_EXECUTE reads as well. */
    switch (w & WC_PAGE_BASE_BITS) {
    case PAGE_READONLY: case PAGE_WRITECOPY: return MM_ACCESS_READ;
    case PAGE_READWRITE: return MM_ACCESS_READ | MM_ACCESS_WRITE;
    case PAGE_EXECUTE: case PAGE_EXECUTE_READ: case PAGE_EXECUTE_WRITECOPY: return MM_ACCESS_READ | MM_ACCESS_EXECUTE;
    case PAGE_EXECUTE_READWRITE: return MM_ACCESS_READ | MM_ACCESS_WRITE | MM_ACCESS_EXECUTE;
    default: return 0;
    }
}
