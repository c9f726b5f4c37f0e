/* Statements on files: CreateFile, ReadFile, WriteFile, SetFilePointer,
 * SetEndOfFile, GetFileSize and FlushViewOfFile, made through the backend's
 * checked wrappers, so that the simulator and real Windows answer the same
 * statement. Their arguments were checked (scn_check.c: names, NULLs,
 * counts) before a handler runs. */
#include "mem.h"
#include "pagesim/winsdk.h"
#include "scn_check.h"
#include "scn_lex.h"
#include "scn_run_int.h"
#include <stdio.h>
#include <string.h>

/* A call's outcome with its return value: the BOOL, or (boolean false) a
 * value the handler sets. */
static void set_file_call(scn_result_t *res, ps_call_t c, bool boolean)
{
    set_call(res, c);
    res->has |= SCN_HAS_RET;
    if (boolean) res->ret = c.error == 0;
}

bool run_create_file(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    char name[64]; /* under 64 bytes (scn_check) */
    uint32_t h;
    ps_call_t c = ps_create_file(&r->be, arg_str(r, st, 0, name, sizeof name), arg32(r, st, 1), arg32(r, st, 2), arg32(r, st, 4), arg32(r, st, 5), &h,
                                 &r->why);
    set_file_call(res, c, false);
    if (st->bind >= 0) r->values[st->bind] = c.error ? INVALID_HANDLE_VALUE : h;
    res->has |= SCN_HAS_HANDLE;
    if (c.error) {
        res->ret = INVALID_HANDLE_VALUE;
        snprintf(res->ret_str, sizeof res->ret_str, "0xFFFFFFFF");
        return true;
    }
    res->ret = h;
    return name_handle(r, st, res, h, err);
}

bool run_read_file(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    uint32_t count = arg32(r, st, 1), done;
    if (!grow_bytes(r, count ? count : 1)) return out_of_memory(st, err);
    ps_call_t c = ps_read_file(&r->be, arg32(r, st, 0), r->bytes, count, &done, &r->why);
    set_file_call(res, c, true);
    res->has |= SCN_HAS_BYTES | SCN_HAS_COUNT;
    res->bytes = r->bytes;
    res->nbytes = done;
    res->count = done;
    return true;
}

bool run_write_file(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    const scn_arg_t *val = &st->arg[1];
    uint32_t count = arg32(r, st, 2), done;
    const uint8_t *data;
    if (val->is_string) {
        data = scn_str(r->s, val->str_off); /* count is at most its length (scn_check) */
    } else {
        if (!grow_bytes(r, count ? count : 1)) return out_of_memory(st, err);
        memset(r->bytes, (uint8_t)arg32(r, st, 1), count);
        data = r->bytes;
    }
    ps_call_t c = ps_write_file(&r->be, arg32(r, st, 0), data, count, &done, &r->why);
    set_file_call(res, c, true);
    res->has |= SCN_HAS_COUNT;
    res->count = done;
    return true;
}

bool run_set_file_pointer(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t pos;
    ps_call_t c = ps_set_file_pointer(&r->be, arg32(r, st, 0), (int32_t)arg32(r, st, 1), arg32(r, st, 3), &pos, &r->why);
    set_file_call(res, c, false);
    res->ret = pos;
    return true;
}

bool run_set_end_of_file(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    set_file_call(res, ps_set_end_of_file(&r->be, arg32(r, st, 0), &r->why), true);
    return true;
}

bool run_get_file_size(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    uint32_t size;
    ps_call_t c = ps_get_file_size(&r->be, arg32(r, st, 0), &size, &r->why);
    set_file_call(res, c, false);
    res->ret = size;
    return true;
}

bool run_flush_view(scn_runner_t *r, const scn_stmt_t *st, scn_result_t *res, scn_error_t *err)
{
    (void)err;
    set_file_call(res, ps_flush_view(&r->be, arg32(r, st, 0), arg32(r, st, 1), &r->why), true);
    return true;
}
