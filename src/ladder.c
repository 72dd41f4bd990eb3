/* SPDX-License-Identifier: MIT */
#include <errno.h>

#include "ladder.h"
#include "util/macro.h"

static int ladder_enter(LadderState *s, const Ladder *l, int rung, uint64_t now) {
        int last = (int) l->n - 1;

        s->rung = MIN(rung, last);
        if (s->rung == last)
                s->deadline = now + LADDER_REPEAT_USEC;
        else
                s->deadline = now + l->rungs[s->rung].grace_usec;
        return l->rungs[s->rung].sig;
}

int ladder_next(LadderState *s, const Ladder *l, LadderEvent ev, int sig, uint64_t now) {
        int r;

        if (l->n == 0)
                return -EINVAL;

        switch (ev) {
        case LADDER_EV_START:
                if (ladder_running(s))
                        return 0;
                return ladder_enter(s, l, 0, now);

        case LADDER_EV_SIGNAL:
                r = ladder_rung_of(l, sig);
                if (!ladder_running(s))
                        return ladder_enter(s, l, MAX(r, 0), now);
                return ladder_enter(s, l, r > s->rung ? r : s->rung + 1, now);

        case LADDER_EV_TIMER:
                if (!ladder_running(s) || now < s->deadline)
                        return 0;
                return ladder_enter(s, l, s->rung + 1, now);

        default:
                return -EINVAL;
        }
}
