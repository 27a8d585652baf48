/*
 * The ustar writer: the header fields a tar reader checks (magic,
 * checksum, octal fields, the type), padding to whole blocks, the end,
 * and names too long for the one field it fills.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "tar.h"

/* The checksum a reader computes: the header summed, its field as spaces. */
static unsigned long
header_sum(const char *h)
{
	unsigned long	sum = 0;
	size_t		i;

	for (i = 0; i < TAR_BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : (unsigned char)h[i];
	return (sum);
}

static void
check_header(const char *h, const char *name, char type, unsigned long mode,
    unsigned long size)
{
	assert_string_equal(h, name);
	assert_int_equal(strtoul(h + 100, NULL, 8), mode);
	assert_int_equal(strtoul(h + 108, NULL, 8), 0);	/* root's */
	assert_int_equal(strtoul(h + 124, NULL, 8), size);
	assert_int_equal(strtoul(h + 136, NULL, 8), 1700000000);
	assert_int_equal(h[156], type);
	assert_memory_equal(h + 257, "ustar\0" "00", 8);
	assert_int_equal(strtoul(h + 148, NULL, 8), header_sum(h));
	assert_int_equal(h[154], '\0');
	assert_int_equal(h[155], ' ');
}

static void
test_dir_and_file(void **state)
{
	struct strbuf	 tar = STRBUF_INIT;
	const char	*text = "[client]\nuser=\"root\"\n";
	size_t		 len = strlen(text);

	(void)state;
	assert_int_equal(tar_add_dir(&tar, "run/dbarena-client", 0700,
	    1700000000), 0);
	assert_int_equal(tar_add_file(&tar, "run/dbarena-client/my.cnf", 0600,
	    1700000000, text, len), 0);
	tar_end(&tar);
	/* Header, header, one data block, two blocks of zeros. */
	assert_int_equal(tar.len, 5 * TAR_BLOCK);
	check_header(tar.buf, "run/dbarena-client/", '5', 0700, 0);
	check_header(tar.buf + TAR_BLOCK, "run/dbarena-client/my.cnf", '0',
	    0600, len);
	assert_memory_equal(tar.buf + 2 * TAR_BLOCK, text, len);
	assert_int_equal(tar.buf[2 * TAR_BLOCK + len], '\0');
	assert_int_equal(tar.buf[tar.len - 1], '\0');
	assert_int_equal(tar.buf[3 * TAR_BLOCK], '\0');
	strbuf_release(&tar);
}

/* A file of exactly one block has no padding block after it. */
static void
test_padding(void **state)
{
	struct strbuf	 tar = STRBUF_INIT;
	char		 data[TAR_BLOCK + 1];

	(void)state;
	memset(data, 'x', sizeof data);
	assert_int_equal(tar_add_file(&tar, "f", 0644, 1700000000, data,
	    TAR_BLOCK), 0);
	assert_int_equal(tar.len, 2 * TAR_BLOCK);
	assert_int_equal(tar_add_file(&tar, "g", 0644, 1700000000, data,
	    TAR_BLOCK + 1), 0);
	assert_int_equal(tar.len, 2 * TAR_BLOCK + 3 * TAR_BLOCK);
	assert_int_equal(tar_add_file(&tar, "e", 0644, 1700000000, "", 0), 0);
	assert_int_equal(tar.len, 6 * TAR_BLOCK);
	strbuf_release(&tar);
}

/* Only the 100-byte name field is filled: longer names are refused. */
static void
test_long_name(void **state)
{
	struct strbuf	 tar = STRBUF_INIT;
	char		 name[102];

	(void)state;
	memset(name, 'n', 100);
	name[100] = '\0';
	assert_int_equal(tar_add_file(&tar, name, 0600, 0, "", 0), 0);
	strbuf_reset(&tar);
	assert_int_equal(tar_add_dir(&tar, name, 0700, 0), -1);
	name[100] = 'n';
	name[101] = '\0';
	assert_int_equal(tar_add_file(&tar, name, 0600, 0, "", 0), -1);
	assert_int_equal(tar_add_file(&tar, "", 0600, 0, "", 0), -1);
	assert_int_equal(tar.len, 0);
	strbuf_release(&tar);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_and_file),
		cmocka_unit_test(test_padding),
		cmocka_unit_test(test_long_name),
	};

	return (cmocka_run_group_tests_name("tar", tests, NULL, NULL));
}
