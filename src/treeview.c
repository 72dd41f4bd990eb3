/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "treeview.h"
#include "util/utf8.h"
#include "util/macro.h"

#define WCHAN_WIDTH 20                  /* most sleeping functions fit; a longer one widens its line */

/* ---- The command text ----------------------------------------------------------------------- */

/* A growing string built from units (a character, or an escape) that are never split, with the
 * length of the longest prefix of whole units that fits in `limit` columns. */
typedef struct Text {
        char *buf;
        size_t len, allocated;
        size_t cols;
        size_t limit;                   /* SIZE_MAX: no limit */
        size_t cut_len;                 /* bytes of the prefix within limit */
} Text;

static int text_unit(Text *t, const char *s, size_t n, size_t cols) {
        if (t->len + n + 1 > t->allocated) {
                size_t a = MAX(t->allocated * 2, t->len + n + 1);
                char *b;

                a = MAX(a, (size_t) 128);
                b = realloc(t->buf, a);
                if (!b)
                        return -ENOMEM;
                t->buf = b;
                t->allocated = a;
        }
        memcpy(t->buf + t->len, s, n);
        t->len += n;
        t->buf[t->len] = '\0';
        if (t->cols <= t->limit && cols <= t->limit - t->cols)
                t->cut_len = t->len;
        t->cols += cols;
        return 0;
}

static int text_str(Text *t, const char *s) {
        size_t n = strlen(s);

        return text_unit(t, s, n, n);
}

/* Valid UTF-8 that a terminal would still act on rather than show: C1 controls (U+0080..U+009F),
 * the line and paragraph separators U+2028/U+2029 and the bidi controls U+202A..U+202E and
 * U+2066..U+2069, which can make a command line read as something it is not. */
static bool utf8_is_control(const unsigned char *s, size_t k) {
        if (k == 2)
                return s[0] == 0xc2 && s[1] < 0xa0;
        if (k == 3 && s[0] == 0xe2 && s[1] == 0x80)
                return s[2] >= 0xa8 && s[2] <= 0xae;
        if (k == 3 && s[0] == 0xe2 && s[1] == 0x81)
                return s[2] >= 0xa6 && s[2] <= 0xa9;
        return false;
}

static int text_escaped_byte(Text *t, unsigned char c) {
        char esc[8];

        snprintf(esc, sizeof esc, "\\x%02x", c);
        return text_str(t, esc);
}

/* Appends the bytes of one arg (or the comm), escaped; quote: inside single quotes. */
static int text_bytes(Text *t, const char *str, size_t len, bool quote) {
        const unsigned char *s = (const unsigned char *) str;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < len; ) {
                unsigned char c = s[i];
                size_t k;

                if (c < 0x80) {
                        char one[2] = { (char) c, '\0' };

                        if (c == '\n')
                                r = text_str(t, "\\n");
                        else if (c == '\t')
                                r = text_str(t, "\\t");
                        else if (c == '\r')
                                r = text_str(t, "\\r");
                        else if (c < 0x20 || c == 0x7f)
                                r = text_escaped_byte(t, c);
                        else if (c == '\\')
                                r = text_str(t, "\\\\");
                        else if (c == '\'' && quote)
                                r = text_str(t, "\\'");
                        else
                                r = text_str(t, one);
                        i++;
                        continue;
                }
                k = utf8_sequence_len(s + i, len - i);
                if (k == 0 || utf8_is_control(s + i, k)) {
                        /* Escape each byte of a control, one unit each, so a cut may fall between. */
                        size_t m = MAX(k, (size_t) 1);

                        for (size_t j = 0; r >= 0 && j < m; j++)
                                r = text_escaped_byte(t, s[i + j]);
                        i += m;
                        continue;
                }
                r = text_unit(t, str + i, k, 1);
                i += k;
        }
        return r;
}

static bool needs_quotes(const char *s, size_t len) {
        return len == 0 || memchr(s, ' ', len) || memchr(s, '\'', len) || memchr(s, '"', len);
}

static int text_cmdline(Text *t, const ProcInfo *p) {
        int r;

        if (!p->cmdline || p->cmdline_len == 0) {
                r = text_str(t, "[");
                if (r >= 0)
                        r = text_bytes(t, p->comm, strlen(p->comm), false);
                if (r >= 0)
                        r = text_str(t, "]");
                return r;
        }

        for (size_t i = 0; i <= p->cmdline_len; ) {
                const char *arg = p->cmdline + i, *nul;
                size_t l;
                bool q;

                nul = memchr(arg, '\0', p->cmdline_len - i);
                l = nul ? (size_t) (nul - arg) : p->cmdline_len - i;
                q = needs_quotes(arg, l);
                if (i > 0 && (r = text_str(t, " ")) < 0)
                        return r;
                if (q && (r = text_str(t, "'")) < 0)
                        return r;
                r = text_bytes(t, arg, l, q);
                if (r < 0)
                        return r;
                if (q && (r = text_str(t, "'")) < 0)
                        return r;
                i += l + 1;
        }
        return 0;
}

int treeview_format_cmdline(const ProcInfo *p, char **ret) {
        Text t = { .limit = SIZE_MAX };
        int r;

        r = text_cmdline(&t, p);        /* writes "[comm]" at least: t.buf is set on success */
        if (r < 0) {
                free(t.buf);
                return r;
        }
        *ret = t.buf;
        return 0;
}

/* ---- Columns -------------------------------------------------------------------------------- */

/* "0s", "0.52s", "12.3s", "4m05s", "2h05m", "3d04h": at most 7 characters up to 99999 days. */
static void format_usec(uint64_t usec, char *buf, size_t size) {
        uint64_t s = usec / USEC_PER_SEC;

        if (usec == 0)
                snprintf(buf, size, "0s");
        else if (s < 10)
                snprintf(buf, size, "%" PRIu64 ".%02" PRIu64 "s", s, usec / 10000 % 100);
        else if (s < 60)
                snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "s", s, usec / 100000 % 10);
        else if (s < 3600)
                snprintf(buf, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
        else if (s < 86400)
                snprintf(buf, size, "%" PRIu64 "h%02" PRIu64 "m", s / 3600, s / 60 % 60);
        else
                snprintf(buf, size, "%" PRIu64 "d%02" PRIu64 "h", s / 86400, s / 3600 % 24);
}

/* "0", "512B", "880K", "3.9M", "12.4M", "140M", "1.2G", ... in powers of 1024. */
static void format_bytes(uint64_t b, char *buf, size_t size) {
        static const char units[] = "KMGTPE";
        uint64_t unit = 1024;
        size_t u = 0;

        if (b == 0) {
                snprintf(buf, size, "0");
                return;
        }
        if (b < 1024) {
                snprintf(buf, size, "%" PRIu64 "B", b);
                return;
        }
        while (u + 1 < sizeof units - 1 && b / unit >= 1024) {
                unit *= 1024;
                u++;
        }
        if (u == 0 || b / unit >= 100)
                snprintf(buf, size, "%" PRIu64 "%c", b / unit, units[u]);
        else
                snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", b / unit, b % unit * 10 / unit, units[u]);
}

static const char *state_marker(char state) {
        switch (state) {
        case 'Z':
                return "<zombie> ";
        case 'D':
                return "<D: uninterruptible> ";
        case 'T':
                return "<stopped> ";
        case 't':
                return "<traced> ";
        default:
                return "";
        }
}

static void write_sockets(FILE *f, const ProcInfo *p) {
        const ProcSockets *s = &p->sockets;
        const char *sep = "";
        bool any_tcp = false;

        if (!p->sockets_known || procinfo_sockets_total(s) == 0)
                return;
        fputs("  [", f);
        for (int st = PROC_TCP_ESTABLISHED; st < _PROC_TCP_STATE_MAX; st++)
                if (s->tcp[st] > 0) {
                        fprintf(f, "%s%u %s", any_tcp ? ", " : "tcp: ", s->tcp[st],
                                procinfo_tcp_state_to_string(st));
                        any_tcp = true;
                }
        if (s->tcp[PROC_TCP_UNKNOWN] > 0) {
                fprintf(f, "%s%u UNKNOWN", any_tcp ? ", " : "tcp: ", s->tcp[PROC_TCP_UNKNOWN]);
                any_tcp = true;
        }
        if (any_tcp)
                sep = "; ";
        if (s->udp > 0) {
                fprintf(f, "%sudp: %u", sep, s->udp);
                sep = "; ";
        }
        if (s->unix_sockets > 0) {
                fprintf(f, "%sunix: %u", sep, s->unix_sockets);
                sep = "; ";
        }
        if (s->other > 0)
                fprintf(f, "%sother: %u", sep, s->other);
        fputs("]", f);
}

/* One line. last[1..depth-1]: whether the ancestor at that level is its parent's last child. */
static int write_line(FILE *f, const ProcInfo *p, unsigned depth, const bool *last, size_t width) {
        char age[32], cpu[32], rss[32];
        const char *dot;
        int wchan_len;
        Text t = { .limit = width > 3 ? width - 3 : 0 };
        int r;

        if (width == 0)
                t.limit = SIZE_MAX;
        r = text_cmdline(&t, p);
        if (r < 0) {
                free(t.buf);
                return r;
        }

        /* GCC clone suffixes (".constprop.0", ".isra.0", ".part.0") say nothing to a reader and
         * push the tree out of line; no kernel symbol has a '.' otherwise. The report keeps them. */
        dot = strchr(p->wchan, '.');
        wchan_len = dot ? (int) (dot - p->wchan) : (int) strlen(p->wchan);

        format_usec(p->age_usec, age, sizeof age);
        format_usec(p->cpu_usec, cpu, sizeof cpu);
        format_bytes(p->rss_bytes, rss, sizeof rss);
        fprintf(f, "%7d %c %7s %7s %6s %7d %7d %-*.*s ",
                (int) p->pid, p->state ? p->state : '?', age, cpu, rss, (int) p->pgid, (int) p->sid,
                WCHAN_WIDTH, wchan_len > 0 ? wchan_len : 1, wchan_len > 0 ? p->wchan : "-");
        for (unsigned d = 1; d < depth; d++)
                fputs(last[d] ? "    " : " |  ", f);
        if (depth > 0)
                fputs(" \\_ ", f);
        fputs(state_marker(p->state), f);
        if (width > 0 && t.cols > width) {
                fwrite(t.buf, 1, t.cut_len, f);
                fputs("...", f);
        } else if (t.buf)
                fputs(t.buf, f);
        write_sockets(f, p);
        fputc('\n', f);
        free(t.buf);
        return 0;
}

/* ---- The tree ------------------------------------------------------------------------------- */

typedef struct Node {
        const ProcInfo *p;
        size_t parent;                  /* SIZE_MAX: a root */
        size_t first_child, n_children; /* in Tree.children */
        bool visited;
} Node;

static int node_pid_cmp(const void *a, const void *b) {
        pid_t x = ((const Node *) a)->p->pid, y = ((const Node *) b)->p->pid;

        return (x > y) - (x < y);
}

static size_t find_node(const Node *nodes, size_t n, pid_t pid) {
        size_t lo = 0, hi = n;

        /* The first node with this pid, should the snapshot hold a pid twice. */
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (nodes[mid].p->pid < pid)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < n && nodes[lo].p->pid == pid ? lo : SIZE_MAX;
}

typedef struct Frame {
        size_t node;
        size_t next_child;              /* index into the node's children */
} Frame;

/* Writes the subtree at root depth-first, without recursion (a chain of processes may be deep). */
static int write_subtree(FILE *f, Node *nodes, const size_t *children, size_t root, Frame *stack,
                         bool *last, size_t width) {
        size_t depth = 0;
        int r;

        stack[0] = (Frame) { .node = root };
        last[0] = true;
        nodes[root].visited = true;
        r = write_line(f, nodes[root].p, 0, last, width);
        if (r < 0)
                return r;

        for (;;) {
                Frame *top = &stack[depth];
                Node *nd = &nodes[top->node];
                size_t c;

                if (top->next_child >= nd->n_children) {
                        if (depth == 0)
                                return 0;
                        depth--;
                        continue;
                }
                c = children[nd->first_child + top->next_child++];
                if (nodes[c].visited)
                        continue;       /* a ppid cycle closes here */
                nodes[c].visited = true;
                depth++;
                stack[depth] = (Frame) { .node = c };
                last[depth] = top->next_child >= nd->n_children;
                r = write_line(f, nodes[c].p, (unsigned) depth, last, width);
                if (r < 0)
                        return r;
        }
}

int treeview_render(FILE *f, const ProcInfo *procs, size_t n, const TreeviewOptions *opts) {
        TreeviewOptions o = opts ? *opts : TREEVIEW_OPTIONS_DEFAULT;
        _cleanup_free_ Node *nodes = NULL;
        _cleanup_free_ size_t *children = NULL;
        _cleanup_free_ Frame *stack = NULL;
        _cleanup_free_ bool *last = NULL;
        size_t at = 0;
        int r = 0;

        if (o.header)
                fprintf(f, "%7s %c %7s %7s %6s %7s %7s %-*s %s\n",
                        "PID", 'S', "AGE", "CPU", "RSS", "PGID", "SID", WCHAN_WIDTH, "WCHAN", "COMMAND");
        if (n == 0)
                return ferror(f) ? -EIO : 0;

        nodes = calloc(n, sizeof *nodes);
        children = calloc(n, sizeof *children);
        stack = calloc(n, sizeof *stack);
        last = calloc(n, sizeof *last);
        if (!nodes || !children || !stack || !last)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                nodes[i].p = &procs[i];
        qsort(nodes, n, sizeof *nodes, node_pid_cmp);

        /* Parents, then children grouped by parent in pid order (a counting sort). */
        for (size_t i = 0; i < n; i++) {
                const ProcInfo *p = nodes[i].p;
                size_t j = p->ppid != p->pid ? find_node(nodes, n, p->ppid) : SIZE_MAX;

                nodes[i].parent = j == i ? SIZE_MAX : j;
                if (nodes[i].parent != SIZE_MAX)
                        nodes[nodes[i].parent].n_children++;
        }
        for (size_t i = 0; i < n; i++) {
                nodes[i].first_child = at;
                at += nodes[i].n_children;
                nodes[i].n_children = 0;
        }
        for (size_t i = 0; i < n; i++)
                if (nodes[i].parent != SIZE_MAX) {
                        Node *parent = &nodes[nodes[i].parent];

                        children[parent->first_child + parent->n_children++] = i;
                }

        /* Roots in pid order; then whatever a ppid cycle kept out of reach, from its lowest pid. */
        for (size_t i = 0; r >= 0 && i < n; i++)
                if (nodes[i].parent == SIZE_MAX)
                        r = write_subtree(f, nodes, children, i, stack, last, o.cmdline_width);
        for (size_t i = 0; r >= 0 && i < n; i++)
                if (!nodes[i].visited)
                        r = write_subtree(f, nodes, children, i, stack, last, o.cmdline_width);
        if (r < 0)
                return r;
        return ferror(f) ? -EIO : 0;
}
