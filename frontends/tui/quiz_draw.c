/* Quiz mode on the screen: the reveal of the last answer in the right-hand
 * panel, its verdict in colour. */
#include "draw.h"
#include "draw_text.h"
#include <string.h>

void quiz_draw(const tui_model_t *m, const tui_layout_t *L)
{
    strbuf_t b;
    strbuf_init(&b, NULL);
    quiz_mode_text(m, &b);
    const char *t = strbuf_str(&b);
    int y = L->tabs_y >= 0 ? L->tabs_y : L->pan_top, end = L->pan_top + L->pan_h;
    for (int row = 0; *t && y < end; row++) {
        size_t n = strcspn(t, "\n");
        bool right = !strncmp(t, "RIGHT", 5), wrong = !strncmp(t, "WRONG", 5), head = row == 0;
        int pair = right ? C_OK : wrong ? C_ERROR : head ? C_TITLE : !strncmp(t, "why:", 4) ? C_WHY : 0;
        attr_t a = right || wrong || head ? A_BOLD : 0;
        tx_on(pair, a);
        y += tx_wrapped(t, n, y, L->pan_left, end - y, L->pan_w, tx_hang(t, n), 0);
        tx_off(pair, a);
        t += n + (t[n] == '\n');
    }
    strbuf_fini(&b);
}
