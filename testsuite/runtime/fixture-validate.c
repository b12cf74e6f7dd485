// SPDX-License-Identifier: MIT
/*
 * Linked with one of the plugin's fixtures (testsuite/plugin/fixtures):
 * hand the fixture's table to the runtime with the native backend and
 * report.  The plugin and the runtime must agree on every site: any
 * refusal (an instruction the decoder reads differently, a class
 * mismatch, padding it does not accept) fails.
 */
#include <stdio.h>
#include <string.h>
#include <previrt/backend.h>

extern const struct previrt_backend previrt_backend_native;

int main(void)
{
	struct previrt_stats st;
	struct previrt_env env;

	previrt_hosted_env(&env);
	memset(&st, 0, sizeof(st));
	previrt_patch_range(__start_previrt_sites, __stop_previrt_sites,
			    &previrt_backend_native, &env, &st);
	printf("sites %u kept %u refused %u\n", st.sites, st.kept, st.refused);
	return st.refused || st.kept != st.sites ? 1 : 0;
}
