.class public Lcom/umeng/analytics/MobclickAgent;
.super Ljava/lang/Object;
.source "MobclickAgent.java"

# Umeng page/session tracking called from the host activity's onResume/onPause.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static onResume(Landroid/content/Context;)V
    .registers 1
    invoke-static {p0}, Lcom/umeng/analytics/pro/UMSession;->start(Landroid/content/Context;)V
    return-void
.end method

.method public static onPause(Landroid/content/Context;)V
    .registers 2
    const-string v0, "event=session_end"
    invoke-static {v0}, Lcom/umeng/analytics/pro/UMLogSender;->send(Ljava/lang/String;)V
    return-void
.end method
