/* Every resource cap in apkpriv, in one place. A cap that is hit is AP_ERR_LIMIT plus an anomaly
 * and an honest partial result, never a crash or an OOM. docs/limits.md explains each one;
 * tests hit each exactly. */
#ifndef AP_LIMITS_H
#define AP_LIMITS_H

/* container (zip) */
#define AP_MAX_ZIP_ENTRIES          65536u                /* central directory records read */
#define AP_MAX_ENTRY_NAME           4096u                 /* bytes in one entry name */
#define AP_MAX_ENTRY_INFLATED       (256ull << 20)        /* bytes inflated for one entry of any kind */
#define AP_MAX_APK_INFLATED         (1024ull << 20)       /* bytes inflated for one APK, all entries */
#define AP_MAX_INPUT_FILE           (4096ull << 20)       /* size of the file given on the command line */
#define AP_MAX_EMBEDDED_DEPTH       2u                    /* APK in JAR in APK ... */

/* manifest (AXML, resources.arsc) */
#define AP_MAX_AXML_BYTES           (32u << 20)
#define AP_MAX_AXML_STRINGS         (1u << 20)
#define AP_MAX_AXML_DEPTH           256u                  /* element nesting */
#define AP_MAX_AXML_NODES           (1u << 20)
#define AP_MAX_AXML_ATTRS           4096u                 /* attributes on one element */
#define AP_MAX_ARSC_BYTES           (256u << 20)
#define AP_MAX_MANIFEST_ARENA       (64u << 20)
#define AP_MAX_ARSC_ENTRIES         (1u << 22)            /* simple values kept from resources.arsc */
#define AP_MAX_ARSC_REF_HOPS        8u                    /* @ref -> @ref chain followed */

/* dex */
#define AP_MAX_DEX_BYTES            (64u << 20)           /* one DEX; also what the container inflates */
#define AP_MAX_DEX_FILES            256u                  /* classes*.dex plus embedded */
#define AP_MAX_DEX_IDS              (1u << 24)            /* any *_ids_size */
#define AP_MAX_DEX_CLASSES          (1u << 16)            /* class_defs: ART needs a distinct 16-bit type each */
#define AP_MAX_CODE_UNITS           (1u << 22)            /* insns_size of one method */
#define AP_MAX_DEX_ARENA_FACTOR     4u                    /* arena cap = factor * dex size + 16 MiB */
#define AP_MAX_DEX_DECODE_FACTOR    4u                    /* code units decoded <= factor * units the file holds */
#define AP_MAX_DEX_VALUE_DEPTH      16u                   /* nested encoded arrays/annotations */
#define AP_MAX_DEX_HIER_DEPTH       256u                  /* superclass/interface walk steps */

/* native (ELF) */
#define AP_MAX_ELF_BYTES            (256u << 20)
#define AP_MAX_ELF_SYMBOLS          (1u << 20)
#define AP_MAX_ELF_RELOCS           (1u << 21)
#define AP_MAX_NATIVE_INSNS         (8u << 20)            /* instructions disassembled per library */
#define AP_MAX_NATIVE_DECODE_CACHE  16384u                /* distinct encodings kept decoded */
#define AP_MAX_NATIVE_DECODE_BYTES  (8u << 20)            /* their operands (bytes) */
#define AP_MAX_NATIVE_LITERALS      (1u << 20)            /* ARM literal-pool words remembered (8 MiB) */
#define AP_MAX_NATIVE_LIBS          512u
#define AP_MAX_NATIVE_ARENA_BASE    (16u << 20)           /* arena cap = base + 8 * ELF size */
#define AP_MAX_NATIVE_CALLS         20000u                /* call sites kept per library */
#define AP_MAX_NATIVE_URLS          1000u                 /* URLs kept per library */
#define AP_MAX_ELF_NEEDED           1024u                 /* DT_NEEDED entries */

/* analysis and reports */
#define AP_MAX_ANOMALIES            1000u                 /* kept per scan; the rest are counted */
#define AP_MAX_EVIDENCE_PER_CAT     200u                  /* code evidence items kept per PI category */
#define AP_MAX_FINDINGS             2000u
#define AP_MAX_CALL_PATH            32u                   /* hops in a reported call path */
#define AP_MAX_STRING_REPORT        512u                  /* bytes of one attacker string in a report */
#define AP_MAX_BUF_DEFAULT          (256u << 20)          /* default cap of a growing ap_buf */
#define AP_MAX_REPORT_ARENA         (256u << 20)          /* everything one report holds */
#define AP_MAX_REPORT_URLS          2000u                 /* URLs/hosts kept per report */
#define AP_MAX_FINDING_EVIDENCE     20u                   /* evidence items listed in one finding */
#define AP_MAX_CG_EDGES             (1u << 25)            /* call graph edges kept (reachability, issue 6) */
#define AP_MAX_TAINT_SOURCES        64u                   /* PI source sites tracked per method (R19) */
#define AP_MAX_TAINT_FLOWS_PER_METHOD 32u
#define AP_MAX_TAINT_FLOWS          4096u                 /* flows kept per app */
#define AP_MAX_TAINT_JOINS          2048u                 /* branch targets merged per method */
#define AP_MAX_TAINT_JOIN_SLOTS     (1u << 18)            /* targets x registers kept per method */
#define AP_MAX_TAINT_PASSES         4u                    /* passes over a method with loops */

/* knowledge base (analyzer/rules, --rules DIR) */
#define AP_MAX_KB_FILE              (16u << 20)           /* bytes of one data file */
#define AP_MAX_KB_ARENA             (128u << 20)          /* everything one loaded kb holds */
#define AP_MAX_KB_ROWS              200000u               /* rows/items in one data file */
#define AP_MAX_KB_JSON_DEPTH        32                    /* nesting in a JSON data file */

/* batch (analyzer/batch.c) and reading reports back (analyzer/gate.c) */
#define AP_MAX_BATCH_INPUTS         (1u << 20)            /* files in one batch */
#define AP_MAX_BATCH_DEPTH          64u                   /* directory nesting walked */
#define AP_MAX_BATCH_LIST           (64u << 20)           /* bytes of an @LIST file */
#define AP_MAX_BATCH_RESULT         (16u << 20)           /* bytes one worker may send back */
#define AP_MAX_REPORT_READ          (256u << 20)          /* bytes of a JSON report read back */
#define AP_MAX_REPORT_JSON_DEPTH    64                    /* nesting in a JSON report read back */

#endif
