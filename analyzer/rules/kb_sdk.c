/* Third-party SDKs (sdks.tsv) and class -> SDK attribution. Prefixes go into a byte trie so
 * that the longest matching prefix is found in one walk over the class name, without
 * allocating: this runs for every class of an app. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/rules/kb_int.h"

static int cmp_sdk_id(const void *a, const void *b)
{
	return strcmp((*(const struct ap_kb_sdk *const *)a)->id,
		      (*(const struct ap_kb_sdk *const *)b)->id);
}

static bool valid_prefix(const char *p)
{
	for (; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '.' || *p == '_' || *p == '$' || *p == '-'))
			return false;
	return true;
}

/* Inserts prefix for sdk index si; false when another SDK already owns this exact prefix. */
static bool trie_insert(struct ap_kb *kb, const char *prefix, int32_t si, int32_t *owner)
{
	int32_t node = 0;
	for (const unsigned char *p = (const unsigned char *)prefix; *p; p++) {
		int32_t ch = kb->trie[node].child;
		while (ch >= 0 && kb->trie[ch].c != *p)
			ch = kb->trie[ch].sibling;
		if (ch < 0) {
			ch = (int32_t)kb->n_trie++;
			kb->trie[ch].c = *p;
			kb->trie[ch].child = -1;
			kb->trie[ch].sdk = -1;
			kb->trie[ch].sibling = kb->trie[node].child;
			kb->trie[node].child = ch;
		}
		node = ch;
	}
	if (kb->trie[node].sdk >= 0) {
		*owner = kb->trie[node].sdk;
		return false;
	}
	kb->trie[node].sdk = si;
	return true;
}

static bool build_index(struct ap_kb *kb, const char *fname)
{
	size_t chars = 1, n_inf = 0, i, j;
	for (i = 0; i < kb->n_sdks; i++) {
		for (j = 0; j < kb->sdks[i].prefixes.n; j++)
			chars += strlen(kb->sdks[i].prefixes.v[j]);
		n_inf += kb->sdks[i].infixes.n;
	}
	kb->trie = ap_arena_calloc(kb->arena, chars, sizeof *kb->trie);
	kb->sdk_by_id = ap_arena_calloc(kb->arena, kb->n_sdks ? kb->n_sdks : 1, sizeof *kb->sdk_by_id);
	kb->infix_sdk = ap_arena_calloc(kb->arena, n_inf ? n_inf : 1, sizeof *kb->infix_sdk);
	kb->infix_str = ap_arena_calloc(kb->arena, n_inf ? n_inf : 1, sizeof *kb->infix_str);
	if (!kb->trie || !kb->sdk_by_id || !kb->infix_sdk || !kb->infix_str)
		return false;
	kb->n_trie = 1;
	kb->trie[0].child = kb->trie[0].sibling = kb->trie[0].sdk = -1;
	kb->n_infix = 0;
	kb->infix_short = false;
	kb->infix_first = -1;
	memset(kb->infix_pairs, 0, sizeof kb->infix_pairs);
	for (i = 0; i < kb->n_sdks; i++) {
		const struct ap_kb_sdk *s = &kb->sdks[i];
		kb->sdk_by_id[i] = s;
		for (j = 0; j < s->prefixes.n; j++) {
			int32_t owner = -1;
			if (!trie_insert(kb, s->prefixes.v[j], (int32_t)i, &owner))
				kb_anom(kb, fname, "prefix '%s' of %s already belongs to %s; ignored",
					s->prefixes.v[j], s->id, kb->sdks[owner].id);
		}
		for (j = 0; j < s->infixes.n; j++) {
			const unsigned char *inf = (const unsigned char *)s->infixes.v[j];
			unsigned h = inf[0] && inf[1] ? kb_infix_pair(inf[0], inf[1]) : 0;
			kb->infix_short = kb->infix_short || !inf[0] || !inf[1];
			kb->infix_first = !kb->n_infix || kb->infix_first == inf[0] ? inf[0] : -1;
			kb->infix_pairs[h / 64] |= (uint64_t)1 << (h % 64);
			kb->infix_sdk[kb->n_infix] = s;
			kb->infix_str[kb->n_infix++] = s->infixes.v[j];
		}
	}
	qsort(kb->sdk_by_id, kb->n_sdks, sizeof *kb->sdk_by_id, cmp_sdk_id);
	for (i = 1; i < kb->n_sdks; i++)
		if (!strcmp(kb->sdk_by_id[i]->id, kb->sdk_by_id[i - 1]->id))
			kb_anom(kb, fname, "SDK id '%s' used by two rows", kb->sdk_by_id[i]->id);
	return true;
}

bool kb_load_sdks(struct ap_kb *kb, const struct kb_file *f)
{
	static const char *const cols[] = {"id", "name", "vendor", "country", "category", "prefixes"};
	int c[6];
	struct kb_tsv t;
	struct ap_kb_sdk *v;
	size_t n = 0;
	if (!kb_tsv_parse(kb, f, &t) || !kb_tsv_require(kb, f, &t, cols, c, 6))
		return false;
	int c_zh = kb_tsv_col(&t, "name_zh"), c_inf = kb_tsv_col(&t, "infixes"),
	    c_dom = kb_tsv_col(&t, "domains"), c_pi = kb_tsv_col(&t, "known_pi"),
	    c_conf = kb_tsv_col(&t, "confidence"), c_ex = kb_tsv_col(&t, "exodus_id");
	v = ap_arena_calloc(kb->arena, t.n_rows ? t.n_rows : 1, sizeof *v);
	if (!v)
		return false;
	for (size_t r = 0; r < t.n_rows; r++) {
		struct ap_kb_sdk *s = &v[n];
		bool ok = true;
		s->id = kb_strdup(kb, kb_tsv_cell(&t, r, c[0]));
		s->prefixes = kb_split(kb, kb_tsv_cell(&t, r, c[5]), ',');
		s->infixes = kb_split(kb, kb_tsv_cell(&t, r, c_inf), ',');
		if (!s->id || !*s->id || (!s->prefixes.n && !s->infixes.n)) {
			kb_anom(kb, f->name, "line %zu: no id or no code signature; row skipped", t.line[r]);
			continue;
		}
		for (size_t j = 0; j < s->prefixes.n; j++)
			ok = ok && valid_prefix(s->prefixes.v[j]);
		for (size_t j = 0; j < s->infixes.n; j++)
			ok = ok && valid_prefix(s->infixes.v[j]);
		if (!ok) {
			kb_anom(kb, f->name, "line %zu: %s has a prefix with characters a class name cannot hold; row skipped",
				t.line[r], s->id);
			continue;
		}
		s->name = kb_strdup(kb, kb_tsv_cell(&t, r, c[1]));
		s->name_zh = kb_strdup(kb, kb_tsv_cell(&t, r, c_zh));
		s->vendor = kb_strdup(kb, kb_tsv_cell(&t, r, c[2]));
		s->country = kb_strdup(kb, kb_tsv_cell(&t, r, c[3]));
		s->category = kb_strdup(kb, kb_tsv_cell(&t, r, c[4]));
		s->domains = kb_split(kb, kb_tsv_cell(&t, r, c_dom), ',');
		s->known_pi = kb_split(kb, kb_tsv_cell(&t, r, c_pi), ',');
		s->medium = !strcmp(kb_tsv_cell(&t, r, c_conf), "medium");
		s->exodus_id = kb_cell_int(kb_tsv_cell(&t, r, c_ex));
		n++;
	}
	kb->sdks = v;
	kb->n_sdks = n;
	return build_index(kb, f->name);
}

size_t ap_kb_sdk_count(const struct ap_kb *kb)
{
	return kb->n_sdks;
}

const struct ap_kb_sdk *ap_kb_sdk_at(const struct ap_kb *kb, size_t i)
{
	return i < kb->n_sdks ? &kb->sdks[i] : NULL;
}

const struct ap_kb_sdk *ap_kb_sdk(const struct ap_kb *kb, const char *id)
{
	size_t lo = 0, hi = kb->n_sdks;
	if (!id)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(kb->sdk_by_id[mid]->id, id);
		if (!r)
			return kb->sdk_by_id[mid];
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The byte of a name as its dotted form reads it: in a descriptor '/' is '.'. */
static inline unsigned char dotted_at(const char *s, size_t i, bool desc)
{
	return (unsigned char)(desc && s[i] == '/' ? '.' : s[i]);
}

/* True when inf stands at s (room bytes of name left), reading s in dotted form. */
static bool infix_at(const char *s, size_t room, const char *inf, bool desc)
{
	for (size_t k = 0; inf[k]; k++)
		if (k >= room || dotted_at(s, k, desc) != (unsigned char)inf[k])
			return false;
	return true;
}

/* The first infix (in file order) found anywhere in the first n bytes of the name: the same
 * answer as strstr() of each infix in turn over the dotted name, without copying the name or a
 * pass per infix. Only the positions whose two bytes pass the pair filter are tried (most names
 * have none); when every infix starts with the same byte, strpbrk hops between them. */
static const struct ap_kb_sdk *infix_lookup(const struct ap_kb *kb, const char *s, size_t n,
					    bool desc)
{
	size_t best = kb->n_infix;
	char hop[3] = {0};
	if (kb->infix_short) { /* a one-byte infix escapes the pair filter */
		for (size_t j = 0; j < kb->n_infix; j++)
			for (size_t i = 0; i < n; i++)
				if (infix_at(s + i, n - i, kb->infix_str[j], desc))
					return kb->infix_sdk[j];
		return NULL;
	}
	if (kb->infix_first > 0) {
		hop[0] = (char)kb->infix_first;
		hop[1] = desc && kb->infix_first == '.' ? '/' : '\0';
	}
	for (size_t i = 0; i + 1 < n; i++) {
		if (hop[0]) {
			const char *c = strpbrk(s + i, hop);
			if (!c || (size_t)(c - s) + 1 >= n)
				break;
			i = (size_t)(c - s);
		}
		unsigned h = kb_infix_pair(dotted_at(s, i, desc), dotted_at(s, i + 1, desc));
		if (!(kb->infix_pairs[h / 64] >> (h % 64) & 1))
			continue;
		for (size_t j = 0; j < best; j++)
			if (infix_at(s + i, n - i, kb->infix_str[j], desc))
				best = j;
	}
	return best < kb->n_infix ? kb->infix_sdk[best] : NULL;
}

/* Longest prefix in the trie, else an infix. Descriptor form when desc: skip 'L', '/' reads as
 * '.', the name stops at ';'. */
static const struct ap_kb_sdk *lookup(const struct ap_kb *kb, const char *s, bool desc)
{
	size_t len;
	int32_t node = 0, best = -1;
	if (!s)
		return NULL;
	if (desc && *s == 'L')
		s++;
	len = desc ? strcspn(s, ";") : strlen(s);
	for (size_t i = 0; i < len && kb->n_trie; i++) {
		unsigned char ch = dotted_at(s, i, desc);
		int32_t c = kb->trie[node].child;
		while (c >= 0 && kb->trie[c].c != ch)
			c = kb->trie[c].sibling;
		if (c < 0)
			break;
		node = c;
		if (kb->trie[node].sdk >= 0)
			best = kb->trie[node].sdk;
	}
	if (best >= 0)
		return &kb->sdks[best];
	if (!kb->n_infix)
		return NULL;
	return infix_lookup(kb, s, len, desc);
}

const struct ap_kb_sdk *ap_kb_sdk_for_class(const struct ap_kb *kb, const char *class_desc)
{
	return kb ? lookup(kb, class_desc, true) : NULL;
}

const struct ap_kb_sdk *ap_kb_sdk_for_dotted(const struct ap_kb *kb, const char *dotted)
{
	return kb ? lookup(kb, dotted, false) : NULL;
}
