/* A realistic report built by hand for the renderer tests: an over-collecting online video app
 * with two SDKs, code and native evidence, a call path, anomalies, and hostile strings from the
 * "APK" (a script tag as label, terminal escapes, invalid UTF-8, bidi overrides, formulas). */
#ifndef AP_T_REPORT_FIXTURE_H
#define AP_T_REPORT_FIXTURE_H

#include "analyzer/report_model.h"

#define FX_LABEL "<script>alert(1)</script>"
#define FX_LABEL_ZH "\xe8\xa7\x86\xe9\xa2\x91\xe6\x92\xad\xe6\x94\xbe\xe5\x99\xa8" /* 视频播放器 */
#define FX_PACKAGE "com.example.video\x1b[2J\x1b]0;pwned\x07"
#define FX_VERSION "=HYPERLINK(\"http://evil/\",\"x\")"
#define FX_BAD_METHOD "Lcom/example/video/\xff\xfeMain;->onCreate(Landroid/os/Bundle;)V"

struct ap_report *fx_report_new(void);
void fx_report_free(struct ap_report *r);

#endif
