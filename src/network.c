/*
 * The networks databases join with --network, so that other containers
 * reach them by name: made when missing (labelled as dbarena's own),
 * refused when they are not a user-defined bridge, and removed again
 * only when dbarena made them and no container at all, running or
 * stopped, dbarena's or not, is on them any more. Create, destroy, gc
 * and pool drain call this; the docker calls are the adapter's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbarena.h"
#include "docker.h"
#include "network.h"

/*
 * Docker's and podman's default networks are bridges that give
 * containers no names: a database there cannot be reached by its name.
 */
static int
default_network(const char *name)
{
	return (strcmp(name, "bridge") == 0 || strcmp(name, "podman") == 0);
}

/* Whether a network that exists can be joined: EXIT_OK or said why. */
static int
joinable(const struct network_info *ni)
{
	if (strcmp(ni->driver, "bridge") != 0) {
		error_msg("network %s is not a bridge network (driver %s): "
		    "--network joins user-defined bridge networks", ni->name,
		    ni->driver);
		hint_msg("choose another name; dbarena creates the network "
		    "when it is missing");
		return (EXIT_CONFLICT);
	}
	if (!ni->ours && default_network(ni->name)) {
		error_msg("network %s is the engine's default network, where "
		    "containers have no names", ni->name);
		hint_msg("choose another name; dbarena creates the network "
		    "when it is missing");
		return (EXIT_CONFLICT);
	}
	return (EXIT_OK);
}

/*
 * Make sure network is there to join: a bridge that exists, or one made
 * now with owner's mark. Two creates may both find it missing; the one
 * whose create fails looks again. Not cut short by an interrupt, so that
 * a network docker makes carries the labels that let it go again.
 */
int
network_prepare(const char *network, const char *owner)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	struct network_info	ni;
	int			rc, tries, code = EXIT_OK;

	for (tries = 0; tries < 2; tries++) {
		if ((rc = docker_network_inspect(network, &ni, &res)) == -1) {
			code = docker_report(&res, "inspecting the network");
			break;
		}
		/*
		 * docker inspects by ID prefix too: a network whose ID
		 * starts with the name asked for is not that network.
		 */
		if (rc == 1 && strcmp(ni.name, network) != 0) {
			network_info_free(&ni);
			rc = 0;
		}
		if (rc == 1) {
			code = joinable(&ni);
			network_info_free(&ni);
			break;
		}
		docker_set_cancellable(0);
		rc = docker_network_create(network, owner, &res);
		docker_set_cancellable(1);
		if (rc == 0)
			break;
		if (tries == 1)
			code = docker_report(&res, "creating the network");
	}
	docker_result_release(&res);
	return (code);
}

/*
 * Remove network if dbarena made it and nothing is on it; a network
 * someone else made, or one still in use, stays. Returns 1 when it went,
 * 0 when it stays; a docker failure is a warning: the databases it was
 * for are gone either way. Runs to the end even after an interrupt.
 */
int
network_release(const char *network)
{
	struct docker_result	res = DOCKER_RESULT_INIT;
	struct network_info	ni;
	struct strvec		users = STRVEC_INIT;
	int			rc, gone = 0;

	if (network == NULL || *network == '\0')
		return (0);
	docker_set_cancellable(0);
	rc = docker_network_inspect(network, &ni, &res);
	/*
	 * Removed by the ID of the network that carries our mark: one of
	 * the same name made meanwhile by someone else has another ID, and
	 * stays. Its users are found by name: a container made on it and
	 * never started is known to it by name only.
	 */
	if (rc == 1 && ni.ours && strcmp(ni.name, network) == 0 &&
	    *ni.id != '\0') {
		if (docker_network_users(network, &users, &res) != 0)
			rc = -1;
		else if (users.n == 0 && docker_network_rm(ni.id, &res) == 0)
			gone = 1;
		/* One that joined meanwhile makes docker refuse: it stays. */
		else if (users.n == 0 && res.err != DERR_IN_USE &&
		    res.err != DERR_NO_SUCH)
			rc = -1;
	}
	/* Ours, but docker did not say its ID: kept, and said. */
	if (rc == 1 && ni.ours && strcmp(ni.name, network) == 0 &&
	    *ni.id == '\0')
		rc = -1;
	network_info_free(&ni);
	if (rc == -1) {
		warn_msg("could not remove network %s", network);
		hint_msg("if nothing uses it: docker network rm %s", network);
	}
	docker_set_cancellable(1);
	strvec_clear(&users);
	docker_result_release(&res);
	return (gone);
}

/*
 * The networks of the databases just removed, each once; says which went
 * (on stdout, as destroy says what it removed) unless quiet.
 */
void
network_release_all(const struct strvec *networks, int quiet)
{
	size_t	i, j;

	for (i = 0; i < networks->n; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(networks->v[i], networks->v[j]) == 0)
				break;
		}
		if (j == i && network_release(networks->v[i]) && !quiet)
			printf("removed network %s\n", networks->v[i]);
	}
}
