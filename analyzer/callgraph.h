/* Reachability (issue 6): a call graph over every DEX of an APK (callgraph.c builds it from
 * callgraph_map.c's hash map and callgraph_edges.c's per-method edges; callgraph_hier.c answers
 * questions about it; callgraph_int.h is their shared internals), the entry points
 * Android calls (entries.c), breadth-first reachability per entry kind with one shortest path per
 * method (reach.c), and the rules that need it (findings_reach.c). docs/reachability.md explains
 * the model, what it over- and under-approximates, and its cost. */
#ifndef AP_CALLGRAPH_H
#define AP_CALLGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ap_anomalies;
struct ap_apk;
struct ap_buf;
struct ap_dex;
struct ap_kb;
struct ap_manifest;
struct ap_report;
struct ap_evidence;

#define AP_CG_NONE 0xffffffffu

/* Edge kinds. The async, ICC and callback kinds model what the framework does with an object the
 * app hands it; a path through them says so ("Thread.start", "Handler.post", ...). */
enum ap_cg_edge_kind {
	AP_CGE_CALL = 0,     /* invoke-direct/static/super, or virtual with one resolved target */
	AP_CGE_VIRTUAL = 1,  /* invoke-virtual/interface resolved by class hierarchy (CHA) */
	AP_CGE_CLINIT = 2,   /* first use of a class runs its <clinit> (and its superclasses') */
	AP_CGE_ASYNC = 3,    /* Thread.start, Executor, Handler, AsyncTask, Timer -> run/handleMessage */
	AP_CGE_PERIODIC = 4, /* Timer.scheduleAtFixedRate, ScheduledExecutor...: a repeating task */
	AP_CGE_ICC = 5,      /* startService/startActivity/sendBroadcast with const-class X */
	AP_CGE_CALLBACK = 6, /* listener registered with the framework: a UI/callback entry */
};
const char *ap_cg_edge_kind_name(enum ap_cg_edge_kind k);

/* Entry kinds are the report's enum ap_entry_bits: startup 1, background 2, ui 4. */
#define AP_CG_KINDS 3

/* 8 bytes, the bulk of a large graph: every edge comes from an instruction whose pc fits in 24
 * bits (as in the DEX index, AP_MAX_CODE_UNITS). Read the fields as values. */
struct ap_cg_edge {
	uint32_t to;         /* node, or target set when is_set */
	uint32_t pc : 24;    /* the instruction in the caller (code units) that makes the edge */
	uint32_t kind : 7;   /* enum ap_cg_edge_kind */
	uint32_t is_set : 1; /* to indexes a CHA target set (shared by all calls of the same ref) */
};

/* One method defined by the app (first definition wins across classes*.dex, as ART). */
struct ap_cg_node {
	uint32_t dex;     /* index into the dexes given to ap_cg_build */
	uint32_t def;     /* ap_dex_method_def(dex, def) */
	uint32_t cls;     /* class id */
	uint32_t sig;     /* sub-signature id ("name(ARGS)RET") */
	uint32_t access;
	uint32_t edges_first, edges_n;
};

struct ap_cg_class {
	const char *desc;      /* "Lpkg/Cls;" (borrowed from a DEX) */
	uint32_t super;        /* class id or AP_CG_NONE */
	uint32_t *ifaces;      /* class ids (in cg->pool) */
	uint32_t n_ifaces;
	uint32_t dex;          /* defining dex, or AP_CG_NONE for framework / missing classes */
	uint32_t def;          /* class_def index in that dex */
	uint32_t methods_first, methods_n; /* its nodes: [first, first + n) */
	uint32_t clinit;       /* node of <clinit>()V or AP_CG_NONE */
	uint32_t kids_first, kids_n;       /* direct subclasses and implementors (cg->kids) */
	bool instantiated;     /* new-instance somewhere in the app */
};

struct ap_cg_entry {
	uint32_t node;
	unsigned kind;         /* one AP_REACH_* bit */
	const char *why;       /* static: "application", "provider", "launcher", "activity", ... */
	const char *const *actions; /* receivers: the manifest actions (borrowed), else NULL */
	size_t n_actions;
};

struct ap_cg_node;
/* u64 key -> u32 id, open addressing (callgraph_map.c); AP_CG_NONE marks an empty slot. The
 * method table keys nodes by (class, sub-signature), which the node itself holds: it stores the
 * ids alone (nodes set); the string tables keep 32-bit tags of the hashes (tags set). */
struct cg_map {
	uint64_t *keys;                        /* exact keys, or NULL */
	uint32_t *tags;                        /* string hashes folded to 32 bits, or NULL */
	uint32_t *vals;
	size_t cap, n;
	const struct ap_cg_node *const *nodes; /* &cg->nodes for the method table, else NULL */
};
struct cg_chunk;
/* Strings in 64 KiB chunks freed together (callgraph.c). */
struct cg_pool {
	struct cg_chunk *chunks;
	char *at;
	size_t left;
};

/* The graph and, after ap_cg_solve, the reachability answers. Read-only after solving. */
struct ap_cg {
	struct ap_dex *const *dexes;
	size_t n_dex;
	struct ap_anomalies *an;

	struct ap_cg_class *classes; size_t n_classes, cap_classes;
	char **sigs; size_t n_sigs, cap_sigs;       /* sub-signatures, in chunks */
	struct cg_pool pool;     /* owned: the sub-signatures, the classes' interface lists */
	struct ap_cg_node *nodes; size_t n_nodes, cap_nodes;
	struct ap_cg_edge *edges; size_t n_edges, cap_edges;
	uint32_t *kids; size_t n_kids;
	uint32_t *set_first, *set_n; size_t n_sets, cap_sets; /* CHA target sets into set_nodes */
	uint32_t *set_nodes; size_t n_set_nodes, cap_set_nodes;

	struct cg_map class_map, sig_map; /* string hash -> class id / sub-signature id */
	struct cg_map method_map;     /* (class, sig) -> node */
	struct cg_map set_map;        /* (class, sig) -> target set; freed once the edges are built */
	uint32_t **type_gid;          /* per dex: type_idx -> class id; freed with set_map */
	uint64_t **mid;               /* per dex: method_idx -> class id << 32 | sig id */

	struct ap_cg_entry *entries; size_t n_entries, cap_entries;
	uint8_t *entry_bits;          /* entries.c, while adding: kinds each node is an entry of */

	/* ap_cg_solve: per kind k (0 startup, 1 background, 2 ui) */
	uint32_t *dist[AP_CG_KINDS];   /* hops from the nearest entry, AP_CG_NONE when unreached */
	uint32_t *parent[AP_CG_KINDS]; /* previous node, AP_CG_NONE for an entry */
	uint32_t *ppc[AP_CG_KINDS];    /* call site in the parent that leads here */
	uint8_t *pkind[AP_CG_KINDS];   /* edge kind from the parent */
	uint32_t *entry_of[AP_CG_KINDS]; /* entry index the path starts from */
	uint8_t *periodic;             /* reached from a periodic task (R10) */
	bool solved;
	bool limit_hit;
	double build_ms, solve_ms;
};

/* ---- callgraph.c, callgraph_hier.c ----------------------------------------------------------- */

/* Builds the graph over dexes (ART order: classes.dex, classes2.dex, ...). Borrows the dexes:
 * they must outlive cg. AP_OK, AP_ERR_NOMEM, or AP_ERR_LIMIT (anomaly; a partial graph is still
 * returned in *out and usable). */
int ap_cg_build(struct ap_dex *const *dexes, size_t n_dex, struct ap_anomalies *an,
		struct ap_cg **out);
void ap_cg_free(struct ap_cg *cg); /* NULL is a no-op */

/* Node of a smali-style method reference "Lpkg/Cls;->name(ARGS)RET" defined by the app, or
 * AP_CG_NONE (not defined, or shadowed by an earlier DEX). */
uint32_t ap_cg_find(const struct ap_cg *cg, const char *ref);
/* Class id of a descriptor, or AP_CG_NONE. */
uint32_t ap_cg_class_id(const struct ap_cg *cg, const char *desc);
/* The node's smali-style reference, appended to b (not escaped). */
void ap_cg_format(const struct ap_cg *cg, uint32_t node, struct ap_buf *b);
const char *ap_cg_node_class(const struct ap_cg *cg, uint32_t node);
const char *ap_cg_node_name(const struct ap_cg *cg, uint32_t node); /* "onCreate" */
/* True when class id c is desc or inherits from it (superclasses and interfaces, through
 * framework classes by name). Bounded by AP_MAX_DEX_HIER_DEPTH. */
bool ap_cg_is_a(const struct ap_cg *cg, uint32_t c, const char *desc);
/* The same with the ancestor as a class id (ap_cg_class_id), for loops over many classes. */
bool ap_cg_is_a_id(const struct ap_cg *cg, uint32_t c, uint32_t target);
/* The node implementing name (any proto when sig is NULL) for an object of class c: c's own
 * method or the nearest superclass's. AP_CG_NONE when the framework provides it. */
uint32_t ap_cg_lookup(const struct ap_cg *cg, uint32_t c, const char *name, const char *sig);
/* Targets of edge e (one node, or a CHA set): a slice valid while cg lives. */
const uint32_t *ap_cg_targets(const struct ap_cg *cg, const struct ap_cg_edge *e, size_t *n);

/* ---- entries.c --------------------------------------------------------------------------- */

/* Adds the entry points: from the manifest when mf is not NULL (application, providers,
 * launcher, activities, services, receivers with their actions), else every class that is an
 * Application/Activity/Service/BroadcastReceiver/ContentProvider by hierarchy; and from the
 * framework (JobService, WorkManager workers, fragments, XML onClick handlers, activity
 * callbacks). AP_OK or AP_ERR_NOMEM. */
int ap_cg_add_entries(struct ap_cg *cg, const struct ap_manifest *mf);

/* ---- reach.c ----------------------------------------------------------------------------- */

/* Breadth-first search from the entries of each kind. Callback edges start the UI search.
 * AP_OK or AP_ERR_NOMEM. */
int ap_cg_solve(struct ap_cg *cg);
/* AP_REACH_* bits of the kinds that reach node (0 = unreachable). */
unsigned ap_cg_kinds(const struct ap_cg *cg, uint32_t node);
/* One shortest path from an entry of kind bit `kind` to node, entry first: writes up to max
 * nodes and returns the path length (0 when unreached). pcs (may be NULL) gets, for hop i > 0,
 * the call site in hop i-1 that leads to hop i. */
size_t ap_cg_path(const struct ap_cg *cg, uint32_t node, unsigned kind, uint32_t *out,
		  uint32_t *pcs, size_t max);
/* The entry record the path of that kind starts from, or NULL. */
const struct ap_cg_entry *ap_cg_path_entry(const struct ap_cg *cg, uint32_t node, unsigned kind);

/* The whole step for a scan: builds the graph over dexes, adds the entries from mf, solves, and
 * fills every code evidence item of r (reachable, entries, path, path_owners_note, in the report
 * arena); then adds the reachability findings (findings_reach.c). kb gives SDK owners and the
 * rules. dexes may be shadowing each other (first wins). AP_OK, AP_ERR_NOMEM or AP_ERR_LIMIT
 * (anomaly, partial answers kept). */
int ap_reach_annotate(struct ap_report *r, const struct ap_kb *kb, const struct ap_manifest *mf,
		      struct ap_dex *const *dexes, size_t n_dex, struct ap_anomalies *an);

/* The hook for `apkpriv scan` (one call in scan.c, after ap_scan_findings and before scoring):
 * ap_reach_annotate over the DEX models the scan already opened (it keeps them open for this),
 * which also annotates the evidence the findings copied. A call-graph limit marks the report
 * partial instead of failing the scan. AP_OK or AP_ERR_NOMEM. */
int ap_reach_scan(struct ap_report *r, const struct ap_kb *kb, const struct ap_manifest *mf,
		  struct ap_dex *const *dexes, size_t n_dex, struct ap_anomalies *an);

/* Fills one code evidence item from the solved graph: reachable, entries, the shortest path
 * (startup first, then background, then UI) and the owners note, in r's arena. tmp is scratch. */
void ap_reach_annotate_one(struct ap_report *r, const struct ap_kb *kb, const struct ap_cg *cg,
			   struct ap_evidence *ev, struct ap_buf *tmp);

/* ---- findings_reach.c -------------------------------------------------------------------- */

/* R01 R02 R03 R08 R09 R10 (and reachability notes on R16/R18) from a solved graph and the
 * annotated evidence of r. Findings are appended to r->findings (arena). */
int ap_reach_findings(struct ap_report *r, const struct ap_kb *kb, const struct ap_manifest *mf,
		      const struct ap_cg *cg);

/* Owner of a class ("first_party" or "sdk:<id>", kb string or arena copy in r). */
const char *ap_reach_owner(struct ap_report *r, const struct ap_kb *kb, const char *class_desc);

/* Value of the constant held by argument arg (0 = first declared parameter, receiver not
 * counted; wide values count as one argument) of the invoke at pc in node, as set by a const*
 * instruction earlier in the same method and not overwritten in between (straight-line scan).
 * True and *val when known. */
bool ap_cg_const_arg(const struct ap_cg *cg, uint32_t node, uint32_t pc, unsigned arg,
		     int64_t *val);

#endif
