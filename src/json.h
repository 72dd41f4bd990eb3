/* SPDX-License-Identifier: MIT */
#pragma once

/* A small streaming JSON emitter into a growable memory buffer, for the report. Pure and
 * non-logging: no syscalls, it only allocates. Loop thread; not async-signal-safe.
 *
 * Commas, colons and (with JSON_PRETTY) newlines and 2-space indentation are inserted
 * automatically: the caller only says begin/end, key and value.
 *
 *      JsonWriter w;
 *      json_writer_init(&w, JSON_PRETTY);
 *      json_begin_object(&w);
 *      json_key(&w, "pid");
 *      json_int(&w, 1234);
 *      json_end_object(&w);
 *      r = json_finish(&w, &text, &len);       (text is the caller's to free)
 *
 * Errors are sticky: after the first failure every call returns the same error and writes
 * nothing, so a caller may check only json_finish(). -ENOMEM when the buffer cannot grow; -EINVAL
 * on misuse (a key outside an object or twice in a row, a value in an object without a key, an
 * end that does not match its begin, a second top-level value, finishing with containers open);
 * -E2BIG past JSON_DEPTH_MAX nested containers.
 *
 * Strings are taken as bytes and the output is always valid JSON and valid UTF-8:
 *  - '"' and '\' are escaped; control characters become \b \f \n \r \t or \u00XX (\u0001), and
 *    DEL becomes \u007f; U+2028 and U+2029 become \u2028 and \u2029 (JavaScript reads the JSON
 *    text too);
 *  - well-formed UTF-8 passes through as is;
 *  - invalid UTF-8 policy: every byte that does not belong to a well-formed UTF-8 sequence
 *    becomes one U+FFFD REPLACEMENT CHARACTER, written as the escape \ufffd. Ill-formed are: stray
 *    continuation bytes, C0/C1/F5..FF lead bytes, truncated sequences, overlong encodings
 *    (E0 80..9F, F0 80..8F), UTF-16 surrogates (ED A0..BF) and code points past U+10FFFF
 *    (F4 90..). A truncated sequence "E2 82" thus gives two U+FFFD. As a U+FFFD that was in the
 *    input passes through raw, "\ufffd" in the JSON text marks exactly the bytes replaced.
 *  - keys follow the same rules. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_DEPTH_MAX 64

typedef enum JsonFlags {
        JSON_PRETTY = 1 << 0,           /* newlines and 2-space indentation; a final newline */
} JsonFlags;

typedef struct JsonWriter {
        char *buf;
        size_t len, allocated;
        JsonFlags flags;
        unsigned depth;
        uint8_t stack[JSON_DEPTH_MAX];  /* per open container: JSON_CTX_* (json.c) */
        bool first;                     /* nothing written yet in the innermost container */
        bool have_key;                  /* a key was written, its value is due */
        bool done;                      /* the top-level value is complete */
        int error;                      /* the first error, sticky */
} JsonWriter;

/* Prepares w; allocates nothing yet. */
void json_writer_init(JsonWriter *w, JsonFlags flags);

/* Frees the buffer; w must be json_writer_init()ed again before reuse. Accepts a finished w. */
void json_writer_done(JsonWriter *w);

/* Containers. 0, or -errno as above. */
int json_begin_object(JsonWriter *w);
int json_end_object(JsonWriter *w);
int json_begin_array(JsonWriter *w);
int json_end_array(JsonWriter *w);

/* An object member's key; a value must follow. 0 or -errno. */
int json_key(JsonWriter *w, const char *key);

/* Values: in an array, at the top level, or after a key. 0 or -errno. */
int json_string(JsonWriter *w, const char *s);                  /* NULL writes null */
int json_string_len(JsonWriter *w, const char *s, size_t len);  /* bytes, NUL is \u0000; (NULL, 0)
                                                                 * writes "" */
int json_int(JsonWriter *w, int64_t v);
int json_uint(JsonWriter *w, uint64_t v);
int json_bool(JsonWriter *w, bool v);
int json_null(JsonWriter *w);
/* The shortest of %.15g/%.17g that reads back as v, with '.' whatever the locale; NaN and the
 * infinities, which JSON lacks, are written as null. */
int json_double(JsonWriter *w, double v);

/* Checks that exactly one complete top-level value was written, then hands out the text,
 * NUL-terminated (*ret_len excludes the NUL), and leaves w empty. Returns 0, the sticky error, or
 * -EINVAL when incomplete; on failure w keeps its buffer (free it with json_writer_done()). */
int json_finish(JsonWriter *w, char **ret, size_t *ret_len);
