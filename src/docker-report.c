/*
 * What a docker error means to the user: the message, the hint below it
 * and the exit code. Above the docker adapter, which only classifies
 * errors (enum docker_error) and keeps docker's words; the adapter knows
 * nothing of messages to the user or exit codes.
 */
#include <string.h>

#include "dbarena.h"
#include "docker.h"
#include "sig.h"

/* Say what an operation's failure means and return the exit code for it. */
int
docker_report(const struct docker_result *res, const char *what)
{
	return (docker_report_error(res->err, what, res->msg.buf));
}

/*
 * The records a listing skipped: one stranger's odd labels must not stop
 * every command, but they are not passed over in silence either.
 */
void
docker_report_odd(struct docker_result *res)
{
	size_t	i;

	for (i = 0; i < res->odd.n; i++)
		warn_msg("skipping %s docker described oddly: %s",
		    res->odd_what, res->odd.v[i]);
	strvec_clear(&res->odd);
}

/*
 * What a listing's result (rc, res) comes to for a command: a warning
 * for each record docker described oddly, then EXIT_OK, or the exit code
 * of the failure, said as doing ("listing volumes") having failed.
 */
int
docker_report_listing(struct docker_result *res, int rc, const char *doing)
{
	docker_report_odd(res);
	return (rc == 0 ? EXIT_OK : docker_report(res, doing));
}

/* Say what went wrong (docker's words in detail) and the exit code. */
int
docker_report_error(enum docker_error e, const char *what, const char *detail)
{
	struct strbuf	 d = STRBUF_INIT;
	const char	*docker_program = docker_program_name();
	int		 rc = EXIT_FAIL;

	/*
	 * A call cut short by an interrupt failed because of it: docker's
	 * words (often none) would only mislead. Exit as the signal says.
	 */
	if (e != DERR_NONE && docker_cancelled())
		return (interrupted());
	if (detail != NULL)
		docker_error_line(detail, &d);
	switch (e) {
	case DERR_NONE:
		rc = EXIT_OK;
		break;
	case DERR_MISSING:
		error_msg("%s: command not found", docker_program);
		hint_msg("install docker or podman (Debian: apt-get install "
		    "docker.io, or podman), or name the program with --docker "
		    "or DBARENA_DOCKER");
		rc = EXIT_DOCKER;
		break;
	case DERR_EXEC:
		error_msg("cannot run %s: %s", docker_program,
		    strerror(docker_exec_errno()));
		hint_msg("name an executable docker or podman with --docker "
		    "or DBARENA_DOCKER");
		rc = EXIT_DOCKER;
		break;
	case DERR_BROKEN:
		error_msg("the connection to the docker daemon broke while %s: "
		    "%s", what, d.buf);
		hint_msg("the daemon may have acted on it; try: %s ps -a",
		    docker_program);
		rc = EXIT_DOCKER;
		break;
	case DERR_REFUSED:
		error_msg("docker refused it while %s: %s", what, d.buf);
		rc = EXIT_USAGE;
		break;
	case DERR_DAEMON:
		error_msg("cannot connect to the docker daemon");
		hint_msg("is the docker daemon running? try: %s info",
		    docker_program);
		rc = EXIT_DOCKER;
		break;
	case DERR_SSH:
		error_msg("cannot reach the engine over ssh: %s", d.buf);
		/* OpenSSH takes the endpoint as docker has it. */
		hint_msg("docker runs ssh as this does; try: ssh %s docker "
		    "version", docker_endpoint() != NULL ? docker_endpoint() :
		    "HOST");
		rc = EXIT_DOCKER;
		break;
	case DERR_PERMISSION:
		error_msg("permission denied talking to the docker daemon");
		hint_msg("join the docker group, or pick a context with "
		    "--context");
		rc = EXIT_DOCKER;
		break;
	case DERR_IMAGE:
		error_msg("image not found while %s: %s", what, d.buf);
		hint_msg("check --version and --image, or the registry mirror "
		    "(DBARENA_REGISTRY)");
		rc = EXIT_IMAGE;
		break;
	case DERR_REGISTRY:
		error_msg("cannot reach the registry while %s: %s", what,
		    d.buf);
		hint_msg("check the network, or use a registry mirror "
		    "(DBARENA_REGISTRY)");
		rc = EXIT_IMAGE;
		break;
	case DERR_NAME_IN_USE:
		error_msg("name already in use while %s", what);
		hint_msg("pick another --name, or remove the old one: "
		    "dbarena destroy NAME");
		rc = EXIT_CONFLICT;
		break;
	case DERR_PORT_IN_USE:
		error_msg("port already in use while %s: %s", what, d.buf);
		rc = EXIT_PORT;
		break;
	case DERR_NO_SUCH:
		error_msg("no such database or volume while %s", what);
		rc = EXIT_NOT_FOUND;
		break;
	case DERR_IN_USE:
		error_msg("still in use while %s: %s", what, d.buf);
		rc = EXIT_CONFLICT;
		break;
	case DERR_TIMEOUT:
		error_msg("%s did not answer in time while %s", docker_program,
		    what);
		hint_msg("is the docker daemon healthy? try: %s info",
		    docker_program);
		rc = EXIT_DOCKER;
		break;
	case DERR_OTHER:
		error_msg("%s failed: %s", what,
		    d.len ? d.buf : "(no message)");
		rc = EXIT_FAIL;
		break;
	}
	strbuf_release(&d);
	return (rc);
}
