/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "spec.h"
#include "util/macro.h"

void job_spec_init(JobSpec *spec) {
        *spec = (JobSpec) {
                .timeout_usec = USEC_INFINITY,
                .leftovers = LEFTOVERS_KILL,
        };
        (void) parse_ladder(LADDER_DEFAULT, &spec->ladder, NULL);
}

static const char *const leftover_policy_names[_LEFTOVERS_MAX] = {
        [LEFTOVERS_KILL] = "kill",
        [LEFTOVERS_WAIT] = "wait",
};

LeftoverPolicy leftover_policy_from_string(const char *s) {
        for (int i = 0; i < _LEFTOVERS_MAX; i++)
                if (s && strcmp(s, leftover_policy_names[i]) == 0)
                        return (LeftoverPolicy) i;
        return _LEFTOVERS_INVALID;
}

const char *leftover_policy_to_string(LeftoverPolicy p) {
        return p >= 0 && p < _LEFTOVERS_MAX ? leftover_policy_names[p] : "invalid";
}
