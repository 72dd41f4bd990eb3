/* SPDX-License-Identifier: MIT */
/* tend's own main(), renamed tend_main() by the build, behind a main() that returns before doing
 * anything: the same binary, the same libraries, the same loader work, none of tend's. The start
 * cost of this program is what the dynamic loader and libc spend; tend's minus this one is tend's
 * own start-up work. */
int tend_main(int argc, char *argv[]);
int main(int argc, char *argv[]);

int main(int argc, char *argv[]) {
        if (argc < 0)   /* never: keeps tend_main() and everything it links */
                return tend_main(argc, argv);
        return 0;
}
