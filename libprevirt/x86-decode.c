// SPDX-License-Identifier: MIT
/*
 * x86 decoder for the sensitive subset (see previrt/x86-insn.h).
 *
 * It walks prefixes, REX, the opcode map, ModRM/SIB, displacement and
 * immediates the way the processor does, but only for the opcodes the
 * runtime has business with: an opcode outside the subset is "unknown"
 * rather than guessed at, because guessing a length wrong would make the
 * patcher accept a sled that is not what the plugin recorded.
 *
 * The checks that matter for safety are the ones the processor would
 * fault on (#UD): a register operand where only memory is allowed, lock
 * where it is not allowed, an instruction that does not exist in this
 * code size, more than 15 bytes.  A sled holding such bytes was not
 * written by the plugin, so it is refused.
 */
#include <previrt/abi.h>
#include <previrt/x86-insn.h>

struct cursor {
	const uint8_t *p;
	size_t avail;
	size_t pos;
	int err;
};

static uint8_t next_byte(struct cursor *c)
{
	if (c->pos >= c->avail || c->pos >= 15) {
		if (!c->err)
			c->err = c->pos >= 15 ? PV_DEC_INVALID : PV_DEC_TRUNCATED;
		return 0;
	}
	return c->p[c->pos++];
}

/* Little-endian immediate or displacement of n bytes, sign-extended. */
static int64_t next_signed(struct cursor *c, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)next_byte(c) << (8 * i);
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~(uint64_t)0 << (8 * n);
	return (int64_t)v;
}

static int64_t next_unsigned(struct cursor *c, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)next_byte(c) << (8 * i);
	return (int64_t)v;
}

/* Which class each exact operation belongs to. */
static const uint8_t op_class[PV_OP_COUNT] = {
	[PV_OP_CLI] = PREVIRT_CLASS_CLI,
	[PV_OP_STI] = PREVIRT_CLASS_STI,
	[PV_OP_HLT] = PREVIRT_CLASS_HLT,
	[PV_OP_PUSHF] = PREVIRT_CLASS_PUSHF,
	[PV_OP_POPF] = PREVIRT_CLASS_POPF,
	[PV_OP_IN] = PREVIRT_CLASS_PIO,
	[PV_OP_OUT] = PREVIRT_CLASS_PIO,
	[PV_OP_INS] = PREVIRT_CLASS_PIO,
	[PV_OP_OUTS] = PREVIRT_CLASS_PIO,
	[PV_OP_MOV_FROM_CR] = PREVIRT_CLASS_CR,
	[PV_OP_MOV_TO_CR] = PREVIRT_CLASS_CR,
	[PV_OP_LMSW] = PREVIRT_CLASS_CR,
	[PV_OP_SMSW] = PREVIRT_CLASS_CR,
	[PV_OP_CLTS] = PREVIRT_CLASS_CR,
	[PV_OP_MOV_FROM_DR] = PREVIRT_CLASS_DR,
	[PV_OP_MOV_TO_DR] = PREVIRT_CLASS_DR,
	[PV_OP_LGDT] = PREVIRT_CLASS_DESC_LOAD,
	[PV_OP_LIDT] = PREVIRT_CLASS_DESC_LOAD,
	[PV_OP_LLDT] = PREVIRT_CLASS_DESC_LOAD,
	[PV_OP_LTR] = PREVIRT_CLASS_DESC_LOAD,
	[PV_OP_SGDT] = PREVIRT_CLASS_DESC_STORE,
	[PV_OP_SIDT] = PREVIRT_CLASS_DESC_STORE,
	[PV_OP_SLDT] = PREVIRT_CLASS_DESC_STORE,
	[PV_OP_STR] = PREVIRT_CLASS_DESC_STORE,
	[PV_OP_MOV_FROM_SEG] = PREVIRT_CLASS_SEG_READ,
	[PV_OP_PUSH_SEG] = PREVIRT_CLASS_SEG_READ,
	[PV_OP_MOV_TO_SEG] = PREVIRT_CLASS_SEG_WRITE,
	[PV_OP_POP_SEG] = PREVIRT_CLASS_SEG_WRITE,
	[PV_OP_LOAD_FAR_PTR] = PREVIRT_CLASS_SEG_WRITE,
	[PV_OP_LJMP] = PREVIRT_CLASS_FAR_XFER,
	[PV_OP_LCALL] = PREVIRT_CLASS_FAR_XFER,
	[PV_OP_LRET] = PREVIRT_CLASS_FAR_XFER,
	[PV_OP_LAR] = PREVIRT_CLASS_SEG_CHECK,
	[PV_OP_LSL] = PREVIRT_CLASS_SEG_CHECK,
	[PV_OP_VERR] = PREVIRT_CLASS_SEG_CHECK,
	[PV_OP_VERW] = PREVIRT_CLASS_SEG_CHECK,
	[PV_OP_INVLPG] = PREVIRT_CLASS_TLB,
	[PV_OP_INVPCID] = PREVIRT_CLASS_TLB,
	[PV_OP_INVLPGA] = PREVIRT_CLASS_TLB,
	[PV_OP_INVLPGB] = PREVIRT_CLASS_TLB,
	[PV_OP_TLBSYNC] = PREVIRT_CLASS_TLB,
	[PV_OP_INVD] = PREVIRT_CLASS_CACHE,
	[PV_OP_WBINVD] = PREVIRT_CLASS_CACHE,
	[PV_OP_WBNOINVD] = PREVIRT_CLASS_CACHE,
	[PV_OP_RDMSR] = PREVIRT_CLASS_MSR,
	[PV_OP_WRMSR] = PREVIRT_CLASS_MSR,
	[PV_OP_RDPMC] = PREVIRT_CLASS_PMC,
	[PV_OP_RDTSC] = PREVIRT_CLASS_TSC,
	[PV_OP_RDTSCP] = PREVIRT_CLASS_TSC,
	[PV_OP_CPUID] = PREVIRT_CLASS_CPUID,
	[PV_OP_IRET] = PREVIRT_CLASS_KRET,
	[PV_OP_SYSRET] = PREVIRT_CLASS_KRET,
	[PV_OP_SYSEXIT] = PREVIRT_CLASS_KRET,
	[PV_OP_SWAPGS] = PREVIRT_CLASS_SWAPGS,
	[PV_OP_RDFSBASE] = PREVIRT_CLASS_FSGSBASE,
	[PV_OP_RDGSBASE] = PREVIRT_CLASS_FSGSBASE,
	[PV_OP_WRFSBASE] = PREVIRT_CLASS_FSGSBASE,
	[PV_OP_WRGSBASE] = PREVIRT_CLASS_FSGSBASE,
	[PV_OP_XSETBV] = PREVIRT_CLASS_XCR,
	[PV_OP_XSAVES] = PREVIRT_CLASS_XSAVES,
	[PV_OP_XRSTORS] = PREVIRT_CLASS_XSAVES,
	[PV_OP_MONITOR] = PREVIRT_CLASS_MWAIT,
	[PV_OP_MWAIT] = PREVIRT_CLASS_MWAIT,
	[PV_OP_CLAC] = PREVIRT_CLASS_SMAP,
	[PV_OP_STAC] = PREVIRT_CLASS_SMAP,
	[PV_OP_VMX] = PREVIRT_CLASS_VMX,
	[PV_OP_WRMSRNS] = PREVIRT_CLASS_MSR,
	[PV_OP_RDMSRLIST] = PREVIRT_CLASS_MSR,
	[PV_OP_WRMSRLIST] = PREVIRT_CLASS_MSR,
};

static const char *const op_names[PV_OP_COUNT] = {
	[PV_OP_NONE] = "(other)", [PV_OP_NOP] = "nop",
	[PV_OP_CLI] = "cli", [PV_OP_STI] = "sti", [PV_OP_HLT] = "hlt",
	[PV_OP_PUSHF] = "pushf", [PV_OP_POPF] = "popf",
	[PV_OP_IN] = "in", [PV_OP_OUT] = "out",
	[PV_OP_INS] = "ins", [PV_OP_OUTS] = "outs",
	[PV_OP_MOV_LOAD] = "mov (load)", [PV_OP_MOV_STORE] = "mov (store)",
	[PV_OP_MOV_FROM_CR] = "mov from cr", [PV_OP_MOV_TO_CR] = "mov to cr",
	[PV_OP_LMSW] = "lmsw", [PV_OP_SMSW] = "smsw", [PV_OP_CLTS] = "clts",
	[PV_OP_MOV_FROM_DR] = "mov from dr", [PV_OP_MOV_TO_DR] = "mov to dr",
	[PV_OP_LGDT] = "lgdt", [PV_OP_LIDT] = "lidt", [PV_OP_LLDT] = "lldt",
	[PV_OP_LTR] = "ltr", [PV_OP_SGDT] = "sgdt", [PV_OP_SIDT] = "sidt",
	[PV_OP_SLDT] = "sldt", [PV_OP_STR] = "str",
	[PV_OP_MOV_FROM_SEG] = "mov from sreg", [PV_OP_PUSH_SEG] = "push sreg",
	[PV_OP_MOV_TO_SEG] = "mov to sreg", [PV_OP_POP_SEG] = "pop sreg",
	[PV_OP_LOAD_FAR_PTR] = "load far pointer",
	[PV_OP_LJMP] = "ljmp", [PV_OP_LCALL] = "lcall", [PV_OP_LRET] = "lret",
	[PV_OP_LAR] = "lar", [PV_OP_LSL] = "lsl", [PV_OP_VERR] = "verr",
	[PV_OP_VERW] = "verw", [PV_OP_INVLPG] = "invlpg",
	[PV_OP_INVPCID] = "invpcid", [PV_OP_INVLPGA] = "invlpga",
	[PV_OP_INVLPGB] = "invlpgb", [PV_OP_TLBSYNC] = "tlbsync",
	[PV_OP_INVD] = "invd", [PV_OP_WBINVD] = "wbinvd",
	[PV_OP_WBNOINVD] = "wbnoinvd", [PV_OP_RDMSR] = "rdmsr",
	[PV_OP_WRMSR] = "wrmsr", [PV_OP_RDPMC] = "rdpmc",
	[PV_OP_RDTSC] = "rdtsc", [PV_OP_RDTSCP] = "rdtscp",
	[PV_OP_CPUID] = "cpuid", [PV_OP_IRET] = "iret",
	[PV_OP_SYSRET] = "sysret", [PV_OP_SYSEXIT] = "sysexit",
	[PV_OP_SWAPGS] = "swapgs", [PV_OP_RDFSBASE] = "rdfsbase",
	[PV_OP_RDGSBASE] = "rdgsbase", [PV_OP_WRFSBASE] = "wrfsbase",
	[PV_OP_WRGSBASE] = "wrgsbase", [PV_OP_XSETBV] = "xsetbv",
	[PV_OP_XSAVES] = "xsaves", [PV_OP_XRSTORS] = "xrstors",
	[PV_OP_MONITOR] = "monitor", [PV_OP_MWAIT] = "mwait",
	[PV_OP_CLAC] = "clac", [PV_OP_STAC] = "stac", [PV_OP_VMX] = "vmx/svm",
	[PV_OP_WRMSRNS] = "wrmsrns", [PV_OP_RDMSRLIST] = "rdmsrlist",
	[PV_OP_WRMSRLIST] = "wrmsrlist",
};

const char *pv_x86_op_name(unsigned int op)
{
	return op < PV_OP_COUNT && op_names[op] ? op_names[op] : "?";
}

const char *pv_x86_strerror(int err)
{
	switch (err) {
	case PV_DEC_TRUNCATED: return "instruction runs past its bytes";
	case PV_DEC_UNKNOWN: return "not an instruction the runtime knows";
	case PV_DEC_INVALID: return "invalid encoding";
	case PV_DEC_MODE: return "not valid in this code size";
	default: return "no error";
	}
}

/*
 * ModRM and what follows it (SIB, displacement), for 16-, 32- and 64-bit
 * addressing.  Fills the register and memory operand fields.
 */
static void decode_modrm(struct cursor *c, struct pv_x86_insn *in)
{
	uint8_t m = next_byte(c);
	uint8_t rex_r = (in->rex >> 2) & 1, rex_x = (in->rex >> 1) & 1, rex_b = in->rex & 1;
	struct pv_x86_mem *mem = &in->mem;

	in->has_modrm = 1;
	in->mod = m >> 6;
	in->reg_field = (m >> 3) & 7;
	in->rm_field = m & 7;
	in->reg = in->reg_field | (rex_r << 3);
	in->rm_reg = PV_REG_NONE;
	mem->base = mem->index = PV_REG_NONE;
	mem->scale = 1;
	mem->disp = 0;

	if (in->mod == 3) {
		in->rm_reg = in->rm_field | (rex_b << 3);
		return;
	}
	in->has_mem = 1;

	if (in->adsize == 2) {
		/* The eight fixed base/index pairs of 16-bit addressing. */
		static const uint8_t b16[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
		static const uint8_t i16[8] = { 6, 7, 6, 7, PV_REG_NONE,
						PV_REG_NONE, PV_REG_NONE, PV_REG_NONE };
		if (in->mod == 0 && in->rm_field == 6) {
			mem->disp = next_unsigned(c, 2);
			return;
		}
		mem->base = b16[in->rm_field];
		mem->index = i16[in->rm_field];
		if (in->mod == 1)
			mem->disp = next_signed(c, 1);
		else if (in->mod == 2)
			mem->disp = next_unsigned(c, 2);
		return;
	}

	if (in->rm_field == 4) {
		uint8_t sib = next_byte(c);
		uint8_t idx = ((sib >> 3) & 7) | (rex_x << 3);
		uint8_t base = sib & 7;

		mem->scale = 1 << (sib >> 6);
		mem->index = idx == 4 ? PV_REG_NONE : idx;	/* no index: %esp slot, no REX.X */
		if (base == 5 && in->mod == 0) {
			mem->disp = next_signed(c, 4);
			return;
		}
		mem->base = base | (rex_b << 3);
	} else if (in->rm_field == 5 && in->mod == 0) {
		/* disp32: rip-relative in 64-bit code, absolute in 32-bit code */
		mem->base = in->bits == 64 ? PV_REG_RIP : PV_REG_NONE;
		mem->disp = next_signed(c, 4);
		return;
	} else {
		mem->base = in->rm_field | (rex_b << 3);
	}
	if (in->mod == 1)
		mem->disp = next_signed(c, 1);
	else if (in->mod == 2)
		mem->disp = next_signed(c, 4);
}

/* The segment a memory operand uses: an override, else by its base. */
static void resolve_segment(struct pv_x86_insn *in)
{
	uint8_t b = in->mem.base;

	if (in->seg_override != PV_SEG_NONE)
		in->mem.seg = in->seg_override;
	else if (in->adsize == 2)
		in->mem.seg = (in->has_modrm && (in->rm_field == 2 || in->rm_field == 3 ||
			       (in->rm_field == 6 && in->mod != 0))) ? PV_SEG_SS : PV_SEG_DS;
	else
		in->mem.seg = (b == 4 || b == 5) ? PV_SEG_SS : PV_SEG_DS;
}

/* Operand size of an ordinary instruction: 66 gives 2, REX.W gives 8. */
static uint8_t plain_opsize(const struct pv_x86_insn *in)
{
	if (in->rex & 8)
		return 8;
	return (in->prefixes & PV_PFX_OPSIZE) ? 2 : 4;
}

/* Stack operations: 8 bytes in 64-bit code unless 66 says 2. */
static uint8_t stack_opsize(const struct pv_x86_insn *in)
{
	if (in->prefixes & PV_PFX_OPSIZE)
		return 2;
	return in->bits == 64 ? 8 : 4;
}

/* Decoders of the two opcode maps return PV_DEC_* or 0; they set op. */
enum { NEED_MEM = 1, NEED_REG = 2 };

static int need_form(const struct pv_x86_insn *in, int form)
{
	if (form == NEED_MEM && in->mod == 3)
		return PV_DEC_INVALID;
	if (form == NEED_REG && in->mod != 3)
		return PV_DEC_INVALID;
	return 0;
}

static int decode_one_byte(struct cursor *c, struct pv_x86_insn *in, uint8_t b)
{
	int is64 = in->bits == 64;

	switch (b) {
	case 0x06: case 0x0e: case 0x16: case 0x1e:	/* push es/cs/ss/ds */
		if (is64)
			return PV_DEC_MODE;
		in->op = PV_OP_PUSH_SEG;
		in->sreg = b >> 3;
		in->opsize = stack_opsize(in);
		return 0;
	case 0x07: case 0x17: case 0x1f:		/* pop es/ss/ds */
		if (is64)
			return PV_DEC_MODE;
		in->op = PV_OP_POP_SEG;
		in->sreg = b >> 3;
		in->opsize = stack_opsize(in);
		return 0;
	case 0x6c: case 0x6d:
		in->op = PV_OP_INS;
		in->opsize = b == 0x6c ? 1 : ((in->prefixes & PV_PFX_OPSIZE) ? 2 : 4);
		return 0;
	case 0x6e: case 0x6f:
		in->op = PV_OP_OUTS;
		in->opsize = b == 0x6e ? 1 : ((in->prefixes & PV_PFX_OPSIZE) ? 2 : 4);
		return 0;
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		decode_modrm(c, in);
		in->opsize = (b & 1) ? plain_opsize(in) : 1;
		in->memsize = in->opsize;
		if (in->mod == 3)
			return 0;	/* register to register: not sensitive */
		in->op = (b & 2) ? PV_OP_MOV_LOAD : PV_OP_MOV_STORE;
		return 0;
	case 0x8c:
		decode_modrm(c, in);
		if (in->reg_field > 5)
			return PV_DEC_INVALID;
		in->op = PV_OP_MOV_FROM_SEG;
		in->sreg = in->reg_field;
		in->opsize = in->mod == 3 ? plain_opsize(in) : 2;
		return 0;
	case 0x8e:
		decode_modrm(c, in);
		if (in->reg_field > 5 || in->reg_field == PV_SEG_CS)
			return PV_DEC_INVALID;
		in->op = PV_OP_MOV_TO_SEG;
		in->sreg = in->reg_field;
		in->opsize = 2;
		return 0;
	case 0x90:
		/* plain nop; with REX.B it is xchg %r8,%rax, with f3 pause */
		if (!(in->rex & 1) && !(in->prefixes & (PV_PFX_REP | PV_PFX_REPNE)))
			in->op = PV_OP_NOP;
		return 0;
	case 0x9a: case 0xea:				/* direct far call/jump */
		if (is64)
			return PV_DEC_MODE;
		in->op = b == 0x9a ? PV_OP_LCALL : PV_OP_LJMP;
		in->opsize = (in->prefixes & PV_PFX_OPSIZE) ? 2 : 4;
		in->has_imm = 1;
		in->imm = next_unsigned(c, in->opsize);
		in->imm2 = next_unsigned(c, 2);
		in->imm_len = in->opsize + 2;
		return 0;
	case 0x9c:
		in->op = PV_OP_PUSHF;
		in->opsize = stack_opsize(in);
		return 0;
	case 0x9d:
		in->op = PV_OP_POPF;
		in->opsize = stack_opsize(in);
		return 0;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:	/* mov with a moffs address */
		in->opsize = (b & 1) ? plain_opsize(in) : 1;
		in->memsize = in->opsize;
		in->op = (b & 2) ? PV_OP_MOV_STORE : PV_OP_MOV_LOAD;
		in->has_mem = 1;
		in->mem.base = in->mem.index = PV_REG_NONE;
		in->mem.scale = 1;
		in->mem.disp = next_unsigned(c, in->adsize);
		in->reg = 0;			/* always the accumulator */
		return 0;
	case 0xc4: case 0xc5:
		/* les/lds in 32-bit code; a VEX prefix in 64-bit code or with mod 3 */
		if (is64)
			return PV_DEC_UNKNOWN;
		decode_modrm(c, in);
		if (in->mod == 3)
			return PV_DEC_UNKNOWN;
		in->op = PV_OP_LOAD_FAR_PTR;
		in->sreg = b == 0xc4 ? PV_SEG_ES : PV_SEG_DS;
		in->opsize = plain_opsize(in);
		return 0;
	case 0xc6: case 0xc7:
		decode_modrm(c, in);
		if (in->reg_field != 0)
			return PV_DEC_UNKNOWN;	/* xabort/xbegin: not ours */
		in->opsize = b == 0xc6 ? 1 : plain_opsize(in);
		in->memsize = in->opsize;
		in->has_imm = 1;
		in->imm_len = in->opsize == 1 ? 1 : (in->opsize == 2 ? 2 : 4);
		in->imm = next_signed(c, in->imm_len);
		if (in->mod != 3)
			in->op = PV_OP_MOV_STORE;
		return 0;
	case 0xca: case 0xcb:
		in->op = PV_OP_LRET;
		in->opsize = plain_opsize(in);
		if (b == 0xca) {
			in->has_imm = 1;
			in->imm_len = 2;
			in->imm = next_unsigned(c, 2);
		}
		return 0;
	case 0xcf:
		in->op = PV_OP_IRET;
		in->opsize = plain_opsize(in);
		return 0;
	case 0xe4: case 0xe5: case 0xe6: case 0xe7:
		in->has_imm = 1;
		in->imm_len = 1;
		in->imm = next_unsigned(c, 1);
		/* fall through */
	case 0xec: case 0xed: case 0xee: case 0xef:
		in->op = (b & 2) ? PV_OP_OUT : PV_OP_IN;
		in->opsize = !(b & 1) ? 1 : ((in->prefixes & PV_PFX_OPSIZE) ? 2 : 4);
		return 0;
	case 0xf4:
		in->op = PV_OP_HLT;
		return 0;
	case 0xfa:
		in->op = PV_OP_CLI;
		return 0;
	case 0xfb:
		in->op = PV_OP_STI;
		return 0;
	case 0xff:
		decode_modrm(c, in);
		if (in->reg_field == 3 || in->reg_field == 5) {
			if (in->mod == 3)
				return PV_DEC_INVALID;
			in->op = in->reg_field == 3 ? PV_OP_LCALL : PV_OP_LJMP;
			in->opsize = plain_opsize(in);
			return 0;
		}
		if (in->reg_field == 7)
			return PV_DEC_INVALID;
		return 0;			/* inc dec call jmp push: not sensitive */
	default:
		return PV_DEC_UNKNOWN;
	}
}

/*
 * The prefix that selects the instruction in maps where 66, f3 and f2
 * are part of the opcode: the last of f2/f3, else 66, else none.
 */
static uint8_t mandatory_prefix(const struct pv_x86_insn *in)
{
	if (in->prefixes & PV_PFX_REP)
		return 0xf3;
	if (in->prefixes & PV_PFX_REPNE)
		return 0xf2;
	return (in->prefixes & PV_PFX_OPSIZE) ? 0x66 : 0;
}

/*
 * Host-only instructions (class VMX): SEV-ES/SNP, TDX, SMX, SMM, MKTME,
 * CET supervisor shadow stacks, DSA supervisor commands, HRESET, Key
 * Locker, FRED, LKGS. Some exist only in 64-bit code.
 */
static int host_only(struct pv_x86_insn *in, int only64)
{
	if (only64 && in->bits != 64)
		return PV_DEC_MODE;
	in->op = PV_OP_VMX;
	return 0;
}

/*
 * 0f 01 with mod == 3 and a mandatory prefix: other instructions than
 * the same byte without one (f3 0f 01 ca is eretu, not clac; f2 0f 01 ff
 * is pvalidate, not tlbsync), so they are told apart first.
 */
static int decode_0f01_prefixed(struct pv_x86_insn *in, uint8_t mp, uint8_t modrm)
{
	if (mp == 0x66) {
		switch (modrm) {
		case 0xcc: return host_only(in, 0);		/* tdcall */
		case 0xcd: case 0xce: case 0xcf:		/* seamret seamops seamcall */
			return host_only(in, 1);
		}
		return -1;	/* 66 is an operand size here: the plain instruction */
	}
	switch (modrm) {
	case 0xc6: return -1;				/* rdmsrlist, wrmsrlist */
	case 0xca: return host_only(in, 1);		/* erets, eretu */
	case 0xd9: return host_only(in, 0);		/* vmgexit */
	case 0xe8:					/* setssbsy; f2: xsusldtrk */
		return mp == 0xf3 ? host_only(in, 0) : 0;
	case 0xe9: return 0;				/* xresldtrk */
	case 0xfa: return mp == 0xf3 ? 0 : PV_DEC_UNKNOWN;	/* mcommit */
	case 0xfd: case 0xfe: return host_only(in, 1);	/* rmpquery/rmpread, rmpupdate/rmpadjust */
	case 0xff: return host_only(in, mp == 0xf3);	/* psmash, pvalidate */
	case 0xea: case 0xec: case 0xed: case 0xee: case 0xef:
		/* saveprevssp uiret testui clui stui */
		return mp == 0xf3 ? 0 : PV_DEC_UNKNOWN;
	}
	return PV_DEC_UNKNOWN;
}

/* 0f 01 with mod == 3: the whole ModRM byte names the instruction. */
static int decode_0f01_reg(struct pv_x86_insn *in, uint8_t modrm)
{
	uint8_t mp = mandatory_prefix(in);

	if (mp) {
		int r = decode_0f01_prefixed(in, mp, modrm);

		if (r != -1)
			return r;
	}
	switch (modrm) {
	case 0xc0: case 0xc5:	/* enclv, pconfig */
		return host_only(in, 0);
	case 0xd7:
		return 0;	/* enclu: SGX's user leaves */
	case 0xc6:	/* wrmsrns; with f2 rdmsrlist, with f3 wrmsrlist */
		in->op = (in->prefixes & PV_PFX_REPNE) ? PV_OP_RDMSRLIST :
			 (in->prefixes & PV_PFX_REP) ? PV_OP_WRMSRLIST : PV_OP_WRMSRNS;
		return 0;
	case 0xcf:	/* encls: SGX, the host's business like VMX */
	case 0xc1: case 0xc2: case 0xc3: case 0xc4: case 0xd4:	/* vmcall..vmxoff, vmfunc */
	case 0xd8: case 0xd9: case 0xda: case 0xdb:		/* vmrun vmmcall vmload vmsave */
	case 0xdc: case 0xdd: case 0xde:			/* stgi clgi skinit */
		in->op = PV_OP_VMX;
		return 0;
	case 0xc8: case 0xfa: in->op = PV_OP_MONITOR; return 0;	/* monitor, monitorx */
	case 0xc9: case 0xfb: in->op = PV_OP_MWAIT; return 0;	/* mwait, mwaitx */
	case 0xca: in->op = PV_OP_CLAC; return 0;
	case 0xcb: in->op = PV_OP_STAC; return 0;
	case 0xd1: in->op = PV_OP_XSETBV; return 0;
	case 0xdf: in->op = PV_OP_INVLPGA; return 0;
	case 0xf8:
		if (in->bits != 64)
			return PV_DEC_MODE;
		in->op = PV_OP_SWAPGS;
		return 0;
	case 0xf9: in->op = PV_OP_RDTSCP; return 0;
	case 0xfe: in->op = PV_OP_INVLPGB; return 0;
	case 0xff: in->op = PV_OP_TLBSYNC; return 0;
	case 0xd0: case 0xd5: case 0xd6: case 0xe8: case 0xee: case 0xef:
		return 0;	/* xgetbv xend xtest serialize rdpkru wrpkru */
	}
	switch ((modrm >> 3) & 7) {
	case 4:
		in->op = PV_OP_SMSW;
		in->opsize = plain_opsize(in);
		return 0;
	case 6:
		in->op = PV_OP_LMSW;
		in->opsize = 2;
		return 0;
	}
	return PV_DEC_UNKNOWN;
}

static int decode_two_byte(struct cursor *c, struct pv_x86_insn *in, uint8_t b)
{
	int is64 = in->bits == 64;
	int r;

	switch (b) {
	case 0x00: {
		static const uint8_t grp6[8] = { PV_OP_SLDT, PV_OP_STR, PV_OP_LLDT,
			PV_OP_LTR, PV_OP_VERR, PV_OP_VERW, 0, 0 };
		decode_modrm(c, in);
		if ((in->prefixes & PV_PFX_REPNE) && in->reg_field == 6)
			return host_only(in, 1);	/* lkgs */
		if (!grp6[in->reg_field])
			return PV_DEC_UNKNOWN;
		in->op = grp6[in->reg_field];
		in->opsize = (in->mod == 3 && in->reg_field < 2) ? plain_opsize(in) : 2;
		return 0;
	}
	case 0x01:
		decode_modrm(c, in);
		if (in->mod == 3) {
			in->has_mem = 0;
			return decode_0f01_reg(in, (uint8_t)(0xc0 | in->reg_field << 3 | in->rm_field));
		} else {
			static const uint8_t grp7[8] = { PV_OP_SGDT, PV_OP_SIDT, PV_OP_LGDT,
				PV_OP_LIDT, PV_OP_SMSW, 0, PV_OP_LMSW, PV_OP_INVLPG };
			if (!grp7[in->reg_field])
				return PV_DEC_UNKNOWN;
			in->op = grp7[in->reg_field];
			/* descriptor-table operands: limit16 + base of the code size */
			in->opsize = in->op == PV_OP_SMSW || in->op == PV_OP_LMSW ? 2 : (is64 ? 8 : 4);
			return 0;
		}
	case 0x02: case 0x03:
		decode_modrm(c, in);
		in->op = b == 0x02 ? PV_OP_LAR : PV_OP_LSL;
		in->opsize = plain_opsize(in);
		return 0;
	case 0x06: in->op = PV_OP_CLTS; return 0;
	case 0x07: in->op = PV_OP_SYSRET; in->opsize = plain_opsize(in); return 0;
	case 0x08: in->op = PV_OP_INVD; return 0;
	case 0x09:
		in->op = (in->prefixes & PV_PFX_REP) ? PV_OP_WBNOINVD : PV_OP_WBINVD;
		return 0;
	case 0x1f:
		decode_modrm(c, in);
		if (in->reg_field == 0)
			in->op = PV_OP_NOP;
		in->has_mem = 0;	/* a nop touches no memory */
		return 0;
	case 0x20: case 0x21: case 0x22: case 0x23:
		/* mov to/from control and debug registers: always register form */
		decode_modrm(c, in);
		in->has_mem = 0;
		in->rm_reg = in->rm_field | ((in->rex & 1) << 3);
		in->opsize = is64 ? 8 : 4;
		if (b & 1) {
			if (in->reg > 7)
				return PV_DEC_INVALID;
			in->op = b == 0x21 ? PV_OP_MOV_FROM_DR : PV_OP_MOV_TO_DR;
			return 0;
		}
		/* lock mov %cr0 is AMD's way to reach %cr8 from 32-bit code */
		if ((in->prefixes & PV_PFX_LOCK) && in->reg == 0)
			in->reg = 8;
		if (in->reg != 0 && in->reg != 2 && in->reg != 3 && in->reg != 4 && in->reg != 8)
			return PV_DEC_INVALID;
		in->op = b == 0x20 ? PV_OP_MOV_FROM_CR : PV_OP_MOV_TO_CR;
		return 0;
	case 0x30: in->op = PV_OP_WRMSR; return 0;
	case 0x31: in->op = PV_OP_RDTSC; return 0;
	case 0x32: in->op = PV_OP_RDMSR; return 0;
	case 0x33: in->op = PV_OP_RDPMC; return 0;
	case 0x35: in->op = PV_OP_SYSEXIT; in->opsize = plain_opsize(in); return 0;
	case 0x37: case 0xaa: return host_only(in, 0);	/* getsec, rsm */
	case 0x78: case 0x79:
		if (in->prefixes & (PV_PFX_OPSIZE | PV_PFX_REP | PV_PFX_REPNE))
			return PV_DEC_UNKNOWN;	/* SSE4a extrq/insertq */
		decode_modrm(c, in);
		in->op = PV_OP_VMX;
		in->opsize = is64 ? 8 : 4;
		return 0;
	case 0xa0: case 0xa8:
		in->op = PV_OP_PUSH_SEG;
		in->sreg = b == 0xa0 ? PV_SEG_FS : PV_SEG_GS;
		in->opsize = stack_opsize(in);
		return 0;
	case 0xa1: case 0xa9:
		in->op = PV_OP_POP_SEG;
		in->sreg = b == 0xa1 ? PV_SEG_FS : PV_SEG_GS;
		in->opsize = stack_opsize(in);
		return 0;
	case 0xa2: in->op = PV_OP_CPUID; return 0;
	case 0xae:
		decode_modrm(c, in);
		if (mandatory_prefix(in) == 0xf3 && in->mod != 3 && in->reg_field == 6)
			return host_only(in, 0);	/* clrssbsy */
		if (in->mod == 3 && (in->prefixes & PV_PFX_REP) && in->reg_field < 4) {
			static const uint8_t fsgs[4] = { PV_OP_RDFSBASE, PV_OP_RDGSBASE,
							 PV_OP_WRFSBASE, PV_OP_WRGSBASE };
			if (!is64)
				return PV_DEC_MODE;
			in->op = fsgs[in->reg_field];
			in->opsize = (in->rex & 8) ? 8 : 4;
		}
		return 0;	/* otherwise fences, fxsave and kin: not sensitive */
	case 0xb2: case 0xb4: case 0xb5:
		decode_modrm(c, in);
		if ((r = need_form(in, NEED_MEM)))
			return r;
		in->op = PV_OP_LOAD_FAR_PTR;
		in->sreg = b == 0xb2 ? PV_SEG_SS : (b == 0xb4 ? PV_SEG_FS : PV_SEG_GS);
		in->opsize = plain_opsize(in);
		return 0;
	case 0xb6: case 0xb7: case 0xbe: case 0xbf:
		decode_modrm(c, in);
		in->opsize = plain_opsize(in);
		in->memsize = (b & 1) ? 2 : 1;
		in->extend = (b & 8) ? 2 : 1;
		if (in->mod != 3)
			in->op = PV_OP_MOV_LOAD;
		return 0;
	case 0xc7:
		decode_modrm(c, in);
		if (in->mod == 3)
			return 0;	/* rdrand rdseed rdpid */
		switch (in->reg_field) {
		case 3: in->op = PV_OP_XRSTORS; return 0;
		case 5: in->op = PV_OP_XSAVES; return 0;
		case 6: case 7: in->op = PV_OP_VMX; in->opsize = 8; return 0;
		case 1: case 4: return 0;	/* cmpxchg8b/16b, xsavec */
		}
		return PV_DEC_UNKNOWN;
	default:
		return PV_DEC_UNKNOWN;
	}
}

static int decode_0f38(struct cursor *c, struct pv_x86_insn *in, uint8_t b)
{
	uint8_t mp = mandatory_prefix(in);
	int r;

	if ((b == 0xf5 && mp == 0x66) || (b == 0xf8 && mp == 0xf3) || (b == 0xdc && mp == 0xf3)) {
		/* wrussd/wrussq, enqcmds (memory); loadiwkey (registers) */
		decode_modrm(c, in);
		if ((r = need_form(in, b == 0xdc ? NEED_REG : NEED_MEM)))
			return b == 0xdc ? PV_DEC_UNKNOWN : r;	/* f3 0f 38 dc /m: aesenc128kl */
		return host_only(in, 0);
	}
	if (b < 0x80 || b > 0x82 || !(in->prefixes & PV_PFX_OPSIZE))
		return PV_DEC_UNKNOWN;
	decode_modrm(c, in);
	if ((r = need_form(in, NEED_MEM)))
		return r;
	/* invept, invvpid, invpcid: register operand is 64-bit in 64-bit code */
	in->op = b == 0x82 ? PV_OP_INVPCID : PV_OP_VMX;
	in->opsize = in->bits == 64 ? 8 : 4;
	return 0;
}

/* 0f 3a: only hreset (f3 0f 3a f0 c0 ib) is sensitive. */
static int decode_0f3a(struct cursor *c, struct pv_x86_insn *in, uint8_t b)
{
	if (b != 0xf0 || mandatory_prefix(in) != 0xf3)
		return PV_DEC_UNKNOWN;
	decode_modrm(c, in);
	if (in->mod != 3 || in->reg_field != 0 || in->rm_field != 0)
		return PV_DEC_UNKNOWN;
	in->has_imm = 1;
	in->imm_len = 1;
	in->imm = next_unsigned(c, 1);
	return host_only(in, 0);
}

/* Operations whose operand must be memory (a register form is #UD). */
static int must_be_memory(uint8_t op)
{
	switch (op) {
	case PV_OP_LGDT: case PV_OP_LIDT: case PV_OP_SGDT: case PV_OP_SIDT:
	case PV_OP_INVLPG: case PV_OP_XSAVES: case PV_OP_XRSTORS:
	case PV_OP_LOAD_FAR_PTR:
		return 1;
	}
	return 0;
}

int pv_x86_decode(const uint8_t *p, size_t avail, int bits, struct pv_x86_insn *out)
{
	struct cursor c = { p, avail, 0, 0 };
	struct pv_x86_insn *in = out;
	uint8_t *z = (uint8_t *)out;
	size_t i;
	uint8_t b;
	int r;

	if (bits != 32 && bits != 64)
		return PV_DEC_MODE;
	/* no memset and no structure copies: this file is freestanding */
	for (i = 0; i < sizeof(*out); i++)
		z[i] = 0;
	in->bits = (uint8_t)bits;
	in->seg_override = PV_SEG_NONE;
	in->sreg = PV_SEG_NONE;
	in->reg = in->rm_reg = PV_REG_NONE;
	in->mem.base = in->mem.index = PV_REG_NONE;
	in->mem.scale = 1;

	/* Legacy prefixes, then (64-bit code) at most one REX right before the opcode. */
	for (;;) {
		b = next_byte(&c);
		if (c.err)
			return c.err;
		switch (b) {
		case 0xf0: in->prefixes |= PV_PFX_LOCK; break;
		case 0xf2: in->prefixes = (in->prefixes & ~PV_PFX_REP) | PV_PFX_REPNE; break;
		case 0xf3: in->prefixes = (in->prefixes & ~PV_PFX_REPNE) | PV_PFX_REP; break;
		case 0x66: in->prefixes |= PV_PFX_OPSIZE; break;
		case 0x67: in->prefixes |= PV_PFX_ADSIZE; break;
		case 0x26: in->seg_override = PV_SEG_ES; break;
		case 0x2e: in->seg_override = PV_SEG_CS; break;
		case 0x36: in->seg_override = PV_SEG_SS; break;
		case 0x3e: in->seg_override = PV_SEG_DS; break;
		case 0x64: in->seg_override = PV_SEG_FS; break;
		case 0x65: in->seg_override = PV_SEG_GS; break;
		default:
			if (bits == 64 && (b & 0xf0) == 0x40) {
				in->rex = b;
				b = next_byte(&c);
				if (c.err)
					return c.err;
				/* a legacy prefix after REX makes the processor ignore REX */
				if (b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x66 || b == 0x67 ||
				    b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
				    b == 0x64 || b == 0x65 || (b & 0xf0) == 0x40) {
					in->rex = 0;
					c.pos--;
					continue;
				}
			}
			goto opcode;
		}
	}
opcode:
	if (bits == 64)
		in->adsize = (in->prefixes & PV_PFX_ADSIZE) ? 4 : 8;
	else
		in->adsize = (in->prefixes & PV_PFX_ADSIZE) ? 2 : 4;
	in->opsize = 4;

	if (b != 0x0f) {
		in->map = 0;
		in->opcode = b;
		r = decode_one_byte(&c, in, b);
	} else {
		b = next_byte(&c);
		if (b == 0x38) {
			in->map = 2;
			in->opcode = b = next_byte(&c);
			r = c.err ? c.err : decode_0f38(&c, in, b);
		} else if (b == 0x3a) {
			in->map = 3;
			in->opcode = b = next_byte(&c);
			r = c.err ? c.err : decode_0f3a(&c, in, b);
		} else {
			in->map = 1;
			in->opcode = b;
			r = c.err ? c.err : decode_two_byte(&c, in, b);
		}
	}
	if (c.err)
		return c.err;
	if (r)
		return r;
	if (must_be_memory(in->op) && !in->has_mem)
		return PV_DEC_INVALID;
	/* lock is only the %cr8 alias among the instructions we decode */
	if ((in->prefixes & PV_PFX_LOCK) &&
	    !(in->op == PV_OP_MOV_FROM_CR || in->op == PV_OP_MOV_TO_CR))
		return PV_DEC_INVALID;
	if (in->has_mem)
		resolve_segment(in);
	in->len = (uint8_t)c.pos;
	in->klass = in->op < PV_OP_COUNT ? op_class[in->op] : 0;
	return in->len;
}
