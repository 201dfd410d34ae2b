/* The HTML reports' stylesheet and their one inline script (internal to reports/). The CSP only
 * lets a script with this exact SHA-256 run, so an escaping slip cannot become script execution;
 * tests/unit/reports checks the hash against the script text. */
#ifndef AP_REPORT_HTML_STYLE_H
#define AP_REPORT_HTML_STYLE_H

#define AP_HTML_SCRIPT "document.documentElement.setAttribute(\"data-apkpriv-ready\",\"1\");"
#define AP_HTML_SCRIPT_SHA256 "ofhG+5qw6W6SOsGY9IXfaU5prIqLF3jzrlO/4+r+vYc="
#define AP_HTML_CSP                                                                                \
	"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "                           \
	"script-src 'sha256-" AP_HTML_SCRIPT_SHA256 "'"

#define AP_HTML_CSS                                                                                \
	":root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f5f7fa;--card:#fff;"            \
	"--high:#c62828;--medium:#ef6c00;--low:#1565c0;--info:#607d8b;--ok:#2e7d32}"              \
	"*{box-sizing:border-box}"                                                                 \
	"body{margin:0;font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"      \
	"'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;color:var(--fg);"          \
	"background:var(--bg)}"                                                                    \
	"header.top{background:#102a43;color:#fff;padding:20px 32px}"                             \
	"header.top .brand{font-size:12px;letter-spacing:.12em;text-transform:uppercase;"          \
	"opacity:.7}"                                                                              \
	"header.top h1{margin:4px 0 2px;font-size:26px;font-weight:600}"                           \
	"header.top h1 small{font-size:18px;font-weight:400;opacity:.8;margin-left:10px}"          \
	"header.top .sub{font-size:13px;opacity:.85;word-break:break-all}"                         \
	"main{max-width:1200px;margin:0 auto;padding:24px 32px 48px}"                              \
	"section{background:var(--card);border:1px solid var(--line);border-radius:8px;"          \
	"padding:18px 22px;margin:0 0 20px}"                                                       \
	"h2{font-size:17px;margin:0 0 12px;padding-bottom:8px;border-bottom:1px solid var(--line)}"\
	"h2 .n{color:var(--muted);font-weight:400}"                                                \
	".overview{display:grid;grid-template-columns:200px 1fr 1fr;gap:24px;align-items:center}" \
	".score{text-align:center}"                                                                \
	".score .big{font-size:56px;font-weight:700;line-height:1}"                                \
	".score .of{color:var(--muted)}"                                                           \
	".grade{display:inline-block;margin-top:8px;padding:4px 16px;border-radius:16px;color:#fff;"\
	"font-weight:700;font-size:18px}"                                                          \
	".g-A{background:#2e7d32}.g-B{background:#689f38}.g-C{background:#f9a825}"                 \
	".g-D{background:#ef6c00}.g-E,.g-F{background:#c62828}.g-x{background:#607d8b}"           \
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}"       \
	"dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;word-break:break-all}"                \
	".counts span{display:inline-block;margin:0 6px 6px 0;padding:2px 10px;border-radius:12px;"\
	"color:#fff;font-size:12px;font-weight:600}"                                               \
	".s-high{background:var(--high)}.s-medium{background:var(--medium)}"                       \
	".s-low{background:var(--low)}.s-info{background:var(--info)}"                             \
	".banner{background:#fff4e5;border:1px solid #ffcc80;color:#8a4b00;padding:10px 14px;"     \
	"border-radius:6px;margin-bottom:20px}"                                                    \
	"table{border-collapse:collapse;width:100%;font-size:13px}"                                \
	"th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);"              \
	"vertical-align:top}"                                                                      \
	"th{background:#f0f4f8;font-weight:600;color:#334e68}"                                     \
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"                        \
	"code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"        \
	"font-size:12px;word-break:break-all}"                                                     \
	".matrix td.c{text-align:center;font-weight:600}"                                          \
	".matrix th.rot{font-size:12px;white-space:nowrap}"                                        \
	".yes{color:var(--high);font-weight:600}.no{color:var(--muted)}"                           \
	".tag{display:inline-block;padding:1px 7px;border-radius:10px;background:#e3f2fd;"        \
	"color:#0d47a1;font-size:11px;margin:1px 2px}"                                             \
	".tag.sens{background:#fde7e9;color:#b71c1c}.tag.nn{background:#fff3e0;color:#e65100}"    \
	"article.finding{border:1px solid var(--line);border-left:5px solid var(--info);"         \
	"border-radius:6px;padding:12px 16px;margin:0 0 14px}"                                     \
	"article.sev-high{border-left-color:var(--high)}"                                          \
	"article.sev-medium{border-left-color:var(--medium)}"                                      \
	"article.sev-low{border-left-color:var(--low)}"                                            \
	".fhead{display:flex;gap:10px;align-items:center;flex-wrap:wrap}"                          \
	".fhead h3{margin:0;font-size:15px;flex:1}"                                                \
	".sev{padding:1px 8px;border-radius:4px;color:#fff;font-size:11px;font-weight:700;"       \
	"text-transform:uppercase}"                                                                \
	".rule{font-family:ui-monospace,monospace;color:var(--muted)}"                             \
	".pts{font-weight:700;color:var(--high)}.dim{color:var(--muted);font-size:12px}"           \
	".msg{margin:8px 0 4px}.meta{color:var(--muted);font-size:12px;margin-bottom:6px}"         \
	"details{margin:6px 0}summary{cursor:pointer;color:#334e68;font-weight:600}"               \
	"ol.path{margin:4px 0 4px 18px;padding:0;font-size:12px}"                                  \
	".refs ul{margin:4px 0 0 18px;padding:0}.fix{margin-top:6px}"                              \
	".fix b,.refs b{color:#334e68}"                                                            \
	"footer{color:var(--muted);font-size:12px;text-align:center;margin-top:12px}"              \
	"@media print{body{background:#fff}section{break-inside:avoid}}"

#endif
