/* App type: set by --app-type, or inferred from the label (default and zh), the package name
 * and the SDKs present (video players, map SDKs), with a confidence and the reasons; when
 * nothing points anywhere, the documented default (docs/scoring.md) with a low confidence. */
#include "scan.h"

#include "manifest/manifest.h"
#include "rules/kb.h"

#include "ap_arena.h"
#include "ap_buf.h"
#include "ap_err.h"
#include "ap_limits.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TYPE "utility_tools"
#define DEFAULT_CONFIDENCE 0.1
#define MAX_REASONS 8

/* weights: a label word is the strongest signal, then the package, then SDK hints */
#define W_LABEL 3.0
#define W_PACKAGE 2.0
#define W_SDK 2.0
#define W_SDK_CAT 1.0
#define W_PLAYER 2.0
#define PLAYER_TYPE "online_audio_video"

struct cand {
	double score;
	const char *reasons[MAX_REASONS];
	size_t n;
};

static void reason(struct ap_scan *s, struct cand *c, double w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void reason(struct ap_scan *s, struct cand *c, double w, const char *fmt, ...)
{
	c->score += w;
	if (c->n >= MAX_REASONS)
		return;
	struct ap_buf t = AP_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	ap_buf_vaddf(&t, fmt, ap);
	va_end(ap);
	if (t.data)
		c->reasons[c->n++] = ap_arena_strdup(s->arena, t.data);
	ap_buf_free(&t);
}

static bool in_list(const struct ap_kb_strs *l, const char *v)
{
	for (size_t i = 0; v && i < l->n; i++)
		if (strcmp(l->v[i], v) == 0)
			return true;
	return false;
}

static void score_type(struct ap_scan *s, const struct ap_kb_app_type *t, struct cand *c)
{
	const struct ap_report *r = s->r;
	const char *k, *kl = NULL;
	if (r->label && (kl = ap_kb_app_type_keyword(t, r->label)))
		reason(s, c, W_LABEL, "label contains \"%s\"", kl);
	if (r->label_zh && (k = ap_kb_app_type_keyword(t, r->label_zh)))
		reason(s, c, W_LABEL, "Chinese label contains \"%s\"", k);
	/* the package usually repeats the label: the same word counts once */
	if (r->package && (k = ap_kb_app_type_keyword(t, r->package)) && !(kl && strcmp(k, kl) == 0))
		reason(s, c, W_PACKAGE, "package name contains \"%s\"", k);
	if (s->player_hint && strcmp(t->id, PLAYER_TYPE) == 0)
		reason(s, c, W_PLAYER, "code plays media (VideoView / MediaPlayer / ExoPlayer)");
	bool cat_hit = false;
	for (size_t i = 0; i < s->n_sdks; i++) {
		if (!s->sdk_classes[i])
			continue;
		const struct ap_kb_sdk *sdk = ap_kb_sdk_at(s->kb, i);
		if (in_list(&t->hint_sdks, sdk->id))
			reason(s, c, W_SDK, "bundles the %s SDK (%s)", sdk->name, sdk->id);
		else if (!cat_hit && in_list(&t->hint_sdk_categories, sdk->category)) {
			cat_hit = true;
			reason(s, c, W_SDK_CAT, "bundles a %s SDK (%s)", sdk->category, sdk->id);
		}
	}
}

static int set_type(struct ap_scan *s, const struct ap_kb_app_type *t, const char *source,
		    double conf)
{
	s->type = t;
	s->r->app_type = t->id;
	s->r->app_type_name = t->name_en;
	s->r->app_type_source = source;
	s->r->app_type_confidence = conf;
	return AP_OK;
}

int ap_scan_app_type(struct ap_scan *s, const char *option_id)
{
	const struct ap_kb *kb = s->kb;
	if (option_id) {
		const struct ap_kb_app_type *t = ap_kb_app_type(kb, option_id);
		if (!t)
			return AP_ERR_NOT_FOUND;
		const char **rs = ap_arena_calloc(s->arena, 1, sizeof *rs);
		if (rs) {
			rs[0] = "set with --app-type";
			s->r->app_type_reasons = rs;
			s->r->n_app_type_reasons = 1;
		}
		return set_type(s, t, "option", 1.0);
	}
	size_t n = ap_kb_app_type_count(kb);
	struct cand *c = calloc(n + 1, sizeof *c);
	if (!c)
		return AP_ERR_NOMEM;
	size_t best = SIZE_MAX, second = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		score_type(s, ap_kb_app_type_at(kb, i), &c[i]);
		if (c[i].score <= 0)
			continue;
		if (best == SIZE_MAX || c[i].score > c[best].score) {
			second = best;
			best = i;
		} else if (second == SIZE_MAX || c[i].score > c[second].score) {
			second = i;
		}
	}
	int rc;
	if (best == SIZE_MAX) {
		const struct ap_kb_app_type *t = ap_kb_app_type(kb, DEFAULT_TYPE);
		if (!t)
			t = ap_kb_app_type_at(kb, 0);
		const char **rs = ap_arena_calloc(s->arena, 1, sizeof *rs);
		if (rs) {
			rs[0] = "no label, package or SDK hint matched any app type; default type "
				"(pass --app-type to set it)";
			s->r->app_type_reasons = rs;
			s->r->n_app_type_reasons = 1;
		}
		rc = t ? set_type(s, t, "default", DEFAULT_CONFIDENCE) : AP_ERR_NOT_FOUND;
	} else {
		/* confidence grows with the evidence and shrinks when a runner-up is close */
		double b = c[best].score, sec = second == SIZE_MAX ? 0 : c[second].score;
		double conf = b / (b + 2.0) * (1.0 - sec / (2.0 * b));
		if (conf > 0.95)
			conf = 0.95;
		if (conf < 0.15)
			conf = 0.15;
		conf = (double)(long)(conf * 100.0 + 0.5) / 100.0;
		const char **rs = ap_arena_calloc(s->arena, c[best].n + 1, sizeof *rs);
		if (rs) {
			memcpy(rs, c[best].reasons, c[best].n * sizeof *rs);
			s->r->app_type_reasons = rs;
			s->r->n_app_type_reasons = c[best].n;
		}
		rc = set_type(s, ap_kb_app_type_at(kb, best), "inferred", conf);
	}
	free(c);
	return rc;
}
