/* Process handles: OpenProcess, the rights a handle carries, and the calls
 * that act on a process through one (VirtualQueryEx here; the working-set
 * calls in mm_wsapi.c through mm_process_handle).
 *
 * A process handle is a slot of the handle table (mm_section.c) owned by
 * the process that opened it, naming its target by id. Access follows the
 * process object's generic mapping (winnt.h; Wine server/process.c
 * process_type's mapping): GENERIC_READ is PROCESS_VM_READ |
 * PROCESS_QUERY_INFORMATION and READ_CONTROL, GENERIC_WRITE is
 * PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION |
 * PROCESS_VM_WRITE | PROCESS_DUP_HANDLE | PROCESS_SUSPEND_RESUME |
 * PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION and STANDARD_RIGHTS_WRITE,
 * GENERIC_EXECUTE is SYNCHRONIZE | PROCESS_TERMINATE |
 * PROCESS_QUERY_LIMITED_INFORMATION and READ_CONTROL, GENERIC_ALL and
 * MAXIMUM_ALLOWED every right (the scenario's user owns every process, so
 * each right asked for is granted). The rights are XP's: VirtualQueryEx
 * needs PROCESS_QUERY_INFORMATION (MSDN VirtualQueryEx); the Vista-era
 * PROCESS_QUERY_LIMITED_INFORMATION is kept as a bit and grants nothing. */
#include "mm_int.h"
#include "pagesim/winsdk.h"
#include <string.h>

#define READ_CONTROL_RIGHT 0x00020000u
#define STANDARD_WRITE 0x00020000u
#define ALL_RIGHTS PS_PROCESS_ALL_ACCESS_XP

static uint32_t map_generic(uint32_t access)
{
    uint32_t a = access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
    if (access & GENERIC_READ) a |= PROCESS_VM_READ | PROCESS_QUERY_INFORMATION | READ_CONTROL_RIGHT;
    if (access & GENERIC_WRITE)
        a |= PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_WRITE |
             PROCESS_DUP_HANDLE | PROCESS_SUSPEND_RESUME | PROCESS_SET_QUOTA | PROCESS_SET_INFORMATION | STANDARD_WRITE;
    if (access & GENERIC_EXECUTE)
        a |= SYNCHRONIZE | PROCESS_TERMINATE | PROCESS_QUERY_LIMITED_INFORMATION | READ_CONTROL_RIGHT;
    if (access & (GENERIC_ALL | MAXIMUM_ALLOWED)) a |= ALL_RIGHTS;
    return a;
}

uint32_t mm_open_process(mm_process_t *p, uint32_t access, const char *name, uint32_t *handle, strbuf_t *why)
{
    *handle = 0;
    mm_process_t *t = mm_process_find(p->mm, name);
    if (!t)
        return mm_fail(why, ERROR_INVALID_PARAMETER, "no process is named \"%s\" (OpenProcess of a process ID no "
                                                     "process has)", name);
    handle_entry_t proto = { .target = t->id + 1, .access = map_generic(access) };
    if (!mm_handle_new(p, &proto, handle)) return mm_fail(why, ERROR_NOT_ENOUGH_MEMORY, "out of memory for a handle");
    mm_say(why, "a handle of process %s to process %s with access 0x%08X", p->name, t->name, proto.access);
    return 0;
}

uint32_t mm_process_handle(mm_process_t *p, uint32_t handle, uint32_t need, mm_process_t **out, strbuf_t *why)
{
    *out = NULL;
    if (handle == MM_CURRENT_PROCESS) {
        *out = p;
        return 0;
    }
    const handle_entry_t *e = mm_handle_find(p, handle);
    if (!e || !e->target)
        return mm_fail(why, ERROR_INVALID_HANDLE, "0x%08X is not a process handle of process %s", handle, p->name);
    if ((e->access & need) != need)
        return mm_fail(why, ERROR_ACCESS_DENIED, "the handle 0x%08X has access 0x%08X, without 0x%08X the call needs",
                       handle, e->access, need & ~e->access);
    *out = p->mm->procs[e->target - 1];
    return 0;
}

uint32_t mm_virtual_query_ex(mm_process_t *p, uint32_t process, uint32_t addr, mm_mbi_t *mbi, strbuf_t *why)
{
    memset(mbi, 0, sizeof *mbi);
    mm_process_t *t;
    uint32_t e = mm_process_handle(p, process, PROCESS_QUERY_INFORMATION, &t, why);
    if (e) return e;
    if (t != p) mm_say(why, "the region in process %s, through the handle", t->name);
    return mm_virtual_query(t, addr, mbi, why);
}
