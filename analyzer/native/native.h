/* Native code analysis: one ELF shared library (lib/<abi>/NAME.so) read the way Android's linker reads
 * it (program headers and the dynamic segment; section headers only when sane), then disassembled
 * with Capstone to find calls of sensitive imports and JNIEnv functions with constant arguments. */
#ifndef AP_NATIVE_H
#define AP_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_anomalies;

#define AP_NATIVE_MAX_ARGS 4

/* One argument of a call site. AP_NARG_STR: a constant C string (str, attacker text: escape it on
 * output); AP_NARG_INT: a constant integer (val); AP_NARG_UNKNOWN: not recovered. */
enum ap_native_arg_kind { AP_NARG_UNKNOWN = 0, AP_NARG_STR = 1, AP_NARG_INT = 2 };

struct ap_native_arg {
	enum ap_native_arg_kind kind;
	const char *str;
	uint64_t val; /* the constant (for STR: the string's virtual address) */
};

enum ap_native_call_kind {
	AP_NCALL_IMPORT = 0, /* bl/call to the PLT stub (or GOT slot) of an imported function */
	AP_NCALL_JNIENV = 1, /* call through the JNIEnv function table, e.g. GetMethodID */
};

/* A resolved call site. For AP_NCALL_JNIENV the args are the JNI function's arguments after env
 * (FindClass: name; GetMethodID: clazz, name, sig; RegisterNatives: clazz, methods, count). */
struct ap_native_call {
	enum ap_native_call_kind kind;
	const char *symbol; /* "__system_property_get", "GetMethodID", ... */
	uint64_t vaddr;     /* address of the call instruction */
	uint64_t offset;    /* its file offset */
	uint64_t func;      /* start of the enclosing function when known (a symbol), else 0 */
	const char *func_name; /* that symbol's name, or NULL */
	unsigned n_args;
	struct ap_native_arg args[AP_NATIVE_MAX_ARGS];
};

/* A Java_* export decoded per the JNI name-mangling rules: Java_<class>_<method>[__<args>]. */
struct ap_native_jni {
	const char *symbol;    /* the export as in the file */
	const char *class_name; /* "org/example/Foo" (slash form, as in DEX descriptors minus L;) */
	const char *method;
	const char *signature; /* "(Landroid/content/Context;)" (argument part only) or NULL */
	uint64_t vaddr;
};

/* One method registered by a RegisterNatives call whose JNINativeMethod table is constant. */
struct ap_native_regnative {
	const char *name;
	const char *signature;
	uint64_t fn;      /* the native function's address */
	uint64_t call_vaddr; /* the RegisterNatives call site */
};

struct ap_native_sym {
	const char *name;
	uint64_t value;
	uint64_t size;
	uint8_t type; /* STT_* */
	uint8_t bind; /* STB_* */
	uint16_t shndx;
};

struct ap_native_lib {
	const char *path;    /* as given (attacker text: entry name in the APK) */
	const char *abi;     /* "arm64-v8a", "armeabi-v7a", "x86", "x86_64", "mips", "mips64", "riscv64", or "unknown" */
	uint16_t machine;    /* e_machine */
	bool is64;
	const char *soname;  /* DT_SONAME or NULL */
	const char **needed; /* DT_NEEDED */
	size_t n_needed;
	const char **imports; /* undefined dynamic symbols, sorted, unique (no version suffix) */
	size_t n_imports;
	struct ap_native_sym *exports; /* defined global/weak dynamic symbols, sorted by name */
	size_t n_exports;
	struct ap_native_jni *jni; /* decoded Java_* exports */
	size_t n_jni;
	bool has_jni_onload;
	struct ap_native_regnative *registered; /* RegisterNatives tables recovered */
	size_t n_registered;
	struct ap_native_call *calls; /* sensitive import and JNIEnv call sites, by address */
	size_t n_calls;
	const char **net_imports; /* imports that do networking (socket, connect, curl_*, ...) */
	size_t n_net_imports;
	const char **urls; /* http(s)/ws(s)/ftp URLs found in the file's bytes */
	size_t n_urls;
	size_t n_plt;          /* PLT stubs resolved to a symbol */
	size_t n_insns;        /* instructions decoded */
	bool section_headers_ok; /* false: stripped or garbage; dynamic segment used alone */
	bool packed_relocs;    /* DT_ANDROID_REL(A) (APS2) present: skipped */
	bool partial;          /* a limit was hit or a part was unreadable */
	void *impl;            /* private */
};

/* Parses buf (an ELF shared library) and analyses its code. borrows buf: buf must outlive *out.
 * path names it in anomalies and output. Returns AP_OK with *out even when parts were unreadable
 * (anomalies, module "elf" or "native", say what); AP_ERR_FORMAT when it is not a little-endian
 * ELF at all; AP_ERR_LIMIT past AP_MAX_ELF_BYTES; AP_ERR_NOMEM. an may be NULL. */
int ap_native_open(const uint8_t *buf, size_t len, const char *path, struct ap_anomalies *an,
		   struct ap_native_lib **out);
void ap_native_close(struct ap_native_lib *lib); /* NULL is a no-op */

/* Android ABI name for an ELF machine/class ("arm64-v8a", ...), "unknown" otherwise. */
const char *ap_native_abi_name(uint16_t machine, bool is64);

/* Decodes a Java_* symbol into class (slash form), method and optional argument signature,
 * allocated with malloc (free() each). false when name is not a well-formed JNI short/long name. */
bool ap_native_jni_decode(const char *name, char **cls, char **method, char **sig);

/* Name of the JNINativeInterface function at table index idx (jni.h order), or NULL. */
const char *ap_native_jnienv_name(unsigned idx);
unsigned ap_native_jnienv_count(void);

/* True when the import is a networking function (socket, connect, getaddrinfo, curl_*, ...). */
bool ap_native_is_net_import(const char *name);

/* Starts loading the disassembler (capstone) on a background thread, for a scan that will need it
 * after its DEX passes; harmless to call more than once or not at all. */
void ap_native_preload(void);
/* Loads it now (batch, before forking its workers, so that none loads it again); false when it
 * cannot be loaded. */
bool ap_native_load(void);

#endif
