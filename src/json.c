/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util/utf8.h"

enum {
        JSON_CTX_OBJECT,
        JSON_CTX_ARRAY,
};

void json_writer_init(JsonWriter *w, JsonFlags flags) {
        *w = (JsonWriter) {
                .flags = flags,
                .first = true,
        };
}

void json_writer_done(JsonWriter *w) {
        free(w->buf);
        w->buf = NULL;
        w->len = w->allocated = 0;
}

static int fail(JsonWriter *w, int r) {
        if (w->error == 0)
                w->error = r;
        return w->error;
}

static int reserve(JsonWriter *w, size_t extra) {
        size_t need, a;
        char *b;

        if (extra > SIZE_MAX - w->len - 1)
                return fail(w, -ENOMEM);
        need = w->len + extra + 1;      /* room for the NUL json_finish() adds */
        if (need <= w->allocated)
                return 0;
        a = w->allocated ? w->allocated : 256;
        while (a < need)
                a = a > SIZE_MAX / 2 ? need : a * 2;
        b = realloc(w->buf, a);
        if (!b)
                return fail(w, -ENOMEM);
        w->buf = b;
        w->allocated = a;
        return 0;
}

static int append(JsonWriter *w, const char *s, size_t n) {
        int r;

        r = reserve(w, n);
        if (r < 0)
                return r;
        memcpy(w->buf + w->len, s, n);
        w->len += n;
        return 0;
}

static int append_str(JsonWriter *w, const char *s) {
        return append(w, s, strlen(s));
}

static int newline_indent(JsonWriter *w, unsigned depth) {
        int r;

        if (!(w->flags & JSON_PRETTY))
                return 0;
        r = reserve(w, 1 + 2 * (size_t) depth);
        if (r < 0)
                return r;
        w->buf[w->len++] = '\n';
        memset(w->buf + w->len, ' ', 2 * (size_t) depth);
        w->len += 2 * (size_t) depth;
        return 0;
}

/* The comma and line break before an item (a key, or a value in an array). */
static int separate(JsonWriter *w) {
        int r;

        if (!w->first) {
                r = append(w, ",", 1);
                if (r < 0)
                        return r;
        }
        w->first = false;
        return newline_indent(w, w->depth);
}

/* Checks that a value may come now and writes what goes before it. */
static int begin_value(JsonWriter *w) {
        if (w->error < 0)
                return w->error;
        if (w->depth == 0)
                return w->done ? fail(w, -EINVAL) : 0;
        if (w->stack[w->depth - 1] == JSON_CTX_OBJECT) {
                if (!w->have_key)
                        return fail(w, -EINVAL);
                w->have_key = false;
                return 0;
        }
        return separate(w);
}

static void end_value(JsonWriter *w) {
        if (w->depth == 0)
                w->done = true;
}

static int begin_container(JsonWriter *w, uint8_t ctx, char c) {
        int r;

        r = begin_value(w);
        if (r < 0)
                return r;
        if (w->depth >= JSON_DEPTH_MAX)
                return fail(w, -E2BIG);
        r = append(w, &c, 1);
        if (r < 0)
                return r;
        w->stack[w->depth++] = ctx;
        w->first = true;
        return 0;
}

static int end_container(JsonWriter *w, uint8_t ctx, char c) {
        int r;

        if (w->error < 0)
                return w->error;
        if (w->depth == 0 || w->stack[w->depth - 1] != ctx || w->have_key)
                return fail(w, -EINVAL);
        w->depth--;
        if (!w->first) {
                r = newline_indent(w, w->depth);
                if (r < 0)
                        return r;
        }
        r = append(w, &c, 1);
        if (r < 0)
                return r;
        w->first = false;       /* the parent now holds this container */
        end_value(w);
        return 0;
}

int json_begin_object(JsonWriter *w) {
        return begin_container(w, JSON_CTX_OBJECT, '{');
}

int json_end_object(JsonWriter *w) {
        return end_container(w, JSON_CTX_OBJECT, '}');
}

int json_begin_array(JsonWriter *w) {
        return begin_container(w, JSON_CTX_ARRAY, '[');
}

int json_end_array(JsonWriter *w) {
        return end_container(w, JSON_CTX_ARRAY, ']');
}

static int write_string(JsonWriter *w, const char *str, size_t len) {
        const unsigned char *s = (const unsigned char *) str;
        size_t i = 0;
        int r;

        r = append(w, "\"", 1);
        while (r >= 0 && i < len) {
                size_t start = i, k;
                char esc[8];

                /* Copy the longest run that needs no escaping in one go. */
                while (i < len) {
                        if (s[i] < 0x80) {
                                if (s[i] < 0x20 || s[i] == '"' || s[i] == '\\' || s[i] == 0x7f)
                                        break;
                                i++;
                                continue;
                        }
                        k = utf8_sequence_len(s + i, len - i);
                        if (k == 0 || (k == 3 && s[i] == 0xe2 && s[i + 1] == 0x80 &&
                                       (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)))
                                break;
                        i += k;
                }
                r = append(w, str + start, i - start);
                if (r < 0 || i >= len)
                        break;

                switch (s[i]) {
                case '"':  r = append_str(w, "\\\""); break;
                case '\\': r = append_str(w, "\\\\"); break;
                case '\b': r = append_str(w, "\\b"); break;
                case '\f': r = append_str(w, "\\f"); break;
                case '\n': r = append_str(w, "\\n"); break;
                case '\r': r = append_str(w, "\\r"); break;
                case '\t': r = append_str(w, "\\t"); break;
                default:
                        if (s[i] < 0x80) {
                                snprintf(esc, sizeof esc, "\\u%04x", s[i]);
                                r = append_str(w, esc);
                        } else if (utf8_sequence_len(s + i, len - i) == 3) {
                                /* U+2028 or U+2029 */
                                r = append_str(w, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
                                i += 2;
                        } else
                                r = append_str(w, "\\ufffd");
                }
                i++;
        }
        if (r >= 0)
                r = append(w, "\"", 1);
        return r;
}

int json_key(JsonWriter *w, const char *key) {
        int r;

        if (w->error < 0)
                return w->error;
        if (!key || w->depth == 0 || w->stack[w->depth - 1] != JSON_CTX_OBJECT || w->have_key)
                return fail(w, -EINVAL);
        r = separate(w);
        if (r < 0)
                return r;
        r = write_string(w, key, strlen(key));
        if (r < 0)
                return r;
        r = append_str(w, w->flags & JSON_PRETTY ? ": " : ":");
        if (r < 0)
                return r;
        w->have_key = true;
        return 0;
}

static int write_scalar(JsonWriter *w, const char *text) {
        int r;

        r = begin_value(w);
        if (r < 0)
                return r;
        r = append_str(w, text);
        if (r < 0)
                return r;
        end_value(w);
        return 0;
}

int json_string_len(JsonWriter *w, const char *s, size_t len) {
        int r;

        if (!s && len > 0)
                return fail(w, -EINVAL);
        r = begin_value(w);
        if (r < 0)
                return r;
        r = write_string(w, s ? s : "", len);
        if (r < 0)
                return r;
        end_value(w);
        return 0;
}

int json_string(JsonWriter *w, const char *s) {
        if (!s)
                return json_null(w);
        return json_string_len(w, s, strlen(s));
}

int json_int(JsonWriter *w, int64_t v) {
        char buf[24];

        snprintf(buf, sizeof buf, "%" PRId64, v);
        return write_scalar(w, buf);
}

int json_uint(JsonWriter *w, uint64_t v) {
        char buf[24];

        snprintf(buf, sizeof buf, "%" PRIu64, v);
        return write_scalar(w, buf);
}

int json_bool(JsonWriter *w, bool v) {
        return write_scalar(w, v ? "true" : "false");
}

int json_null(JsonWriter *w) {
        return write_scalar(w, "null");
}

int json_double(JsonWriter *w, double v) {
        char buf[32];

        if (!isfinite(v))
                return json_null(w);
        snprintf(buf, sizeof buf, "%.15g", v);
        if (strtod(buf, NULL) != v)
                snprintf(buf, sizeof buf, "%.17g", v);
        /* A locale with a decimal comma would make this invalid JSON. */
        for (char *p = buf; *p; p++)
                if (*p == ',')
                        *p = '.';
        return write_scalar(w, buf);
}

int json_finish(JsonWriter *w, char **ret, size_t *ret_len) {
        int r;

        if (w->error < 0)
                return w->error;
        if (!w->done || w->depth > 0)
                return fail(w, -EINVAL);
        if (w->flags & JSON_PRETTY) {
                r = append(w, "\n", 1);
                if (r < 0)
                        return r;
        }
        r = reserve(w, 0);
        if (r < 0)
                return r;
        w->buf[w->len] = '\0';
        *ret = w->buf;
        if (ret_len)
                *ret_len = w->len;
        json_writer_init(w, w->flags);
        return 0;
}
