/*
 * cdc: a ready-to-use connector configuration for a CDC database, as the
 * flat JSON object Kafka Connect takes (PUT /connectors/NAME/config), or
 * with --kafka-connect the body that creates the connector
 * (POST /connectors: {"name": ..., "config": {...}}). The keys come from
 * the engine file's [connector] section; the values from the container's
 * labels and environment, so they are right however long ago the
 * database was made. --network NET gives the address Kafka Connect uses
 * from a container on that network.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdc.h"
#include "config.h"
#include "dbarena.h"
#include "docker.h"
#include "report.h"

/* The connector's configuration; inside {"name", "config"} with kc. */
static void
cdc_json(const struct database *d, const struct kvlist *kv, int kc)
{
	struct strbuf		 out = STRBUF_INIT;
	struct json_writer	 jw = JSON_WRITER_INIT;
	size_t			 i;

	jw_object_begin(&jw, NULL);
	if (kc) {
		jw_string(&jw, "name", d->name);
		jw_object_begin(&jw, "config");
	}
	/* Kafka Connect takes every value as a string. */
	for (i = 0; i < kv->n; i++)
		jw_string(&jw, kv->v[i].key, kv->v[i].s.value);
	if (kc)
		jw_end(&jw);
	jw_end(&jw);
	jw_finish(&jw, &out);
	fputs(out.buf, stdout);
	strbuf_release(&out);
}

static int
cdc_print(struct database *d, const char *network, int kc)
{
	struct engine		 e;
	struct kvlist		 kv;
	char			*msg = NULL;
	int			 code = EXIT_OK;

	if (strcmp(d->cdc, "on") != 0) {
		error_msg("%s is not a CDC database (profile %s)", d->name,
		    d->profile);
		hint_msg("create one with: dbarena create %s --profile "
		    "cdc-fast", d->engine);
		return (EXIT_USAGE);
	}
	if (engine_load(d->engine, &e, &msg) == -1) {
		error_msg("%s", msg);
		free(msg);
		return (EXIT_CONFIG);
	}
	if (e.connector.n == 0) {
		error_msg("no connector for %s: %s has no [connector] section",
		    d->name, e.path);
		engine_free(&e);
		return (EXIT_CONFIG);
	}
	database_complete(d, &e);
	memset(&kv, 0, sizeof kv);
	/* On a network its address there, else one that works from here. */
	if (network != NULL)
		code = database_from_network(d, &e, network);
	else
		code = report_unreachable(d);
	if (code == EXIT_OK && cdc_connector(&e, d, &kv, &msg) == -1) {
		error_msg("%s: [connector]: %s", e.path, msg);
		free(msg);
		code = EXIT_CONFIG;
	} else if (code == EXIT_OK)
		cdc_json(d, &kv, kc);
	kvlist_free(&kv);
	engine_free(&e);
	return (code);
}

static int
cmd_cdc_exec(const struct args *args, int argc, char **argv)
{
	struct database_list	 full;
	enum output_format	 format = FORMAT_JSON;
	int			 code;

	if (args_format(args, &format) == -1)
		return (EXIT_USAGE);
	if (format != FORMAT_JSON)
		return (cmd_usage_error(&cmd_cdc_entry, "cdc prints JSON only"));
	if (argc != 1)
		return (cmd_usage_error(&cmd_cdc_entry, "one name needed"));
	if ((code = cmd_resolve_full(argc, argv, &full)) == EXIT_OK &&
	    full.n != 1) {
		error_msg("no such database: %s", argv[0]);
		code = EXIT_NOT_FOUND;
	}
	if (code == EXIT_OK)
		code = cdc_print(&full.v[0], args_get(args, "network"),
		    args_has(args, "kafka-connect"));
	database_list_free(&full);
	return (code);
}

static const struct cmd_option cdc_options[] = {
	{ "format", 0, "json", "JSON, the only format" },
	{ "kafka-connect", 0, NULL, "the body of Kafka Connect's POST "
	    "/connectors: {\"name\": ..., \"config\": {...}}" },
	CMD_OPTION_NETWORK,
	{ NULL, 0, NULL, NULL }
};

const struct cmd_entry cmd_cdc_entry = {
	"cdc", NULL, "[--format json] [--kafka-connect] [--network NET] NAME",
	"Print a Debezium connector configuration for a CDC database.",
	cdc_options, NULL, cmd_cdc_exec, 0
};
