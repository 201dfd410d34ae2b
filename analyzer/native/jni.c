/* JNI: the JNINativeInterface function table (index -> name, in jni.h order, so that a call
 * through (*env)->fn at offset idx*sizeof(void*) can be named), Java_* export decoding per the
 * JNI specification's name mangling, network imports and the URL strings scan. */
#define _GNU_SOURCE /* memmem */
#include "native_int.h"

#include "ap_diag.h"
#include "ap_err.h"
#include "ap_limits.h"
#include "ap_text.h"

#include <stdlib.h>
#include <string.h>

/* struct JNINativeInterface_, member order of jni.h (stable since JNI 1.1; later versions only
 * append). tests/unit/native checks it against the jni.h installed with the JDK. */
static const char *const jnienv_names[] = {
	"reserved0", "reserved1", "reserved2", "reserved3", "GetVersion", "DefineClass", "FindClass",
	"FromReflectedMethod", "FromReflectedField", "ToReflectedMethod", "GetSuperclass",
	"IsAssignableFrom", "ToReflectedField", "Throw", "ThrowNew", "ExceptionOccurred",
	"ExceptionDescribe", "ExceptionClear", "FatalError", "PushLocalFrame", "PopLocalFrame",
	"NewGlobalRef", "DeleteGlobalRef", "DeleteLocalRef", "IsSameObject", "NewLocalRef",
	"EnsureLocalCapacity", "AllocObject", "NewObject", "NewObjectV", "NewObjectA", "GetObjectClass",
	"IsInstanceOf", "GetMethodID", "CallObjectMethod", "CallObjectMethodV", "CallObjectMethodA",
	"CallBooleanMethod", "CallBooleanMethodV", "CallBooleanMethodA", "CallByteMethod",
	"CallByteMethodV", "CallByteMethodA", "CallCharMethod", "CallCharMethodV", "CallCharMethodA",
	"CallShortMethod", "CallShortMethodV", "CallShortMethodA", "CallIntMethod", "CallIntMethodV",
	"CallIntMethodA", "CallLongMethod", "CallLongMethodV", "CallLongMethodA", "CallFloatMethod",
	"CallFloatMethodV", "CallFloatMethodA", "CallDoubleMethod", "CallDoubleMethodV",
	"CallDoubleMethodA", "CallVoidMethod", "CallVoidMethodV", "CallVoidMethodA",
	"CallNonvirtualObjectMethod", "CallNonvirtualObjectMethodV", "CallNonvirtualObjectMethodA",
	"CallNonvirtualBooleanMethod", "CallNonvirtualBooleanMethodV", "CallNonvirtualBooleanMethodA",
	"CallNonvirtualByteMethod", "CallNonvirtualByteMethodV", "CallNonvirtualByteMethodA",
	"CallNonvirtualCharMethod", "CallNonvirtualCharMethodV", "CallNonvirtualCharMethodA",
	"CallNonvirtualShortMethod", "CallNonvirtualShortMethodV", "CallNonvirtualShortMethodA",
	"CallNonvirtualIntMethod", "CallNonvirtualIntMethodV", "CallNonvirtualIntMethodA",
	"CallNonvirtualLongMethod", "CallNonvirtualLongMethodV", "CallNonvirtualLongMethodA",
	"CallNonvirtualFloatMethod", "CallNonvirtualFloatMethodV", "CallNonvirtualFloatMethodA",
	"CallNonvirtualDoubleMethod", "CallNonvirtualDoubleMethodV", "CallNonvirtualDoubleMethodA",
	"CallNonvirtualVoidMethod", "CallNonvirtualVoidMethodV", "CallNonvirtualVoidMethodA",
	"GetFieldID", "GetObjectField", "GetBooleanField", "GetByteField", "GetCharField",
	"GetShortField", "GetIntField", "GetLongField", "GetFloatField", "GetDoubleField",
	"SetObjectField", "SetBooleanField", "SetByteField", "SetCharField", "SetShortField",
	"SetIntField", "SetLongField", "SetFloatField", "SetDoubleField", "GetStaticMethodID",
	"CallStaticObjectMethod", "CallStaticObjectMethodV", "CallStaticObjectMethodA",
	"CallStaticBooleanMethod", "CallStaticBooleanMethodV", "CallStaticBooleanMethodA",
	"CallStaticByteMethod", "CallStaticByteMethodV", "CallStaticByteMethodA", "CallStaticCharMethod",
	"CallStaticCharMethodV", "CallStaticCharMethodA", "CallStaticShortMethod",
	"CallStaticShortMethodV", "CallStaticShortMethodA", "CallStaticIntMethod",
	"CallStaticIntMethodV", "CallStaticIntMethodA", "CallStaticLongMethod", "CallStaticLongMethodV",
	"CallStaticLongMethodA", "CallStaticFloatMethod", "CallStaticFloatMethodV",
	"CallStaticFloatMethodA", "CallStaticDoubleMethod", "CallStaticDoubleMethodV",
	"CallStaticDoubleMethodA", "CallStaticVoidMethod", "CallStaticVoidMethodV",
	"CallStaticVoidMethodA", "GetStaticFieldID", "GetStaticObjectField", "GetStaticBooleanField",
	"GetStaticByteField", "GetStaticCharField", "GetStaticShortField", "GetStaticIntField",
	"GetStaticLongField", "GetStaticFloatField", "GetStaticDoubleField", "SetStaticObjectField",
	"SetStaticBooleanField", "SetStaticByteField", "SetStaticCharField", "SetStaticShortField",
	"SetStaticIntField", "SetStaticLongField", "SetStaticFloatField", "SetStaticDoubleField",
	"NewString", "GetStringLength", "GetStringChars", "ReleaseStringChars", "NewStringUTF",
	"GetStringUTFLength", "GetStringUTFChars", "ReleaseStringUTFChars", "GetArrayLength",
	"NewObjectArray", "GetObjectArrayElement", "SetObjectArrayElement", "NewBooleanArray",
	"NewByteArray", "NewCharArray", "NewShortArray", "NewIntArray", "NewLongArray", "NewFloatArray",
	"NewDoubleArray", "GetBooleanArrayElements", "GetByteArrayElements", "GetCharArrayElements",
	"GetShortArrayElements", "GetIntArrayElements", "GetLongArrayElements", "GetFloatArrayElements",
	"GetDoubleArrayElements", "ReleaseBooleanArrayElements", "ReleaseByteArrayElements",
	"ReleaseCharArrayElements", "ReleaseShortArrayElements", "ReleaseIntArrayElements",
	"ReleaseLongArrayElements", "ReleaseFloatArrayElements", "ReleaseDoubleArrayElements",
	"GetBooleanArrayRegion", "GetByteArrayRegion", "GetCharArrayRegion", "GetShortArrayRegion",
	"GetIntArrayRegion", "GetLongArrayRegion", "GetFloatArrayRegion", "GetDoubleArrayRegion",
	"SetBooleanArrayRegion", "SetByteArrayRegion", "SetCharArrayRegion", "SetShortArrayRegion",
	"SetIntArrayRegion", "SetLongArrayRegion", "SetFloatArrayRegion", "SetDoubleArrayRegion",
	"RegisterNatives", "UnregisterNatives", "MonitorEnter", "MonitorExit", "GetJavaVM",
	"GetStringRegion", "GetStringUTFRegion", "GetPrimitiveArrayCritical",
	"ReleasePrimitiveArrayCritical", "GetStringCritical", "ReleaseStringCritical",
	"NewWeakGlobalRef", "DeleteWeakGlobalRef", "ExceptionCheck", "NewDirectByteBuffer",
	"GetDirectBufferAddress", "GetDirectBufferCapacity", "GetObjectRefType", "GetModule",
};

const char *ap_native_jnienv_name(unsigned idx)
{
	return idx < sizeof(jnienv_names) / sizeof(jnienv_names[0]) ? jnienv_names[idx] : NULL;
}

unsigned ap_native_jnienv_count(void)
{
	return (unsigned)(sizeof(jnienv_names) / sizeof(jnienv_names[0]));
}

bool ap_native_is_net_import(const char *name)
{
	static const char *const net[] = {
		"socket", "connect", "bind", "listen", "accept", "accept4", "send", "sendto",
		"sendmsg", "sendmmsg", "recv", "recvfrom", "recvmsg", "getaddrinfo",
		"android_getaddrinfofornetwork", "gethostbyname", "gethostbyname2",
		"gethostbyname_r", "gethostbyaddr", "getnameinfo", "inet_addr", "inet_aton",
		"inet_pton", "inet_ntop", "SSL_connect", "SSL_write", "SSL_read", "SSL_new",
		"BIO_new_connect",
	};
	if (strncmp(name, "curl_", 5) == 0)
		return true;
	for (size_t i = 0; i < sizeof(net) / sizeof(net[0]); i++)
		if (strcmp(name, net[i]) == 0)
			return true;
	return false;
}

/* Unmangles one part of a JNI name (s[0..len)): "_1" '_', "_2" ';', "_3" '[', "_0xxxx" a UTF-16
 * unit, and a plain '_' is the separator given by sep ('/' in class names and signatures). */
static char *unmangle(const char *s, size_t len, char sep)
{
	char *out = malloc(len * 3 + 1); /* _0xxxx (6 bytes) expands to at most 3 */
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (ch != '_') {
			out[n++] = ch;
			continue;
		}
		char nx = i + 1 < len ? s[i + 1] : 0;
		if (nx == '1' || nx == '2' || nx == '3') {
			out[n++] = nx == '1' ? '_' : nx == '2' ? ';' : '[';
			i++;
		} else if (nx == '0') {
			if (len - i < 6)
				goto out_bad;
			unsigned cp = 0;
			for (int k = 2; k < 6; k++) {
				int h = ap_hex_digit(s[i + (size_t)k]);
				if (h < 0)
					goto out_bad;
				cp = cp * 16 + (unsigned)h;
			}
			if (cp == 0)
				goto out_bad;
			n += ap_utf8_put(out + n, cp);
			i += 5;
		} else {
			if (!sep)
				goto out_bad;
			out[n++] = sep;
		}
	}
	out[n] = 0;
	return out;
out_bad:
	free(out);
	return NULL;
}

bool ap_native_jni_decode(const char *name, char **cls, char **method, char **sig)
{
	*cls = *method = *sig = NULL;
	if (strncmp(name, "Java_", 5) != 0)
		return false;
	const char *p = name + 5;
	size_t len = strlen(p);
	/* "__" (an underscore not followed by 0-3 after another underscore) starts the signature;
	 * the last plain '_' before it separates the class from the method */
	size_t sig_at = len, last_sep = len;
	for (size_t i = 0; i < len; i++) {
		if (p[i] != '_')
			continue;
		char nx = i + 1 < len ? p[i + 1] : 0;
		if (nx >= '0' && nx <= '3') {
			i++;
			continue;
		}
		/* "__0xxxx", "__1", "__2": a separator, then a name starting with an escape (a
		 * signature never starts with '_', ';' or a non-ASCII char) */
		char nx2 = i + 2 < len ? p[i + 2] : 0;
		if (nx == '_' && nx2 != '0' && nx2 != '1' && nx2 != '2') {
			sig_at = i;
			break;
		}
		last_sep = i;
	}
	if (last_sep == len || last_sep == 0 || last_sep + 1 >= sig_at)
		return false;
	*cls = unmangle(p, last_sep, '/');
	*method = unmangle(p + last_sep + 1, sig_at - last_sep - 1, 0);
	if (sig_at < len) {
		char *args = unmangle(p + sig_at + 2, len - sig_at - 2, '/');
		if (args) {
			size_t n = strlen(args);
			*sig = malloc(n + 3);
			if (*sig) {
				(*sig)[0] = '(';
				memcpy(*sig + 1, args, n);
				(*sig)[n + 1] = ')';
				(*sig)[n + 2] = 0;
			}
			free(args);
		}
		if (!*sig)
			goto out_fail;
	}
	if (!*cls || !*method || !**cls || !**method)
		goto out_fail;
	return true;
out_fail:
	free(*cls);
	free(*method);
	free(*sig);
	*cls = *method = *sig = NULL;
	return false;
}

void elf_decode_jni_exports(struct elf *e)
{
	struct ap_native_lib *lib = e->lib;
	size_t n = 0;
	for (size_t i = 0; i < lib->n_exports; i++)
		if (strncmp(lib->exports[i].name, "Java_", 5) == 0)
			n++;
	if (!n)
		return;
	lib->jni = ap_arena_calloc(e->arena, n, sizeof(*lib->jni));
	if (!lib->jni)
		return;
	for (size_t i = 0; i < lib->n_exports; i++) {
		const struct ap_native_sym *s = &lib->exports[i];
		char *cls, *method, *sig;
		if (strncmp(s->name, "Java_", 5) != 0)
			continue;
		if (!ap_native_jni_decode(s->name, &cls, &method, &sig)) {
			elf_anom(e, AP_OFFSET_NONE, AP_ERR_FORMAT,
				 "export %.80s is not a well-formed JNI name", s->name);
			continue;
		}
		struct ap_native_jni *j = &lib->jni[lib->n_jni++];
		j->symbol = s->name;
		j->class_name = ap_arena_strdup(e->arena, cls);
		j->method = ap_arena_strdup(e->arena, method);
		j->signature = sig ? ap_arena_strdup(e->arena, sig) : NULL;
		j->vaddr = e->machine == EM_ARM ? s->value & ~(uint64_t)1 : s->value;
		free(cls);
		free(method);
		free(sig);
	}
}

static bool url_char(uint8_t c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' &&
	       c != '\\' && c != '`' && c != '{' && c != '}' && c != '|' && c != '^';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Scans the whole file (rodata may hide anywhere when sections are stripped) for scheme://host
 * strings. Only ASCII; each URL once. */
void elf_scan_urls(struct elf *e)
{
	/* by length, longest first: at most one can end at a given "://" */
	static const char *const schemes[] = {"https", "http", "wss", "ftp", "ws"};
	const char **urls = NULL;
	size_t n = 0, cap = 0;
	const uint8_t *b = e->buf;
	size_t from = 0; /* where the next URL may start: past the last one */
	/* memmem finds each "://" (rare in code and data), then the scheme before it is checked:
	 * the same URLs as trying every byte as a start, at memchr speed */
	for (size_t c = 2; c < e->len;) {
		const uint8_t *hit = memmem(b + c, e->len - c, "://", 3);
		if (!hit)
			break;
		c = (size_t)(hit - b);
		size_t i = 0, sl = 0;
		for (size_t k = 0; k < sizeof(schemes) / sizeof(schemes[0]) && !sl; k++) {
			size_t l = strlen(schemes[k]);
			if (l <= c && c - l >= from && memcmp(b + c - l, schemes[k], l) == 0) {
				i = c - l;
				sl = l + 3;
			}
		}
		c++;
		if (!sl || i + 8 > e->len || (i > 0 && b[i - 1] >= 'a' && b[i - 1] <= 'z'))
			continue;
		size_t j = i + sl;
		while (j < e->len && j - i < AP_MAX_STRING_REPORT && url_char(b[j]))
			j++;
		if (j - i - sl < 3) /* no host */
			continue;
		if (n >= AP_MAX_NATIVE_URLS) {
			elf_anom(e, i, AP_ERR_LIMIT, "more than %u URLs; rest not listed",
				 AP_MAX_NATIVE_URLS);
			break;
		}
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			const char **p = ap_arena_calloc(e->arena, nc, sizeof(*p));
			if (!p)
				break;
			if (n)
				memcpy(p, urls, n * sizeof(*p));
			urls = p;
			cap = nc;
		}
		urls[n] = ap_arena_strndup(e->arena, (const char *)b + i, j - i);
		if (!urls[n])
			break;
		n++;
		from = j;
		c = j > c ? j : c;
	}
	if (!n)
		return;
	qsort(urls, n, sizeof(*urls), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || strcmp(urls[u - 1], urls[i]) != 0)
			urls[u++] = urls[i];
	e->lib->urls = urls;
	e->lib->n_urls = u;
}
