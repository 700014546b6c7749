// SPDX-License-Identifier: GPL-2.0
/*
 * kcount: a qemu TCG plugin (qemu 7.2's plugin API, version 1: the header
 * beside it is qemu v7.2.0's include/qemu/qemu-plugin.h) that counts the
 * guest instructions executed between two markers, exactly, by guest PC
 * for the kernel and as one bucket for user space. make bench-profile
 * (tests/bench/profile) builds it into build/bench and loads it with
 *
 *   -plugin file=build/bench/kcount.so,out=FILE
 *
 * Each translation block gets an inline counter (one add per execution of
 * the block, no call out of the translated code): a kernel block
 * (address >= 0xffff800000000000) its own, kept across retranslations of
 * the same code, a user block a shared one that it adds its length to.
 * The markers are instructions that do nothing, found when their block is
 * translated (in any process; tests/bench/nsbench.c runs them around its
 * setns loop):
 *
 *   66 87 db   xchg %bx,%bx   start a window: every count back to 0
 *   66 87 c9   xchg %cx,%cx   end it: its counts appended to FILE
 *
 * A window in FILE:
 *
 *   window N
 *   user INSNS                     user-space instructions, all processes
 *   tb COUNT PC0 PC1 ... PCn-1     a kernel block run COUNT times, the
 *                                  addresses of its instructions (hex)
 *   end
 *
 * Exact as far as a block runs to its end once entered: a block left in
 * the middle (a fault, an interrupt is taken between blocks only; under
 * -icount an I/O access that makes qemu translate the block again) has
 * counted its instructions past that point too. The setns path has none.
 * The marker's own block counts a few user instructions past the marker.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "qemu-plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define KERNEL_START 0xffff800000000000ULL
#define MAX_INSNS 4096
#define BUCKETS (1u << 18)

struct block {
	uint64_t count;		/* executions since the window started */
	struct block *next;	/* in its hash bucket */
	struct block *all;	/* every block */
	size_t n;
	uint64_t pc[];
};

static struct block *table[BUCKETS];
static struct block *blocks;
static uint64_t user_insns;
static FILE *out;
static unsigned int windows;

static const unsigned char mark_start[3] = { 0x66, 0x87, 0xdb };
static const unsigned char mark_end[3] = { 0x66, 0x87, 0xc9 };

static void reset(void)
{
	struct block *b;

	for (b = blocks; b; b = b->all)
		b->count = 0;
	user_insns = 0;
}

static void on_start(unsigned int vcpu, void *udata)
{
	reset();
}

static void on_end(unsigned int vcpu, void *udata)
{
	struct block *b;
	size_t i;

	fprintf(out, "window %u\nuser %" PRIu64 "\n", ++windows, user_insns);
	for (b = blocks; b; b = b->all) {
		if (!b->count)
			continue;
		fprintf(out, "tb %" PRIu64, b->count);
		for (i = 0; i < b->n; i++)
			fprintf(out, " %016" PRIx64, b->pc[i]);
		fputc('\n', out);
	}
	fputs("end\n", out);
	fflush(out);
	reset();
}

/* The block of these instruction addresses, made the first time. */
static struct block *block_of(const uint64_t *pc, size_t n)
{
	uint64_t h = (pc[0] ^ (pc[n - 1] << 7) ^ n) * 0x9e3779b97f4a7c15ULL;
	struct block **head = &table[h >> (64 - 18)], *b;

	for (b = *head; b; b = b->next)
		if (b->n == n && !memcmp(b->pc, pc, n * sizeof(*pc)))
			return b;
	b = calloc(1, sizeof(*b) + n * sizeof(*pc));
	if (!b) {
		fprintf(stderr, "kcount: out of memory\n");
		abort();
	}
	b->n = n;
	memcpy(b->pc, pc, n * sizeof(*pc));
	b->next = *head;
	*head = b;
	b->all = blocks;
	blocks = b;
	return b;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	static uint64_t pc[MAX_INSNS];
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	if (!n || n > MAX_INSNS)
		return;
	if (qemu_plugin_tb_vaddr(tb) < KERNEL_START) {
		qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
							 &user_insns, n);
		for (i = 0; i < n; i++) {
			struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
			const void *data = qemu_plugin_insn_data(insn);

			if (qemu_plugin_insn_size(insn) != 3)
				continue;
			if (!memcmp(data, mark_start, 3))
				qemu_plugin_register_vcpu_insn_exec_cb(insn, on_start,
								       QEMU_PLUGIN_CB_NO_REGS, NULL);
			else if (!memcmp(data, mark_end, 3))
				qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end,
								       QEMU_PLUGIN_CB_NO_REGS, NULL);
		}
		return;
	}
	for (i = 0; i < n; i++)
		pc[i] = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, i));
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &block_of(pc, n)->count, 1);
}

static void on_atexit(qemu_plugin_id_t id, void *udata)
{
	fclose(out);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
	if (!path) {
		fprintf(stderr, "kcount: give the output file: -plugin file=kcount.so,out=FILE\n");
		return -1;
	}
	if (info->system_emulation && info->system.max_vcpus > 1)
		fprintf(stderr, "kcount: %d vCPUs: the counters are not atomic, and a window mixes them\n",
			info->system.max_vcpus);
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
