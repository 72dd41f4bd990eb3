/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at s (Unicode table 3-7), or 0 if there
 * is none: no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF. n > 0. Pure. */
static inline size_t utf8_sequence_len(const unsigned char *s, size_t n) {
        unsigned char lo = 0x80, hi = 0xbf;
        size_t k;

        if (s[0] < 0x80)
                return 1;
        if (s[0] < 0xc2 || s[0] > 0xf4)
                return 0;               /* continuation byte, overlong C0/C1, past U+10FFFF */
        k = s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
        if (s[0] == 0xe0)
                lo = 0xa0;              /* overlong */
        else if (s[0] == 0xed)
                hi = 0x9f;              /* UTF-16 surrogates */
        else if (s[0] == 0xf0)
                lo = 0x90;              /* overlong */
        else if (s[0] == 0xf4)
                hi = 0x8f;              /* past U+10FFFF */
        if (n < k || s[1] < lo || s[1] > hi)
                return 0;
        for (size_t i = 2; i < k; i++)
                if (s[i] < 0x80 || s[i] > 0xbf)
                        return 0;
        return k;
}
