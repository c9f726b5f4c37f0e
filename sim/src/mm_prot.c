/* Protections: Win32 PAGE_* values, NT's 5-bit MM_* encoding, and the
 * hardware bits of a valid PTE. */
#include "mm_int.h"

uint32_t mm_from_win32(uint32_t w)
{
    uint32_t base;
    switch (w & 0xFFu) {
    case 0x01: base = 0; break; /* PAGE_NOACCESS */
    case 0x02: base = MM_READONLY; break;
    case 0x04: base = MM_READWRITE; break;
    case 0x08: base = MM_WRITECOPY; break;
    case 0x10: base = MM_EXECUTE; break;
    case 0x20: base = MM_EXECUTE_READ; break;
    case 0x40: base = MM_EXECUTE_READWRITE; break;
    case 0x80: base = MM_EXECUTE_WRITECOPY; break;
    default: return 0; /* none, or more than one base protection */
    }
    uint32_t mods = w & ~0xFFu;
    if (mods & ~0x700u) return 0;
    if (base == 0) return mods ? 0 : MM_NOACCESS;
    uint32_t nmods = (uint32_t)(!!(mods & 0x100u) + !!(mods & 0x200u) + !!(mods & 0x400u));
    if (nmods > 1) return 0;
    if (mods & 0x100u) return base | MM_GUARD_PAGE;
    if (mods & 0x200u) return base | MM_NOCACHE;
    if (mods & 0x400u) return base | MM_WRITECOMBINE;
    return base;
}

uint32_t mm_to_win32(uint32_t m)
{
    static const uint32_t base[8] = { 0, 0x02, 0x10, 0x20, 0x04, 0x08, 0x40, 0x80 };
    uint32_t b = MM_BASE(m), mods = m & 0x18u;
    if (b == 0) return mods == MM_NOACCESS ? 0x01 : 0;
    if (mods == MM_GUARD_PAGE) return base[b] | 0x100u;
    if (mods == MM_NOCACHE) return base[b] | 0x200u;
    if (mods == MM_WRITECOMBINE) return base[b] | 0x400u;
    return base[b];
}

uint32_t mm_hw_bits(uint32_t m)
{
    uint32_t bits = X86_P | X86_US;
    uint32_t b = MM_BASE(m), mods = m & 0x18u;
    if (b == MM_READWRITE || b == MM_EXECUTE_READWRITE) bits |= X86_RW;
    if (b == MM_WRITECOPY || b == MM_EXECUTE_WRITECOPY) bits |= PTE_COW;
    if (mods == MM_NOCACHE) bits |= X86_PCD;
    if (mods == MM_WRITECOMBINE) bits |= X86_PWT | X86_PCD;
    return bits;
}
