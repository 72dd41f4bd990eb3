/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "util/macro.h"
#include "util/strv.h"

#define JOB_NAME_MAX 64

/* ---- A mirror of inih's reading of one line (ini.c, ini_parse_stream(), release 55). ----
 *
 * The reader below runs it on each whole line before inih sees the line, to find the traps and
 * every syntax error (inih reports only the first). The handler then checks that inih read each
 * line as predicted, so a libinih built with other options shows up as an error, never as a
 * silently different value. */

typedef enum LineKind {
        LINE_BLANK,                     /* blank, or a comment */
        LINE_SECTION,
        LINE_KEY,
        LINE_CONTINUATION,              /* indented, after a key: more of that key's value */
        LINE_BAD,                       /* inih rejects it */
        _LINE_KIND_MAX,
        _LINE_KIND_INVALID = -EINVAL,
} LineKind;

typedef struct IniLine {
        LineKind kind;
        const char *why;                /* LINE_BAD */
        size_t start, end;              /* the line without leading and trailing white space */
        size_t name_start, name_end;    /* LINE_KEY: the key; LINE_SECTION: inside the brackets */
        size_t raw_value;               /* LINE_KEY: after '=' or ':'; LINE_CONTINUATION: start */
        size_t value_start, value_end;  /* what inih passes to the handler */
        size_t after;                   /* LINE_SECTION: after the ']' */
        size_t needed;                  /* inih must see text[0, needed) to read the line alike */
} IniLine;

/* inih's ini_find_chars_or_comment(): the first of chars, or of the inline comment prefixes
 * right after white space, in text[from, end); end when there is none. */
static size_t ini_find(const char *text, size_t from, size_t end, const char *chars) {
        bool was_space = false;
        size_t i;

        for (i = from; i < end; i++) {
                if (chars && strchr(chars, text[i]))
                        break;
                if (INI_ALLOW_INLINE_COMMENTS && was_space && strchr(INI_INLINE_COMMENT_PREFIXES, text[i]))
                        break;
                was_space = isspace((unsigned char) text[i]);
        }
        return i;
}

static size_t ini_rstrip(const char *text, size_t from, size_t end) {
        while (end > from && isspace((unsigned char) text[end - 1]))
                end--;
        return end;
}

static size_t ini_lskip(const char *text, size_t from, size_t end) {
        while (from < end && isspace((unsigned char) text[from]))
                from++;
        return from;
}

/* text holds no NUL and no line end. prev_name_set: inih's prev_name is not empty.
 * cont_comments: inih cuts inline comments in continuation lines too (releases after 55). */
static void ini_classify(const char *text, size_t len, bool prev_name_set, bool cont_comments, IniLine *ret) {
        IniLine l = { .kind = LINE_BLANK };
        size_t e;

        l.end = ini_rstrip(text, 0, len);
        l.start = ini_lskip(text, 0, l.end);

        if (l.start == l.end || strchr(INI_START_COMMENT_PREFIXES, text[l.start])) {
                l.needed = MIN(l.start + 1, l.end);
        } else if (INI_ALLOW_MULTILINE && prev_name_set && l.start > 0) {
                l.kind = LINE_CONTINUATION;
                l.raw_value = l.value_start = l.start;
                l.value_end = cont_comments ? ini_rstrip(text, l.start, ini_find(text, l.start, l.end, NULL)) : l.end;
                l.needed = l.value_end;
        } else if (text[l.start] == '[') {
                e = ini_find(text, l.start + 1, l.end, "]");
                if (e < l.end && text[e] == ']') {
                        l.kind = LINE_SECTION;
                        l.name_start = l.start + 1;
                        l.name_end = e;
                        l.after = l.needed = e + 1;
                } else {
                        l.kind = LINE_BAD;
                        l.why = "no ']' to end the section name (expected [tend] or [job:NAME])";
                        l.needed = l.end;
                }
        } else {
                e = ini_find(text, l.start, l.end, "=:");
                if (e < l.end && (text[e] == '=' || text[e] == ':')) {
                        size_t c = ini_find(text, e + 1, l.end, NULL);

                        l.kind = LINE_KEY;
                        l.name_start = l.start;
                        l.name_end = ini_rstrip(text, l.start, e);
                        l.raw_value = e + 1;
                        l.value_start = ini_lskip(text, e + 1, c);
                        l.value_end = ini_rstrip(text, l.value_start, c);
                        l.needed = MAX(l.value_end, e + 1);
                } else {
                        l.kind = LINE_BAD;
                        l.why = "not a key, a section or a comment (expected key = value, [section], "
                                "or an indented line continuing a value)";
                        l.needed = l.end;
                }
        }
        *ret = l;
}

/* Releases of inih after 55 cut inline comments in continuation lines too; 55 keeps them. The
 * header does not say which one we run with, so ask it. */
#if INI_HANDLER_LINENO
static int probe_handler(void *user, const char *section, const char *name, const char *value, int lineno) {
#else
static int probe_handler(void *user, const char *section, const char *name, const char *value) {
#endif
#if INI_HANDLER_LINENO
        (void) lineno;
#endif
        (void) section;
        (void) name;
        if (strcmp(value, "c") == 0)
                *(bool *) user = true;
        return 1;
}

static bool ini_cuts_continuation_comments(void) {
        bool cuts = false;

        (void) ini_parse_string("[s]\na = b\n c ;d\n", probe_handler, &cuts);
        return cuts;
}

/* ---- The loader. ---- */

typedef struct Section {
        char *name;                     /* as written between the brackets */
        unsigned line;
        bool is_tend, is_job;
        bool counts;                    /* a job for the Config: a good, new name */
} Section;

typedef struct Entry {
        size_t section;                 /* SIZE_MAX: before any section */
        unsigned line;
        char *key;
        char *value;                    /* from inih, with continuation lines joined by a space */
        bool bad;                       /* an error about it was reported already */
        bool got_value;
} Entry;

typedef struct Loader {
        FILE *f;
        ConfigErrors *errors;
        int r;                          /* -ENOMEM, or a read error */

        char *buf;
        size_t bufsize;
        unsigned line;

        Section *sections;
        size_t n_sections;
        Entry *entries;
        size_t n_entries;
        bool prev_name_set;             /* what inih's prev_name holds */
        bool cont_comments;             /* inih cuts inline comments in continuation lines */

        /* The line inih reads now. */
        IniLine cur;
        const char *cur_text;
        bool cur_poisoned;              /* inih gets a stand-in: ignore what it hands over */
        bool cur_handled;
        bool nul_line;

        /* Quotes in the value of the last entry, when its key splits words (command, ...). */
        bool quoting;
        char quote;                     /* 0, '\'' or '"' */
        bool escape;                    /* a backslash outside quotes waits for its character */
        unsigned quote_line;
} Loader;

static const char *loader_section_name(const Loader *l) {
        return l->n_sections > 0 ? l->sections[l->n_sections - 1].name : NULL;
}

static Entry *loader_last_entry(Loader *l) {
        return l->n_entries > 0 ? &l->entries[l->n_entries - 1] : NULL;
}

_printf_(5, 6)
static void loader_error(Loader *l, unsigned line, const char *section, const char *key, const char *fmt, ...) {
        ConfigErrors *e = l->errors;
        ConfigError err = { .line = line }, *a;
        va_list ap;
        size_t at;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&err.message, fmt, ap);
        va_end(ap);
        if (n < 0)
                err.message = NULL;
        err.section = section ? strdup(section) : NULL;
        err.key = key ? strdup(key) : NULL;
        a = realloc(e->errors, (e->n + 1) * sizeof *a);
        if (!err.message || (section && !err.section) || (key && !err.key) || !a) {
                free(err.message);
                free(err.section);
                free(err.key);
                if (a)
                        e->errors = a;
                l->r = -ENOMEM;
                return;
        }
        e->errors = a;

        /* Keep them sorted by line, in the order found within a line. */
        for (at = e->n; at > 0 && e->errors[at - 1].line > line; at--)
                ;
        memmove(e->errors + at + 1, e->errors + at, (e->n - at) * sizeof *a);
        e->errors[at] = err;
        e->n++;
}

static const char too_long_fmt[] =
        "line is %zu characters long, but the ini parser reads at most %zu and would cut it "
        "(expected shorter lines: continue a long value on indented lines, which tend joins with a space)";

static void loader_too_long(Loader *l, const char *section, const char *key, size_t len, size_t limit) {
        if (!l->nul_line)       /* that one was reported, and is why the line is not read */
                loader_error(l, l->line, section, key, too_long_fmt, len, limit);
}

static bool job_name_is_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > JOB_NAME_MAX || !(isalnum((unsigned char) s[0]) || s[0] == '_'))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!(isalnum((unsigned char) s[i]) || strchr("_.@-", s[i])))
                        return false;
        return true;
}

/* "[jobs:web]" -> "job:web", "[Tend]" -> "tend"; NULL when nothing is near. */
static char *section_suggest(const char *name) {
        const char *colon = strpbrk(name, ": -_.");
        char *s = NULL;

        if (strcasecmp(name, "tend") == 0 || edit_distance(name, "tend") <= 1)
                return strdup("tend");
        if (colon && colon[1] && job_name_is_valid(colon + 1)) {
                char prefix[16];
                size_t n = (size_t) (colon - name);

                if (n < sizeof prefix) {
                        memcpy(prefix, name, n);
                        prefix[n] = '\0';
                        for (size_t i = 0; i < n; i++)
                                prefix[i] = (char) tolower((unsigned char) prefix[i]);
                        if (edit_distance(prefix, "job") <= 2 && asprintf(&s, "job:%s", colon + 1) < 0)
                                return NULL;
                }
        }
        return s;
}

static void loader_section(Loader *l, const char *name, size_t n, bool poisoned) {
        Section s = { .line = l->line }, *a;

        s.name = strndup(name, n);
        a = realloc(l->sections, (l->n_sections + 1) * sizeof *a);
        if (!s.name || !a) {
                free(s.name);
                if (a)
                        l->sections = a;
                l->r = -ENOMEM;
                return;
        }
        l->sections = a;

        if (poisoned)
                ;       /* reported by the caller; its keys are not checked */
        else if (strcmp(s.name, "tend") == 0) {
                s.is_tend = true;
                for (size_t i = 0; i < l->n_sections; i++)
                        if (l->sections[i].is_tend) {
                                loader_error(l, l->line, s.name, NULL,
                                             "duplicate section (expected one [tend], which is on line %u)",
                                             l->sections[i].line);
                                break;
                        }
        } else if (strncmp(s.name, "job:", 4) == 0) {
                s.is_job = true;
                s.counts = true;
                if (!job_name_is_valid(s.name + 4)) {
                        loader_error(l, l->line, s.name, NULL,
                                     "bad job name '%s' (expected 1 to %d letters, digits, '_', '.', '@' or '-', "
                                     "not starting with '.', '@' or '-')", s.name + 4, JOB_NAME_MAX);
                        s.counts = false;
                }
                for (size_t i = 0; s.counts && i < l->n_sections; i++)
                        if (l->sections[i].is_job && strcmp(l->sections[i].name, s.name) == 0) {
                                loader_error(l, l->line, s.name, NULL,
                                             "duplicate job name '%s' (expected each job once; it is first "
                                             "defined on line %u)", s.name + 4, l->sections[i].line);
                                s.counts = false;
                        }
        } else {
                _cleanup_free_ char *hint = section_suggest(s.name);

                if (hint)
                        loader_error(l, l->line, s.name, NULL,
                                     "unknown section (expected [tend] or [job:NAME]; did you mean [%s]?)", hint);
                else
                        loader_error(l, l->line, s.name, NULL, "unknown section (expected [tend] or [job:NAME])");
        }
        l->sections[l->n_sections++] = s;
}

static Entry *loader_entry(Loader *l, const char *key, size_t n) {
        Entry e = { .line = l->line }, *a;

        e.section = l->n_sections > 0 ? l->n_sections - 1 : SIZE_MAX;
        e.key = strndup(key, n);
        a = realloc(l->entries, (l->n_entries + 1) * sizeof *a);
        if (!e.key || !a) {
                free(e.key);
                if (a)
                        l->entries = a;
                l->r = -ENOMEM;
                return NULL;
        }
        l->entries = a;
        l->entries[l->n_entries] = e;
        return &l->entries[l->n_entries++];
}

/* Follows the quotes of a value that parse_words() will split, over text[from, end), to the first
 * ';' after white space, where inih's inline comment starts. Returns 1 when that ';' is inside
 * quotes or inside a word (after an escaped space), 2 when it is outside and ends the line (a lone
 * ';' argument), 3 when it is outside and followed by text (a comment), 0 when there is none.
 * With inside_ok, a ';' inside quotes is passed over (inih keeps it there). */
static int loader_scan_quotes(Loader *l, const char *text, size_t from, size_t end, bool inside_ok) {
        bool was_space = false, escaped_space = false;

        if (l->escape)
                l->escape = false;      /* the space that joins the lines is the escaped character */

        for (size_t i = from; i < end; i++) {
                char c = text[i];

                if (was_space && strchr(INI_INLINE_COMMENT_PREFIXES, c)) {
                        if (!l->quote && !escaped_space)
                                return ini_lskip(text, i + 1, end) == end ? 2 : 3;
                        if (!inside_ok)
                                return 1;
                }
                escaped_space = false;
                if (l->escape) {
                        l->escape = false;
                        escaped_space = isspace((unsigned char) c);
                } else if (l->quote == '\'') {
                        if (c == '\'')
                                l->quote = 0;
                } else if (l->quote == '"') {
                        if (c == '\\' && i + 1 < end && strchr("\"\\$`", text[i + 1])) {
                                i++;
                                was_space = false;
                                continue;
                        }
                        if (c == '"')
                                l->quote = 0;
                } else if (c == '\\')
                        l->escape = true;
                else if (c == '\'' || c == '"') {
                        l->quote = c;
                        l->quote_line = l->line;
                }
                was_space = isspace((unsigned char) c);
        }
        return 0;
}

static const char not_a_comment_msg[] =
        "' ;' on a continuation line is not a comment for this ini parser: it would be part of the value "
        "(expected comments on lines of their own, or no white space before ';')";

/* The ';' traps on a line of entry e: text[from, end) is the line's value and what follows. */
static void loader_check_comment(Loader *l, Entry *e, const char *text, size_t from, size_t end, bool cuts) {
        int r;

        if (e->bad)
                return;
        if (!cuts) {
                /* inih 55 keeps " ;" in continuation lines. Inside quotes that is what the user
                 * meant; anywhere else it looks like a comment and is not one. */
                if (l->quoting)
                        r = loader_scan_quotes(l, text, from, end, true) >= 2;
                else
                        r = ini_find(text, from, end, NULL) < end;
                if (r) {
                        loader_error(l, l->line, loader_section_name(l), e->key, not_a_comment_msg);
                        e->bad = true;
                }
                return;
        }
        if (!l->quoting || !INI_ALLOW_INLINE_COMMENTS)
                return;
        r = loader_scan_quotes(l, text, from, end, false);
        if (r == 1) {
                loader_error(l, l->line, loader_section_name(l), e->key,
                             "';' after white space starts an ini comment even inside quotes, so the ini "
                             "parser would cut the value here (expected no white space before ';', as in "
                             "'a; b', or \\; outside quotes)");
                e->bad = true;
        } else if (r == 2) {
                loader_error(l, l->line, loader_section_name(l), e->key,
                             "a lone ';' after white space is an empty ini comment and would be dropped "
                             "(expected \\; or ';' for a ';' argument)");
                e->bad = true;
        }
}

/* Bookkeeping and trap checks for the line in l->cur. */
static void loader_line(Loader *l, const char *text, size_t len, size_t limit, bool poisoned) {
        const IniLine *c = &l->cur;
        Entry *e;

        switch (c->kind) {
        case LINE_BLANK:
                if (poisoned)
                        loader_too_long(l, loader_section_name(l), NULL, len, limit);
                /* An indented comment line in the middle of an open quote: inih skips it. */
                e = loader_last_entry(l);
                if (c->start > 0 && c->start < c->end && l->prev_name_set && e && !e->bad && l->quoting &&
                    l->quote) {
                        loader_error(l, l->line, loader_section_name(l), e->key,
                                     "this line starts with '%c', so the ini parser skips it as a comment, "
                                     "but the quote opened on line %u is still open (expected the quote "
                                     "closed before, or the line not starting with '%c')",
                                     text[c->start], l->quote_line, text[c->start]);
                        e->bad = true;
                }
                break;

        case LINE_BAD:
                if (poisoned)
                        loader_too_long(l, loader_section_name(l), NULL, len, limit);
                else
                        loader_error(l, l->line, loader_section_name(l), NULL, "%s", c->why);
                break;

        case LINE_SECTION: {
                size_t p = ini_lskip(text, c->after, c->end);

                if (poisoned)
                        loader_too_long(l, NULL, NULL, len, limit);
                loader_section(l, text + c->name_start, c->name_end - c->name_start, poisoned);
                l->prev_name_set = false;
                if (poisoned)
                        break;
                /* inih ignores whatever follows the ']'. */
                if (p < c->end && !strchr(INI_START_COMMENT_PREFIXES INI_INLINE_COMMENT_PREFIXES, text[p]))
                        loader_error(l, l->line, loader_section_name(l), NULL,
                                     "text after ']' would be ignored (expected nothing, or a comment)");
                break;
        }

        case LINE_KEY:
                e = loader_entry(l, text + c->name_start, c->name_end - c->name_start);
                l->prev_name_set = c->name_end > c->name_start;
                l->quoting = false;
                l->quote = 0;
                l->escape = false;
                if (!e)
                        break;
                if (l->n_sections == 0) {
                        loader_error(l, l->line, NULL, e->key,
                                     "key outside any section (expected it in a [job:NAME] section)");
                        e->bad = true;
                } else if (poisoned) {
                        loader_too_long(l, loader_section_name(l), e->key, len, limit);
                        e->bad = true;
                }
                l->quoting = job_key_quoted(job_key_from_string(e->key));
                loader_check_comment(l, e, text, c->raw_value, c->end, true);
                break;

        case LINE_CONTINUATION: {
                size_t eq = c->start + strcspn(text + c->start, "=:");
                char word[32];

                e = loader_last_entry(l);
                if (!e)
                        break;          /* cannot happen: prev_name_set needs a key line first */
                if (poisoned) {
                        loader_too_long(l, loader_section_name(l), e->key, len, limit);
                        e->bad = true;
                        break;
                }

                /* "    user = nobody" under "command = ...": inih reads it as more of the command. */
                if (eq < c->end) {
                        size_t n = ini_rstrip(text, c->start, eq) - c->start;

                        if (n < sizeof word) {
                                memcpy(word, text + c->start, n);
                                word[n] = '\0';
                                if (job_key_from_string(word) >= 0 || job_key_is_planned(word)) {
                                        loader_error(l, l->line, loader_section_name(l), e->key,
                                                     "this indented line looks like key '%s' but continues "
                                                     "the value of '%s' from line %u (expected keys at the "
                                                     "start of their line)", word, e->key, e->line);
                                        e->bad = true;
                                }
                        }
                }
                if (text[c->start] == '[' && (strncmp(text + c->start, "[job:", 5) == 0 ||
                                              strncmp(text + c->start, "[tend]", 6) == 0)) {
                        loader_error(l, l->line, loader_section_name(l), e->key,
                                     "this indented section header continues the value of '%s' from line %u "
                                     "(expected section headers at the start of their line)", e->key, e->line);
                        e->bad = true;
                }
                loader_check_comment(l, e, text, c->raw_value, c->end, l->cont_comments);
                break;
        }

        default:
                break;
        }
}

/* Called at each line and at the end: inih must have handed over the previous line's value. */
static void loader_check_handled(Loader *l) {
        if (l->line == 0 || l->cur_poisoned || l->cur_handled)
                return;
        if (l->cur.kind == LINE_KEY || l->cur.kind == LINE_CONTINUATION)
                loader_error(l, l->line, loader_section_name(l), NULL,
                             "the ini parser did not read this line as tend expected (a bug; expected key = value)");
}

static char *loader_deliver(char *str, int num, const char *text, size_t len) {
        size_t n = MIN(len, (size_t) num - 2);

        memcpy(str, text, n);
        str[n] = '\n';
        str[n + 1] = '\0';
        return str;
}

/* A stand-in for a line inih must not see, which leaves inih in the state the whole line would
 * have: the same section (or one of no consequence) and a prev_name set when the line's key is. */
static char *loader_stand_in(Loader *l, char *str, int num) {
        switch (l->cur.kind) {
        case LINE_KEY:
                return loader_deliver(str, num, l->cur.name_end > l->cur.name_start ? "x=" : "=", 2);
        case LINE_CONTINUATION:
                return loader_deliver(str, num, " x", 2);
        case LINE_SECTION:
                l->prev_name_set = false;
                return loader_deliver(str, num, "[]", 2);
        default:
                return loader_deliver(str, num, "", 0);
        }
}

/* inih's reader: hands inih one whole line of the file per call, never more than fits. */
static char *loader_read(char *str, int num, void *stream) {
        Loader *l = stream;
        const char *text;
        size_t len, limit, bom = 0;
        bool poisoned;
        ssize_t n;

        loader_check_handled(l);
        if (num < 8 || l->r < 0)
                return NULL;
        limit = (size_t) num - 2;       /* room for "\n" and the NUL */

        errno = 0;
        n = getline(&l->buf, &l->bufsize, l->f);
        if (n < 0) {
                if (ferror(l->f))
                        l->r = errno > 0 ? -errno : -EIO;
                return NULL;
        }
        l->line++;
        l->cur_poisoned = l->cur_handled = false;
        len = (size_t) n;
        if (len > 0 && l->buf[len - 1] == '\n')
                len--;
        if (len > 0 && l->buf[len - 1] == '\r')
                len--;
        l->buf[len] = '\0';
        text = l->buf;
        /* inih strips one BOM from the first line itself: classify what it will see, but hand it
         * the line as read (stripping here too would let a second BOM vanish, a fuzzer find). */
        if (INI_ALLOW_BOM && l->line == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
                text += 3;
                len -= 3;
                bom = 3;
        }
        l->cur_text = text;

        if (strlen(text) != len) {
                /* Account for what precedes the NUL (a key stays a key, so no "missing" follows),
                 * report the NUL, and give inih a stand-in. */
                loader_error(l, l->line, loader_section_name(l), NULL, "NUL byte in line (expected text)");
                len = strlen(text);
                l->nul_line = true;
                ini_classify(text, len, l->prev_name_set, l->cont_comments, &l->cur);
                loader_line(l, text, len, limit, true);
                l->nul_line = false;
                l->cur_poisoned = true;
                if (l->n_entries > 0 && l->entries[l->n_entries - 1].line == l->line)
                        l->entries[l->n_entries - 1].bad = true;
                return loader_stand_in(l, str, num);
        }

        ini_classify(text, len, l->prev_name_set, l->cont_comments, &l->cur);
        poisoned = l->cur.needed + bom > limit;
        loader_line(l, text, len, limit - bom, poisoned);
        if (!poisoned)
                /* What is cut off here is a comment or trailing white space: inih reads the same. */
                return loader_deliver(str, num, text - bom, len + bom);

        l->cur_poisoned = true;
        return loader_stand_in(l, str, num);
}

#if INI_HANDLER_LINENO
static int loader_handler(void *user, const char *section, const char *name, const char *value, int lineno) {
#else
static int loader_handler(void *user, const char *section, const char *name, const char *value) {
#endif
        Loader *l = user;
        const IniLine *c = &l->cur;
        Entry *e = loader_last_entry(l);
        size_t n = c->value_end - c->value_start;
        bool same;

#if INI_HANDLER_LINENO
        (void) lineno;          /* ours counts the same, and exists with every libinih */
#endif
        (void) section;         /* ours: inih cuts section names at 49 bytes */
        if (l->cur_poisoned)
                return 1;
        l->cur_handled = true;

        same = value && strlen(value) == n && memcmp(value, l->cur_text + c->value_start, n) == 0;
        if (c->kind == LINE_KEY)
                same = same && e && e->line == l->line && strcmp(name, e->key) == 0;
        else
                same = same && c->kind == LINE_CONTINUATION && e;
        if (!same) {
                loader_error(l, l->line, loader_section_name(l), NULL,
                             "the ini parser read this line differently from tend (a bug; expected "
                             "key = value as tend reads it)");
                if (e)
                        e->bad = true;
                return 1;
        }

        if (e->bad)
                return 1;
        if (!e->got_value) {
                e->value = strdup(value);
                e->got_value = true;
        } else {
                char *joined;

                /* Continuation lines join with one space; an empty first line adds none. */
                if (asprintf(&joined, "%s%s%s", e->value, *e->value ? " " : "", value) < 0)
                        joined = NULL;
                free(e->value);
                e->value = joined;
        }
        if (!e->value)
                l->r = -ENOMEM;
        return 1;
}

static void loader_resolve(Loader *l, const Section *s, JobSpec *spec, const unsigned *key_lines) {
        const char *why = NULL;
        unsigned line = 0;
        int r;

        r = job_spec_resolve_group(spec, &why);
        if (r == -ENOMEM)
                l->r = r;
        else if (r == -ESRCH)
                loader_error(l, key_lines[JOB_KEY_GROUP], s->name, "group", "'%s': %s", spec->group, why);
        else if (r < 0)
                loader_error(l, key_lines[JOB_KEY_GROUP], s->name, "group", "'%s': %s: %s", spec->group, why,
                             strerror(-r));

        r = job_spec_resolve_user(spec, &why);
        if (r == -ENOMEM)
                l->r = r;
        else if (r == -ESRCH)
                loader_error(l, key_lines[JOB_KEY_USER], s->name, "user", "'%s': %s", spec->user, why);
        else if (r < 0)
                loader_error(l, key_lines[JOB_KEY_USER], s->name, "user", "'%s': %s: %s", spec->user, why,
                             strerror(-r));

        r = job_spec_resolve_environment_file(spec, &line, &why);
        if (r == -ENOMEM)
                l->r = r;
        else if (r < 0 && line > 0)
                loader_error(l, key_lines[JOB_KEY_ENVIRONMENT_FILE], s->name, "environment_file",
                             "%s:%u: %s (expected NAME=VALUE assignments, quoted like A=1 \"B=two words\")",
                             spec->environment_file, line, why);
        else if (r < 0)
                loader_error(l, key_lines[JOB_KEY_ENVIRONMENT_FILE], s->name, "environment_file",
                             "'%s': %s: %s", spec->environment_file, why, strerror(-r));
}

/* Sets the keys of section si into a spec; every error is recorded. */
static void loader_job(Loader *l, size_t si, ConfigLoadFlags flags, Config *c) {
        const Section *s = &l->sections[si];
        ConfigJob job = { .line = s->line };
        bool command_seen = false;

        job_spec_init(&job.spec);
        for (size_t i = 0; i < l->n_entries && l->r >= 0; i++) {
                Entry *e = &l->entries[i];
                const char *why, *expected;
                JobKey k;
                int r;

                if (e->section != si)
                        continue;
                k = job_key_from_string(e->key);
                if (k == JOB_KEY_COMMAND)
                        command_seen = true;
                if (e->bad) {
                        if (k >= 0 && job.key_lines[k] == 0)
                                job.key_lines[k] = e->line;
                        continue;
                }
                if (s->is_tend) {
                        loader_error(l, e->line, s->name, e->key,
                                     "unknown key (expected no keys: [tend] has no settings yet, and job "
                                     "settings go in [job:NAME] sections)");
                        continue;
                }
                if (k < 0) {
                        const char *hint = job_key_suggest(e->key);

                        if (*e->key == '\0')
                                loader_error(l, e->line, s->name, NULL, "empty key name (expected key = value)");
                        else if (job_key_is_planned(e->key))
                                loader_error(l, e->line, s->name, e->key,
                                             "not supported yet (expected the keys of this version of tend)");
                        else if (hint)
                                loader_error(l, e->line, s->name, e->key, "unknown key (did you mean %s?)", hint);
                        else
                                loader_error(l, e->line, s->name, e->key,
                                             "unknown key (expected a job key such as command, user or limit_nofile)");
                        continue;
                }
                if (job.key_lines[k] > 0 && !job_key_repeatable(k)) {
                        loader_error(l, e->line, s->name, e->key,
                                     "set twice (expected each key once; it is first set on line %u)",
                                     job.key_lines[k]);
                        continue;
                }
                job.key_lines[k] = e->line;
                r = job_spec_set_key(&job.spec, k, e->value, &why, &expected);
                if (r == -ENOMEM)
                        l->r = r;
                else if (r < 0)
                        loader_error(l, e->line, s->name, e->key, "'%s': %s (expected %s)", e->value, why, expected);
        }

        if (s->is_job && !command_seen)
                loader_error(l, s->line, s->name, "command", "missing (expected command = PROGRAM [ARG...])");
        if (s->is_job && l->r >= 0 && !(flags & CONFIG_LOAD_NO_RESOLVE))
                loader_resolve(l, s, &job.spec, job.key_lines);

        if (s->counts && l->r >= 0) {
                ConfigJob *a = realloc(c->jobs, (c->n_jobs + 1) * sizeof *a);

                job.name = strdup(s->name + 4);
                if (a)
                        c->jobs = a;
                if (a && job.name) {
                        c->jobs[c->n_jobs++] = job;
                        return;
                }
                l->r = -ENOMEM;
                free(job.name);
        }
        job_spec_done(&job.spec);
}

void config_done(Config *c) {
        for (size_t i = 0; i < c->n_jobs; i++) {
                free(c->jobs[i].name);
                job_spec_done(&c->jobs[i].spec);
        }
        free(c->jobs);
        *c = (Config) { .n_jobs = 0 };
}

void config_errors_done(ConfigErrors *e) {
        for (size_t i = 0; i < e->n; i++) {
                free(e->errors[i].section);
                free(e->errors[i].key);
                free(e->errors[i].message);
        }
        free(e->errors);
        free(e->filename);
        *e = (ConfigErrors) { .n = 0 };
}

static void loader_done(Loader *l) {
        for (size_t i = 0; i < l->n_sections; i++)
                free(l->sections[i].name);
        free(l->sections);
        for (size_t i = 0; i < l->n_entries; i++) {
                free(l->entries[i].key);
                free(l->entries[i].value);
        }
        free(l->entries);
        free(l->buf);
}

int config_load(FILE *f, const char *filename, ConfigLoadFlags flags, Config *ret, ConfigErrors *errors) {
        Loader l = { .f = f, .errors = errors, .cont_comments = ini_cuts_continuation_comments() };
        Config c = { .n_jobs = 0 };
        int r;

        *errors = (ConfigErrors) { .filename = strdup(filename) };
        if (!errors->filename)
                return -ENOMEM;

        r = ini_parse_stream(loader_read, &l, loader_handler, &l);
        loader_check_handled(&l);
        if (l.r >= 0 && r == -2)
                l.r = -ENOMEM;
        if (l.r >= 0 && r > 0) {
                /* inih's first bad line must be one the reader reported. */
                bool known = false;

                for (size_t i = 0; i < errors->n; i++)
                        known = known || errors->errors[i].line == (unsigned) r;
                if (!known)
                        loader_error(&l, (unsigned) r, NULL, NULL,
                                     "the ini parser rejected this line, which tend did not expect (a bug)");
        }
        if (l.r < 0 && l.r != -ENOMEM)
                loader_error(&l, 0, NULL, NULL, "cannot read the file: %s", strerror(-l.r));
        if (l.r < 0) {
                r = l.r;
                loader_done(&l);
                return r;
        }

        for (size_t i = 0; i < l.n_sections && l.r >= 0; i++)
                if (l.sections[i].is_job || l.sections[i].is_tend)
                        loader_job(&l, i, flags, &c);
        if (l.r >= 0 && errors->n == 0 && c.n_jobs == 0)
                loader_error(&l, 0, NULL, NULL, "no job (expected at least one [job:NAME] section)");

        r = l.r < 0 ? l.r : errors->n > 0 ? -EBADMSG : 0;
        loader_done(&l);
        if (r < 0) {
                config_done(&c);
                return r;
        }
        *ret = c;
        return 0;
}

int config_load_path(const char *path, ConfigLoadFlags flags, Config *ret, ConfigErrors *errors) {
        FILE *f;
        int r;

        f = fopen(path, "re");
        if (!f) {
                Loader l = { .errors = errors };

                r = -errno;
                *errors = (ConfigErrors) { .filename = strdup(path) };
                if (!errors->filename)
                        return -ENOMEM;
                loader_error(&l, 0, NULL, NULL, "cannot open the file: %s", strerror(-r));
                return r;
        }
        r = config_load(f, path, flags, ret, errors);
        (void) fclose(f);
        return r;
}

char *config_error_to_string(const ConfigErrors *e, size_t i) {
        const ConfigError *err = &e->errors[i];
        char where[16] = "", section[JOB_NAME_MAX + 512] = "", *s;

        if (err->line > 0)
                snprintf(where, sizeof where, ":%u", err->line);
        if (err->section)
                snprintf(section, sizeof section, err->key ? "[%s] " : "[%s]: ", err->section);
        if (asprintf(&s, "%s%s: %s%s%s%s", e->filename, where, section,
                     err->key ? err->key : "", err->key ? ": " : "", err->message) < 0)
                return NULL;
        return s;
}

int config_errors_print(const ConfigErrors *e, FILE *f) {
        for (size_t i = 0; i < e->n; i++) {
                _cleanup_free_ char *s = config_error_to_string(e, i);

                if (!s)
                        return -ENOMEM;
                fprintf(f, "%s\n", s);
        }
        return ferror(f) ? -EIO : 0;
}

int config_format(const Config *c, FILE *f) {
        for (size_t i = 0; i < c->n_jobs; i++) {
                int r;

                fprintf(f, "%s[job:%s]\n", i > 0 ? "\n" : "", c->jobs[i].name);
                r = job_spec_format(&c->jobs[i].spec, f);
                if (r < 0)
                        return r;
        }
        return ferror(f) ? -EIO : 0;
}

const ConfigJob *config_find_job(const Config *c, const char *name) {
        for (size_t i = 0; i < c->n_jobs; i++)
                if (strcmp(c->jobs[i].name, name) == 0)
                        return &c->jobs[i];
        return NULL;
}
