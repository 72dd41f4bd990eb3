/* SPDX-License-Identifier: MIT */
#include <setjmp.h>     /* cmocka 1.x needs these three before <cmocka.h> */
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util/macro.h"

/* Finishes w and compares the text with want. */
static void assert_json(JsonWriter *w, const char *want) {
        _cleanup_free_ char *text = NULL;
        size_t len = 0;

        assert_int_equal(json_finish(w, &text, &len), 0);
        assert_string_equal(text, want);
        assert_int_equal(len, strlen(want));
        json_writer_done(w);
}

/* The JSON text of one string value made of len bytes of s. */
static char *string_json(const char *s, size_t len) {
        JsonWriter w;
        char *text = NULL;

        json_writer_init(&w, 0);
        assert_int_equal(json_string_len(&w, s, len), 0);
        assert_int_equal(json_finish(&w, &text, NULL), 0);
        return text;
}

static void assert_string_json(const char *s, size_t len, const char *want) {
        _cleanup_free_ char *text = string_json(s, len);

        assert_string_equal(text, want);
}

#define ASSERT_STRING_JSON(lit, want) assert_string_json(lit, sizeof(lit) - 1, want)

static void test_compact_object_holds_every_kind_of_value(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        assert_int_equal(json_begin_object(&w), 0);
        assert_int_equal(json_key(&w, "pid"), 0);
        assert_int_equal(json_int(&w, 1234), 0);
        assert_int_equal(json_key(&w, "neg"), 0);
        assert_int_equal(json_int(&w, INT64_MIN), 0);
        assert_int_equal(json_key(&w, "big"), 0);
        assert_int_equal(json_uint(&w, UINT64_MAX), 0);
        assert_int_equal(json_key(&w, "ok"), 0);
        assert_int_equal(json_bool(&w, true), 0);
        assert_int_equal(json_key(&w, "bad"), 0);
        assert_int_equal(json_bool(&w, false), 0);
        assert_int_equal(json_key(&w, "none"), 0);
        assert_int_equal(json_null(&w), 0);
        assert_int_equal(json_key(&w, "nullstr"), 0);
        assert_int_equal(json_string(&w, NULL), 0);
        assert_int_equal(json_key(&w, "cmd"), 0);
        assert_int_equal(json_string(&w, "pytest -x"), 0);
        assert_int_equal(json_key(&w, "list"), 0);
        assert_int_equal(json_begin_array(&w), 0);
        assert_int_equal(json_int(&w, 1), 0);
        assert_int_equal(json_begin_object(&w), 0);
        assert_int_equal(json_end_object(&w), 0);
        assert_int_equal(json_begin_array(&w), 0);
        assert_int_equal(json_end_array(&w), 0);
        assert_int_equal(json_string(&w, ""), 0);
        assert_int_equal(json_end_array(&w), 0);
        assert_int_equal(json_end_object(&w), 0);
        assert_json(&w, "{\"pid\":1234,\"neg\":-9223372036854775808,\"big\":18446744073709551615,"
                        "\"ok\":true,\"bad\":false,\"none\":null,\"nullstr\":null,\"cmd\":\"pytest -x\","
                        "\"list\":[1,{},[],\"\"]}");
}

static void test_pretty_output_indents_by_two_and_ends_with_newline(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, JSON_PRETTY);
        json_begin_object(&w);
        json_key(&w, "a");
        json_int(&w, 1);
        json_key(&w, "b");
        json_begin_array(&w);
        json_int(&w, 2);
        json_begin_object(&w);
        json_key(&w, "c");
        json_null(&w);
        json_end_object(&w);
        json_end_array(&w);
        json_key(&w, "empty");
        json_begin_array(&w);
        json_end_array(&w);
        json_key(&w, "none");
        json_begin_object(&w);
        json_end_object(&w);
        json_end_object(&w);
        assert_json(&w,
                    "{\n"
                    "  \"a\": 1,\n"
                    "  \"b\": [\n"
                    "    2,\n"
                    "    {\n"
                    "      \"c\": null\n"
                    "    }\n"
                    "  ],\n"
                    "  \"empty\": [],\n"
                    "  \"none\": {}\n"
                    "}\n");
}

static void test_top_level_scalar_is_a_complete_document(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        assert_int_equal(json_uint(&w, 7), 0);
        assert_json(&w, "7");
        json_writer_init(&w, JSON_PRETTY);
        assert_int_equal(json_begin_array(&w), 0);
        assert_int_equal(json_end_array(&w), 0);
        assert_json(&w, "[]\n");
}

static void test_quotes_backslashes_and_control_characters_are_escaped(void **state) {
        (void) state;

        ASSERT_STRING_JSON("say \"hi\"", "\"say \\\"hi\\\"\"");
        ASSERT_STRING_JSON("C:\\dir", "\"C:\\\\dir\"");
        ASSERT_STRING_JSON("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
        ASSERT_STRING_JSON("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
        ASSERT_STRING_JSON("nul\0inside", "\"nul\\u0000inside\"");
        ASSERT_STRING_JSON("/ is fine", "\"/ is fine\"");
}

static void test_valid_multibyte_utf8_passes_through(void **state) {
        (void) state;

        ASSERT_STRING_JSON("caf\xc3\xa9", "\"caf\xc3\xa9\"");                   /* U+00E9 */
        ASSERT_STRING_JSON("\xe2\x82\xac", "\"\xe2\x82\xac\"");                 /* U+20AC */
        ASSERT_STRING_JSON("\xf0\x9d\x84\x9e", "\"\xf0\x9d\x84\x9e\"");         /* U+1D11E */
        ASSERT_STRING_JSON("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");                 /* U+FFFD itself */
        ASSERT_STRING_JSON("\xc2\x80\xdf\xbf", "\"\xc2\x80\xdf\xbf\"");         /* U+0080, U+07FF */
        /* U+D7FF and U+E000, around the surrogates */
        ASSERT_STRING_JSON("\xed\x9f\xbf\xee\x80\x80", "\"\xed\x9f\xbf\xee\x80\x80\"");
        ASSERT_STRING_JSON("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");         /* U+10FFFF */
}

static void test_each_invalid_utf8_byte_becomes_one_replacement_escape(void **state) {
        (void) state;

        ASSERT_STRING_JSON("bad\x9f\xff" "bytes", "\"bad\\ufffd\\ufffdbytes\"");
        ASSERT_STRING_JSON("\x80", "\"\\ufffd\"");                              /* lone continuation */
        ASSERT_STRING_JSON("\xc0\xaf", "\"\\ufffd\\ufffd\"");                   /* overlong '/' */
        ASSERT_STRING_JSON("\xc1\xbf", "\"\\ufffd\\ufffd\"");                   /* overlong */
        ASSERT_STRING_JSON("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"");        /* overlong 3-byte */
        ASSERT_STRING_JSON("\xf0\x80\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  /* overlong 4-byte */
        ASSERT_STRING_JSON("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");        /* U+D800 surrogate */
        ASSERT_STRING_JSON("\xed\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\"");        /* U+DFFF surrogate */
        ASSERT_STRING_JSON("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");  /* U+110000 */
        ASSERT_STRING_JSON("\xf5\xfe", "\"\\ufffd\\ufffd\"");
        ASSERT_STRING_JSON("x\xe2\x82", "\"x\\ufffd\\ufffd\"");                 /* truncated at end */
        ASSERT_STRING_JSON("\xe2\x82" "A", "\"\\ufffd\\ufffdA\"");              /* cut by ASCII */
        ASSERT_STRING_JSON("\xc3\xc3\xa9", "\"\\ufffd\xc3\xa9\"");              /* resyncs */
}

static void test_line_separators_are_escaped_for_javascript(void **state) {
        (void) state;

        ASSERT_STRING_JSON("a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"");
        ASSERT_STRING_JSON("\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\"");
}

static void test_keys_are_escaped_like_strings(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        json_begin_object(&w);
        assert_int_equal(json_key(&w, "a\"b\n\xff"), 0);
        json_int(&w, 1);
        json_end_object(&w);
        assert_json(&w, "{\"a\\\"b\\n\\ufffd\":1}");
}

/* Decodes one code point of strict UTF-8 (independently of json.c); 0 when invalid. */
static size_t decode_utf8(const unsigned char *s, size_t n, uint32_t *cp) {
        size_t k;
        uint32_t v;

        if (s[0] < 0x80) {
                *cp = s[0];
                return 1;
        }
        if ((s[0] & 0xe0) == 0xc0) {
                k = 2;
                v = s[0] & 0x1f;
        } else if ((s[0] & 0xf0) == 0xe0) {
                k = 3;
                v = s[0] & 0x0f;
        } else if ((s[0] & 0xf8) == 0xf0) {
                k = 4;
                v = s[0] & 0x07;
        } else
                return 0;
        if (n < k)
                return 0;
        for (size_t i = 1; i < k; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                v = v << 6 | (s[i] & 0x3f);
        }
        if ((k == 2 && v < 0x80) || (k == 3 && v < 0x800) || (k == 4 && v < 0x10000) ||
            v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
                return 0;
        *cp = v;
        return k;
}

static void test_random_bytes_always_give_valid_utf8_and_a_closed_string(void **state) {
        unsigned seed = 12345;
        (void) state;

        for (int round = 0; round < 20000; round++) {
                unsigned char in[24];
                _cleanup_free_ char *text = NULL;
                const unsigned char *t;
                size_t len, n = (size_t) (rand_r(&seed) % (int) sizeof in);
                bool esc = false;

                for (size_t i = 0; i < n; i++) {
                        /* Bias towards the interesting bytes: lead and continuation bytes. */
                        int x = rand_r(&seed);

                        in[i] = (unsigned char) (x % 3 == 0 ? 0x80 + x % 0x80 :
                                                 x % 3 == 1 ? 0xc0 + x % 0x40 : x);
                }
                text = string_json((const char *) in, n);
                t = (const unsigned char *) text;
                len = strlen(text);
                assert_true(len >= 2);
                assert_int_equal(t[0], '"');
                for (size_t i = 1; i < len; ) {
                        uint32_t cp;
                        size_t k = decode_utf8(t + i, len - i, &cp);

                        assert_true(k > 0);
                        assert_true(cp >= 0x20);                /* no raw control character */
                        if (esc)
                                esc = false;
                        else if (cp == '\\')
                                esc = true;
                        else if (cp == '"')
                                assert_int_equal(i, len - 1);   /* the only bare quote closes */
                        i += k;
                }
                assert_false(esc);
                assert_int_equal(t[len - 1], '"');
        }
}

static void test_doubles_read_back_exactly_and_non_finite_is_null(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        json_begin_array(&w);
        json_double(&w, 0.1);
        json_double(&w, 12.5);
        json_double(&w, 1e300);
        json_double(&w, -0.0);
        json_double(&w, 0.1 + 0.2);
        json_double(&w, NAN);
        json_double(&w, -INFINITY);
        json_end_array(&w);
        assert_json(&w, "[0.1,12.5,1e+300,-0,0.30000000000000004,null,null]");
}

static void test_key_outside_an_object_is_misuse(void **state) {
        JsonWriter w;
        char *text = NULL;
        (void) state;

        json_writer_init(&w, 0);
        assert_int_equal(json_key(&w, "top"), -EINVAL);
        /* Sticky: everything after fails the same way, and so does finishing. */
        assert_int_equal(json_begin_array(&w), -EINVAL);
        assert_int_equal(json_finish(&w, &text, NULL), -EINVAL);
        assert_null(text);
        json_writer_done(&w);

        json_writer_init(&w, 0);
        json_begin_array(&w);
        assert_int_equal(json_key(&w, "in array"), -EINVAL);
        json_writer_done(&w);
}

static void test_value_in_an_object_needs_a_key(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        json_begin_object(&w);
        assert_int_equal(json_int(&w, 1), -EINVAL);
        json_writer_done(&w);

        json_writer_init(&w, 0);
        json_begin_object(&w);
        json_key(&w, "a");
        assert_int_equal(json_key(&w, "b"), -EINVAL);
        json_writer_done(&w);

        json_writer_init(&w, 0);
        json_begin_object(&w);
        json_key(&w, "a");
        assert_int_equal(json_end_object(&w), -EINVAL);
        json_writer_done(&w);
}

static void test_mismatched_or_extra_ends_are_misuse(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        json_begin_object(&w);
        assert_int_equal(json_end_array(&w), -EINVAL);
        json_writer_done(&w);

        json_writer_init(&w, 0);
        assert_int_equal(json_end_object(&w), -EINVAL);
        json_writer_done(&w);

        json_writer_init(&w, 0);
        json_begin_array(&w);
        json_end_array(&w);
        assert_int_equal(json_end_array(&w), -EINVAL);
        json_writer_done(&w);
}

static void test_second_top_level_value_is_misuse(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        assert_int_equal(json_int(&w, 1), 0);
        assert_int_equal(json_int(&w, 2), -EINVAL);
        json_writer_done(&w);
}

static void test_finishing_an_incomplete_document_fails(void **state) {
        JsonWriter w;
        char *text = NULL;
        (void) state;

        json_writer_init(&w, 0);
        assert_int_equal(json_finish(&w, &text, NULL), -EINVAL);        /* nothing at all */
        json_writer_done(&w);

        json_writer_init(&w, 0);
        json_begin_array(&w);
        json_begin_object(&w);
        assert_int_equal(json_finish(&w, &text, NULL), -EINVAL);
        assert_null(text);
        json_writer_done(&w);
}

static void test_nesting_deeper_than_the_limit_is_refused(void **state) {
        JsonWriter w;
        (void) state;

        json_writer_init(&w, 0);
        for (int i = 0; i < JSON_DEPTH_MAX; i++)
                assert_int_equal(json_begin_array(&w), 0);
        assert_int_equal(json_begin_array(&w), -E2BIG);
        assert_int_equal(json_end_array(&w), -E2BIG);
        json_writer_done(&w);
}

static void test_buffer_grows_for_large_documents(void **state) {
        _cleanup_free_ char *text = NULL;
        JsonWriter w;
        size_t len;
        (void) state;

        json_writer_init(&w, JSON_PRETTY);
        json_begin_array(&w);
        for (int i = 0; i < 100000; i++)
                json_string(&w, "0123456789");
        json_end_array(&w);
        assert_int_equal(json_finish(&w, &text, &len), 0);
        /* "[" + 100000 × ("\n" + 2 spaces + "\"0123456789\"" + ",") - "," + "\n]\n" */
        assert_int_equal(len, 1 + 100000 * (1 + 2 + 12 + 1) - 1 + 3);
        assert_null(w.buf);                     /* handed out */
        json_writer_done(&w);
}

int main(void) {
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_compact_object_holds_every_kind_of_value),
                cmocka_unit_test(test_pretty_output_indents_by_two_and_ends_with_newline),
                cmocka_unit_test(test_top_level_scalar_is_a_complete_document),
                cmocka_unit_test(test_quotes_backslashes_and_control_characters_are_escaped),
                cmocka_unit_test(test_valid_multibyte_utf8_passes_through),
                cmocka_unit_test(test_each_invalid_utf8_byte_becomes_one_replacement_escape),
                cmocka_unit_test(test_line_separators_are_escaped_for_javascript),
                cmocka_unit_test(test_keys_are_escaped_like_strings),
                cmocka_unit_test(test_random_bytes_always_give_valid_utf8_and_a_closed_string),
                cmocka_unit_test(test_doubles_read_back_exactly_and_non_finite_is_null),
                cmocka_unit_test(test_key_outside_an_object_is_misuse),
                cmocka_unit_test(test_value_in_an_object_needs_a_key),
                cmocka_unit_test(test_mismatched_or_extra_ends_are_misuse),
                cmocka_unit_test(test_second_top_level_value_is_misuse),
                cmocka_unit_test(test_finishing_an_incomplete_document_fails),
                cmocka_unit_test(test_nesting_deeper_than_the_limit_is_refused),
                cmocka_unit_test(test_buffer_grows_for_large_documents),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
